using System.Net;
using Claudit.Server.Dashboard;
using Microsoft.AspNetCore.Http.Features;

namespace Claudit.Server.Access;

/// <summary>
/// The dashboard's login (docs/api.md#logging-in): <c>GET /login</c> shows a form; <c>POST /login</c>
/// takes the token as the form field <c>token</c>, checks it like any token (hash, constant time), and
/// sets a session cookie — HttpOnly, SameSite=Strict, Secure over https — holding a random session id,
/// never the token; <c>POST /logout</c> ends the session. <c>GET /api/whoami</c> tells the page who it is.
/// </summary>
internal static class LoginEndpoints
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    /// <summary>A login form is a token and a path: anything larger is not one.</summary>
    private const long MaxFormBytes = 8 * 1024;

    public static void Map(IEndpointRouteBuilder app, AccessTokens tokens, LoginSessions sessions)
    {
        app.MapGet(LoginPath, (HttpContext context) =>
        {
            var next = SafeNext(context.Request.Query["next"].ToString());
            return tokens.Count == 0 || sessions.Find(context.Request.Cookies[LoginSessions.CookieName]) is { } ? Results.Redirect(next) : Page(next, null, StatusCodes.Status200OK);
        });

        app.MapPost(LoginPath, async (HttpContext context) =>
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxFormBytes;
            }

            IFormCollection form;
            try
            {
                form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
            {
                return Page("/", "That was not a login form.", StatusCodes.Status400BadRequest);
            }

            var next = SafeNext(form["next"].ToString());
            if (tokens.Find(form["token"].ToString()) is not { } grant)
            {
                return Page(next, "That token is not one of this gateway's.", StatusCodes.Status401Unauthorized);
            }

            if (!grant.Can(AccessRole.Read))
            {
                return Page(next, $"The token {grant.Describe()} cannot read the dashboard.", StatusCodes.Status403Forbidden);
            }

            context.Response.Cookies.Append(LoginSessions.CookieName, sessions.Start(grant), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                MaxAge = LoginSessions.Lifetime,
            });
            return SeeOther(next);
        });

        app.MapPost(LogoutPath, (HttpContext context) =>
        {
            sessions.End(context.Request.Cookies[LoginSessions.CookieName]);
            context.Response.Cookies.Delete(LoginSessions.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });
            return SeeOther(LoginPath);
        });

        app.MapGet("/api/whoami", (HttpContext context) =>
        {
            var grant = AccessGrant.Of(context);
            var session = sessions.Find(context.Request.Cookies[LoginSessions.CookieName]) is not null && context.Request.Headers.Authorization.Count == 0;
            var tenants = grant.Tenants?.Order(StringComparer.Ordinal).ToArray();
            return Results.Json(new WhoAmI(grant.Name, grant.Role.ToString().ToLowerInvariant(), tenants, grant.Tenant, session, tokens.Count > 0), ServerJsonContext.Default.WhoAmI);
        });
    }

    /// <summary>Where to go after logging in: a path on this gateway only (never <c>//host</c> or a URL), else the dashboard.</summary>
    internal static string SafeNext(string next) =>
        next.StartsWith('/') && !next.StartsWith("//", StringComparison.Ordinal) && !next.Contains('\\', StringComparison.Ordinal) && !next.Any(char.IsControl) ? next : "/";

    private static IResult Page(string next, string? message, int status)
    {
        var html = DashboardAssets.Text("login.html")
            .Replace("{{next}}", WebUtility.HtmlEncode(next), StringComparison.Ordinal)
            .Replace("{{message}}", message is null ? "" : $"<p class=\"error\" data-testid=\"login-error\">{WebUtility.HtmlEncode(message)}</p>", StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    /// <summary>After a form post, 303: the browser follows with a GET.</summary>
    private static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
