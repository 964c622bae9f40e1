using System.Text.Json;
using Claudit.Store;
using Claudit.Store.Keys;

namespace Claudit.Server.Keys;

/// <summary>
/// The admin API for virtual keys (docs/api.md#virtual-keys): <c>GET /api/keys</c>, <c>POST /api/keys</c> (JSON;
/// the answer carries the key, the one time it is shown), <c>DELETE /api/keys/{name or id}</c>. What changes here
/// is written to the store and takes effect at once. Guarded like every <c>/api</c> path (loopback or the access
/// token) and marked <see cref="AdminEndpoint"/>, so a role scheme can require an admin.
/// </summary>
internal static class KeyEndpoints
{
    public const string Path = "/api/keys";

    public static void Map(IEndpointRouteBuilder app, IVirtualKeyStore store, VirtualKeyRing ring, TimeProvider time)
    {
        var keys = app.MapGroup(Path).WithMetadata(AdminEndpoint.Instance);

        keys.MapGet("/", async (HttpContext context) =>
        {
            var now = time.GetUtcNow();
            var all = await store.ListKeysAsync(context.RequestAborted).ConfigureAwait(false);
            return Results.Json(all.Select(k => KeyView.Of(k, now)).ToArray(), KeysJsonContext.Default.KeyViewArray);
        }).WithName("keys.list");

        keys.MapPost("/", async (HttpContext context) =>
        {
            // JSON only: a browser cannot send it cross-site without asking first (no key minted by a hostile page).
            if (!context.Request.HasJsonContentType())
            {
                return Error("the body must be JSON (Content-Type: application/json)", StatusCodes.Status415UnsupportedMediaType);
            }

            VirtualKeyRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, KeysJsonContext.Default.VirtualKeyRequest, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Error($"the body is not a key request: {ex.Message.Split(" Path:", 2)[0]}{(ex.Path is { Length: > 1 } path ? $" (at {path})" : "")}");
            }

            var now = time.GetUtcNow();
            if (request is null)
            {
                return Error("the body must be a JSON object");
            }

            if (request.Problem(now, field => field) is { } problem)
            {
                return Error(problem);
            }

            var (key, stored) = VirtualKeyIssuer.Issue(request, now);
            try
            {
                await store.AddKeyAsync(stored, context.RequestAborted).ConfigureAwait(false);
            }
            catch (StoreException ex)
            {
                return Error(ex.Message, StatusCodes.Status409Conflict);
            }

            ring.Put(stored);
            return Results.Json(KeyView.Of(stored, now) with { Key = key }, KeysJsonContext.Default.KeyView, statusCode: StatusCodes.Status201Created);
        }).WithName("keys.create");

        keys.MapDelete("/{key}", async (string key, HttpContext context) =>
        {
            var now = time.GetUtcNow();
            if (await store.RevokeKeyAsync(key, now, context.RequestAborted).ConfigureAwait(false) is not { } revoked)
            {
                return Error($"no key named or numbered '{key}'", StatusCodes.Status404NotFound);
            }

            ring.Put(revoked);
            return Results.Json(KeyView.Of(revoked, now), KeysJsonContext.Default.KeyView);
        }).WithName("keys.revoke");
    }

    private static IResult Error(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new IngestError(message), ServerJsonContext.Default.IngestError, statusCode: status);
}
