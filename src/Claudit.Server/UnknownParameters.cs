using Claudit.Server.Dashboard;

namespace Claudit.Server;

/// <summary>
/// Every <c>/api/…</c> endpoint answers 400 to a query parameter it does not take (docs/api.md), naming it and
/// the ones it takes: a misspelt filter must not be silently ignored and answer for everything.
/// </summary>
internal static class UnknownParameters
{
    /// <summary>A 400 naming the first parameter of <paramref name="context"/>'s query not in <paramref name="allowed"/>; null when all are known.</summary>
    public static IResult? Refuse(HttpContext context, IEnumerable<string> allowed) =>
        DashboardQuery.Unknown(context.Request.Query.Keys, allowed) is { } unknown ? DashboardEndpoints.BadRequest(unknown) : null;
}
