using Claudit.Core.Anthropic;
using Claudit.Server.Budgets;
using Claudit.Server.Keys;

namespace Claudit.Server.Access;

/// <summary>
/// Who may do what, on a gateway with tokens (docs/gateway.md#security). The token comes in
/// <c>Claudit-Token</c> (taken off before forwarding, like every Claudit header) or, outside <c>/v1</c>
/// where <c>Authorization</c> is Anthropic's, as a bearer token (Prometheus, <c>curl</c>) or the login
/// session's cookie (a browser). Each path needs a role: <c>/v1</c> and <c>/api/ingest</c> ingest, the rest
/// read (admin does both); health checks, the login page and the dashboard's static files need none.
/// No credentials: 401 (the dashboard page redirects to <c>/login</c> instead); a token without the
/// role: 403. The grant is left on the request (<see cref="AccessGrant.Of"/>) for the queries to scope by.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessTokens tokens, LoginSessions sessions)
{
    public const string Header = "Claudit-Token";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = request.Headers;
        var presented = headers[Header].ToString();
        headers.Remove(Header);
        var proxied = request.Path.StartsWithSegments("/v1");
        AccessGrant? grant;
        if (presented.Length > 0)
        {
            grant = tokens.Find(presented);
        }
        else if (proxied)
        {
            grant = null;
        }
        else
        {
            grant = BearerToken(headers) is { Length: > 0 } bearer ? tokens.Find(bearer) : sessions.Find(request.Cookies[LoginSessions.CookieName]);
        }

        if (proxied)
        {
            StripSessionCookie(headers);
        }

        var needed = Needed(request);
        if (grant is not null)
        {
            context.Features.Set(grant);
        }

        if (needed is not { } role)
        {
            return next(context);
        }

        if (grant is null)
        {
            if (IsPage(request))
            {
                context.Response.Redirect(LoginEndpoints.LoginPath + "?next=" + Uri.EscapeDataString(request.Path + request.QueryString));
                return Task.CompletedTask;
            }

            return ApiErrorAnswer.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorTypes.Authentication,
                "Claudit: a missing or wrong access token (send it in the Claudit-Token header, or log in at /login).");
        }

        if (!grant.Can(role))
        {
            return ApiErrorAnswer.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorTypes.Permission,
                $"Claudit: the token {grant.Describe()} cannot {role switch { AccessRole.Read => "read the recorded calls", AccessRole.Ingest => "send calls or records", _ => "manage virtual keys (an admin token can)" }}.");
        }

        if (grant.Tenants is not null && (request.Path.StartsWithSegments("/metrics") || request.Path.StartsWithSegments(BudgetsEndpoint.Path) || request.Path.StartsWithSegments(AlertEndpoints.Path) || request.Path.StartsWithSegments(Reconcile.ReconcileEndpoint.Path)))
        {
            return ApiErrorAnswer.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorTypes.Permission,
                $"Claudit: {request.Path} is not split by tenant, so the tenant-scoped token {grant.Describe()} cannot read it.");
        }

        return next(context);
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, where that header is Claudit's (not on <c>/v1</c>); "" when there is none.</summary>
    internal static string BearerToken(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
    }

    /// <summary>The role a request needs; null for what anyone may fetch.</summary>
    private static AccessRole? Needed(HttpRequest request)
    {
        var path = request.Path;
        if (path == "/healthz" || path == "/readyz" || path == LoginEndpoints.LoginPath || path == LoginEndpoints.LogoutPath || path.StartsWithSegments("/dashboard"))
        {
            return null;
        }

        // Virtual keys are credentials that spend money: only an admin makes or revokes them, or lists them.
        if (path.StartsWithSegments(KeyEndpoints.Path))
        {
            return AccessRole.Admin;
        }

        return path.StartsWithSegments("/v1") || path == IngestEndpoint.Path ? AccessRole.Ingest : AccessRole.Read;
    }

    private static bool IsPage(HttpRequest request) => request.Path == "/" && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));

    /// <summary>A browser on the gateway's own origin sends the session cookie with <c>/v1</c> calls too: it is Claudit's, not the upstream's.</summary>
    private static void StripSessionCookie(IHeaderDictionary headers)
    {
        var cookie = headers.Cookie.ToString();
        if (!cookie.Contains(LoginSessions.CookieName + "=", StringComparison.Ordinal))
        {
            return;
        }

        var kept = cookie.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(c => !c.StartsWith(LoginSessions.CookieName + "=", StringComparison.Ordinal)).ToArray();
        if (kept.Length == 0)
        {
            headers.Remove("Cookie");
        }
        else
        {
            headers.Cookie = string.Join("; ", kept);
        }
    }
}
