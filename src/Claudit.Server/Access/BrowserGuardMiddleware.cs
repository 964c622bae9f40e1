using Claudit.Core.Anthropic;
using Microsoft.Net.Http.Headers;

namespace Claudit.Server.Access;

/// <summary>
/// Makes the gateway safe to run where browsers are (docs/gateway.md#browsers), token or not. Every
/// request but the health checks must name an allowed host (<see cref="AllowedHosts"/>), else 421 —
/// that stops DNS rebinding. A request a page on another origin sent — an <c>Origin</c> that is not
/// this gateway, or <c>Sec-Fetch-Site</c> other than <c>same-origin</c>/<c>none</c> — is refused (403)
/// when it changes state outside <c>/v1</c>, and on <c>/v1</c> always: SDKs send neither header, so they
/// pass. State-changing requests outside <c>/v1</c> must also say what they send: JSON (or
/// <c>application/x-ndjson</c> for <c>/api/ingest</c>), or the login form's encoding (415 otherwise), so
/// a page cannot post <c>text/plain</c> with <c>no-cors</c>. Everything outside <c>/v1</c> carries a strict
/// Content-Security-Policy, <c>X-Frame-Options: DENY</c>, <c>nosniff</c> and <c>no-referrer</c>; <c>/v1</c>
/// answers stay the upstream's, untouched.
/// </summary>
internal sealed class BrowserGuardMiddleware(RequestDelegate next, AllowedHosts hosts, ILogger logger)
{
    /// <summary>The dashboard is its own files only: no inline script or style, no frames, nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var proxied = request.Path.StartsWithSegments("/v1");
        if (!proxied)
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (request.Path != "/healthz" && request.Path != "/readyz" && !hosts.Allows(request.Host, context.Connection.LocalPort, request.IsHttps))
        {
            return Refuse(context, StatusCodes.Status421MisdirectedRequest, ErrorTypes.InvalidRequest,
                $"Claudit: this gateway does not answer to the host '{request.Host}' (loopback names, or those given to claudit serve --allowed-hosts).");
        }

        if (proxied || ChangesState(request.Method))
        {
            if (FromAnotherSite(context) is { } why)
            {
                return Refuse(context, StatusCodes.Status403Forbidden, ErrorTypes.Permission, $"Claudit: a request from another site is refused ({why}).");
            }

            if (!proxied && !Accepts(request))
            {
                return Refuse(context, StatusCodes.Status415UnsupportedMediaType, ErrorTypes.InvalidRequest,
                    $"Claudit: {request.Method} {request.Path} takes {Expected(request.Path)}, not '{request.ContentType}'.");
            }
        }

        return next(context);
    }

    private static bool ChangesState(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    /// <summary>
    /// Why the request came from a page elsewhere, or null. A browser sends <c>Origin: null</c> for its own
    /// same-origin posts under <c>Referrer-Policy: no-referrer</c> (the Fetch standard's rule), so a null
    /// origin is judged by <c>Sec-Fetch-Site</c>, which a page cannot set: same-origin passes, anything
    /// else (a sandboxed frame, a data: page) or nothing at all does not.
    /// </summary>
    private string? FromAnotherSite(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (origin.Length > 0 && origin != "null")
        {
            var same = Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == request.Scheme
                && hosts.Allows(HostString.FromUriComponent(uri), context.Connection.LocalPort, request.IsHttps);
            if (!same)
            {
                return $"Origin {origin}";
            }
        }
        else if (origin == "null" && site.Length == 0)
        {
            return "Origin null";
        }

        return site.Length == 0 || site is "same-origin" or "none" ? null : $"Sec-Fetch-Site {site}";
    }

    /// <summary>
    /// The body's type is one the endpoint takes. A DELETE without a body (<c>claudit keys revoke --server</c>)
    /// needs none: a page on another origin cannot send a DELETE at all without a preflight, which is never granted.
    /// </summary>
    private static bool Accepts(HttpRequest request) =>
        (HttpMethods.IsDelete(request.Method) && request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding") && request.ContentType is null)
        || (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && Expected(request.Path).Split(" or ").Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase));

    private static string Expected(PathString path) =>
        path == IngestEndpoint.Path ? "application/x-ndjson or application/json"
        : path == LoginEndpoints.LoginPath || path == LoginEndpoints.LogoutPath ? "application/x-www-form-urlencoded"
        : "application/json";

    private Task Refuse(HttpContext context, int status, string type, string message)
    {
        GatewayLog.Refused(logger, context.Request.Path, message);
        return ApiErrorAnswer.WriteAsync(context, status, type, message);
    }
}
