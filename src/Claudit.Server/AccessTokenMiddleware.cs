using System.Security.Cryptography;
using System.Text;

namespace Claudit.Server;

/// <summary>
/// Guards a gateway that listens beyond loopback. The token comes in <c>Claudit-Token</c> (removed
/// before forwarding, like every Claudit header) or, outside <c>/v1</c> where <c>Authorization</c>
/// belongs to Anthropic, as a bearer token (what Prometheus and browsers send). Compared in constant time.
/// </summary>
internal sealed class AccessTokenMiddleware(RequestDelegate next, string token)
{
    public const string Header = "Claudit-Token";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var presented = headers[Header].ToString();
        headers.Remove(Header);
        if (presented.Length == 0 && !context.Request.Path.StartsWithSegments("/v1"))
        {
            var authorization = headers.Authorization.ToString();
            presented = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : "";
        }

        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("""{"type":"error","error":{"type":"authentication_error","message":"Claudit: a missing or wrong access token (send it in the Claudit-Token header)."}}""");
    }
}
