using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Server.Budgets;
using Claudit.Server.Keys;

namespace Claudit.Server;

/// <summary>
/// What the gateway checks before it forwards a call (docs/budgets.md). A virtual key (<c>sk-claudit-…</c> in
/// <c>x-api-key</c> or <c>Authorization: Bearer</c>) must be known, unrevoked and unexpired; it is swapped for the
/// real key and its tags replace the caller's. A real key passes unchanged, unless only virtual keys are
/// accepted. Then a <c>POST /v1/messages</c> that policies or a key's limits judge is read whole, checked
/// against the key's models, and put to the policies. Other endpoints (count_tokens, models, batches) are
/// not judged: they cost nothing, or their cost is not the call's.
/// </summary>
internal sealed class GatewayAdmission(VirtualKeyRing keys, PolicyGate gate, UpstreamKey? upstream, bool requireVirtualKeys, TimeProvider time)
{
    /// <summary>The Messages API takes bodies up to 32 MB; a larger one is refused here rather than read whole.</summary>
    public const int MaxBufferedBodyBytes = 32 * 1024 * 1024;

    public const string KeyIdProperty = "virtual_key";
    public const string KeyNameProperty = "virtual_key_name";

    public async ValueTask<Admission> AdmitAsync(HttpContext context, CallCapture capture, CallTags tags)
    {
        var request = context.Request;
        var now = time.GetUtcNow();
        var (credential, bearer) = Credential(request.Headers);
        VirtualKey? key = null;
        if (credential is not null && VirtualKeyFormat.IsVirtual(credential))
        {
            key = keys.Find(credential);
            if (Invalid(key, now) is { } refused)
            {
                return new Admission(tags) { Refusal = refused };
            }

            request.Headers["x-api-key"] = upstream!.Reveal();
            request.Headers.Remove("Authorization");
            tags = Tag(tags, key!);
        }
        else
        {
            if (requireVirtualKeys)
            {
                return new Admission(tags) { Refusal = GatewayRefusal.Authentication($"Claudit: this gateway takes Claudit virtual keys only ({VirtualKeyFormat.Prefix}…), not {(bearer ? "a bearer token" : "an Anthropic key")}; ask its operator for one") };
            }

            tags = Untag(tags);
        }

        var judged = gate.HasFilePolicies || key is { Policies.Count: > 0 } || key?.Stored.Models.Count > 0;
        if (!judged || !HttpMethods.IsPost(request.Method) || !request.Path.Equals(AnthropicEndpoints.Messages, StringComparison.OrdinalIgnoreCase))
        {
            return new Admission(tags);
        }

        BufferedRequestBody? body;
        try
        {
            body = await BufferedRequestBody.ReadAsync(request, MaxBufferedBodyBytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return new Admission(tags) { Abandoned = true };
        }

        if (body is null)
        {
            return new Admission(tags) { Refusal = new GatewayRefusal(StatusCodes.Status413PayloadTooLarge, ErrorTypes.RequestTooLarge, ErrorTypes.RequestTooLarge, "Claudit: a Messages request body over 32 MiB is not forwarded (the API takes up to 32 MB)") };
        }

        request.Body = body.OpenRead();
        capture.OnRequestBody(body.Span);
        var parsed = capture.Request;
        if (key is not null && !key.Allows(parsed.Model))
        {
            return new Admission(tags)
            {
                Body = body,
                Refusal = new GatewayRefusal(StatusCodes.Status403Forbidden, ErrorTypes.Permission, ErrorTypes.Permission,
                    $"Claudit: the virtual key '{key.Name}' may not call model '{parsed.Model}' (it may call {string.Join(", ", key.Stored.Models)})"),
            };
        }

        var worst = WorstCaseRequest.Of(parsed, body.Span);
        var scopes = new PolicyScopes(tags.User is null && parsed.MetadataUserId is { } user ? tags with { User = user } : tags, key, parsed.Model);
        var decision = await gate.AdmitAsync(parsed, worst, scopes, now, context.RequestAborted).ConfigureAwait(false);
        return new Admission(tags) { Body = body, Refusal = decision.Refusal, Settlement = decision.Settlement, Warning = decision.Warning };
    }

    /// <summary>The caller's key: <c>x-api-key</c>, else a bearer token.</summary>
    private static (string? Credential, bool Bearer) Credential(IHeaderDictionary headers)
    {
        var apiKey = headers["x-api-key"].ToString();
        if (apiKey.Length > 0)
        {
            return (apiKey.Trim(), false);
        }

        var authorization = headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? (authorization["Bearer ".Length..].Trim(), true) : (null, false);
    }

    /// <summary>Why a presented virtual key cannot be used; null when it can. Never echoes the key.</summary>
    private GatewayRefusal? Invalid(VirtualKey? key, DateTimeOffset now)
    {
        if (key is null)
        {
            return GatewayRefusal.Authentication("Claudit: this virtual key is not valid at this gateway");
        }

        if (key.Stored.RevokedAt is { } revoked)
        {
            return GatewayRefusal.Authentication($"Claudit: the virtual key '{key.Name}' was revoked at {revoked.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }

        if (key.Stored.ExpiresAt is { } expires && expires <= now)
        {
            return GatewayRefusal.Authentication($"Claudit: the virtual key '{key.Name}' expired at {expires.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }

        return upstream is null
            ? new GatewayRefusal(StatusCodes.Status500InternalServerError, ErrorTypes.Api, ErrorTypes.Api,
                "Claudit: this gateway has no Anthropic key to forward virtual-key calls with (its operator sets ANTHROPIC_API_KEY or --upstream-key-file)")
            : null;
    }

    /// <summary>The key's tags over the caller's (a header cannot override them), and the key's id and name as properties.</summary>
    private static CallTags Tag(CallTags tags, VirtualKey key)
    {
        var properties = Without(tags.Properties) ?? new Dictionary<string, string>(2, StringComparer.Ordinal);
        properties[KeyIdProperty] = key.Id;
        properties[KeyNameProperty] = key.Name;
        return tags with
        {
            User = key.Stored.User ?? tags.User,
            Tenant = key.Stored.Tenant ?? tags.Tenant,
            Feature = key.Stored.Feature ?? tags.Feature,
            Properties = properties,
        };
    }

    /// <summary>A call without a virtual key cannot claim one through a <c>Claudit-Property-virtual_key</c> header.</summary>
    private static CallTags Untag(CallTags tags) =>
        tags.Properties is { } p && p.Keys.Any(IsKeyProperty) ? tags with { Properties = Without(p) } : tags;

    private static Dictionary<string, string>? Without(IReadOnlyDictionary<string, string>? properties) =>
        properties?.Where(p => !IsKeyProperty(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal) is { Count: > 0 } kept ? kept : null;

    private static bool IsKeyProperty(string name) =>
        name.Equals(KeyIdProperty, StringComparison.OrdinalIgnoreCase) || name.Equals(KeyNameProperty, StringComparison.OrdinalIgnoreCase);
}
