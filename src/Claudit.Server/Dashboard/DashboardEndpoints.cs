using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Server.Access;
using Claudit.Server.Content;
using Claudit.Store;
using Claudit.Store.ReadModel;

namespace Claudit.Server.Dashboard;

/// <summary>
/// The dashboard's JSON API (docs/api.md): <c>/api/overview</c>, <c>/api/timeseries</c>, <c>/api/breakdown</c>, <c>/api/quality</c>, <c>/api/budget</c>, <c>/api/sessions</c>,
/// <c>/api/sessions/{id}</c>, <c>/api/calls</c>. Every one takes the same filter (<see cref="DashboardQuery"/>) and
/// <c>cost=recorded|recomputed</c> (recorded by default; recomputed re-prices with the gateway's price table);
/// a bad parameter answers 400 with a message naming it. A tenant-scoped token sees only its tenants' calls.
/// </summary>
internal static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder app, IDashboardReadModel store, CostCalculator pricing, TimeProvider time, decimal? dailyBudget, ContentView content)
    {
        app.MapGet("/api/budget", async (HttpContext context) =>
        {
            if (Scope(context, out var filter, out var cost) is { } bad)
            {
                return bad;
            }

            var days = await store.QueryDailyCostAsync(filter, cost, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new BudgetReport(dailyBudget, [.. days.Select(d => BudgetDay.Of(d, dailyBudget))]), DashboardJsonContext.Default.BudgetReport);
        });

        app.MapGet("/api/overview", async (HttpContext context) =>
            Scope(context, out var filter, out var cost) is { } bad ? bad
            : Results.Json(await store.QueryOverviewAsync(filter, cost, context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.Overview));

        app.MapGet("/api/timeseries", async (HttpContext context) =>
        {
            if (Scope(context, out var filter, out var cost, ["metric", "by", "bucket", "stat"]) is { } bad)
            {
                return bad;
            }

            if (!DashboardQuery.TryParseSeries(Parameter(context), filter, out var query, out var error))
            {
                return BadRequest(error!);
            }

            try
            {
                return Results.Json(await store.QueryTimeSeriesAsync(filter, cost, query, context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.TimeSeries);
            }
            catch (ArgumentException ex)
            {
                return BadRequest(ex.Message.Split(" (Parameter", 2)[0]);
            }
        });

        app.MapGet("/api/breakdown", async (HttpContext context) =>
        {
            if (Scope(context, out var filter, out var cost, ["by", "limit"]) is { } bad)
            {
                return bad;
            }

            if (!DashboardQuery.TryParseBreakdown(Parameter(context), out var by, out var limit, out var error))
            {
                return BadRequest(error!);
            }

            return Results.Json(await store.QueryBreakdownAsync(filter, cost, by, limit, cancellationToken: context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.BreakdownRowArray);
        });

        app.MapGet("/api/quality", async (HttpContext context) =>
            Scope(context, out var filter, out var cost) is { } bad ? bad
            : Results.Json(await store.QueryQualityAsync(filter, context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.Quality));

        app.MapGet("/api/sessions", async (HttpContext context) =>
        {
            if (Scope(context, out var filter, out var cost, ["limit", "offset", "q"]) is { } bad)
            {
                return bad;
            }

            if (!DashboardQuery.TryPage(Parameter(context), out var limit, out var offset, out var error))
            {
                return BadRequest(error!);
            }

            var sessions = await store.QuerySessionsAsync(filter, cost, limit, offset, Parameter(context)("q") is { Length: > 0 } q ? q : null, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(sessions, DashboardJsonContext.Default.SessionSummaryArray);
        });

        // Before /api/sessions/{id}: a literal segment wins over a parameter in routing anyway, but reads clearer.
        app.MapGet("/api/sessions/costs", async (HttpContext context) =>
            Scope(context, out var filter, out var cost) is { } bad ? bad
            : Results.Json(await store.QuerySessionCostsAsync(filter, cost, context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.SessionCostDistribution));

        app.MapGet("/api/sessions/{id}", async (string id, HttpContext context) =>
            DashboardQuery.Unknown(context.Request.Query.Keys, ["cost"]) is { } unknown ? BadRequest(unknown)
            : !DashboardQuery.TryParseCost(Parameter(context), pricing, out var cost, out var error) ? BadRequest(error!)
            : await store.GetSessionAsync(id, cost, AccessGrant.Of(context).Scope(RecordFilter.None), context.RequestAborted).ConfigureAwait(false) is { } session
                ? Results.Json(await content.WithContentAsync(session, context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.SessionDetail)
                : Results.Json(new IngestError($"no session '{id}' in the store"), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/api/calls", async (HttpContext context) =>
        {
            if (Scope(context, out var filter, out var cost, DashboardQuery.CallParameters, properties: true) is { } bad)
            {
                return bad;
            }

            if (!DashboardQuery.TryParseCalls(Parameter(context), Properties(context), out var query, out var error))
            {
                return BadRequest(error!);
            }

            // One session's calls are listed whatever the range, as its timeline is.
            if (query.Session is not null && context.Request.Query["range"].Count == 0 && context.Request.Query["since"].Count == 0)
            {
                filter = filter with { Since = null, Until = null };
            }

            return Results.Json(await store.QueryCallsAsync(filter, cost, query, context.RequestAborted).ConfigureAwait(false), DashboardJsonContext.Default.CallListItemArray);
        });

        IResult? Scope(HttpContext context, out RecordFilter filter, out CostBasis cost, string[]? extra = null, bool properties = false)
        {
            cost = CostBasis.Recorded;
            filter = RecordFilter.None;
            if (DashboardQuery.Unknown(context.Request.Query.Keys, DashboardQuery.FilterParameters.Concat(extra ?? []), properties) is { } unknown)
            {
                return BadRequest(unknown);
            }

            if (!DashboardQuery.TryParseFilter(Parameter(context), time.GetUtcNow(), out filter, out var error))
            {
                return BadRequest(error!);
            }

            // A tenant-scoped token sees its tenants only: the store's queries filter by them.
            filter = AccessGrant.Of(context).Scope(filter);
            return !DashboardQuery.TryParseCost(Parameter(context), pricing, out cost, out error) ? BadRequest(error!) : null;
        }
    }

    /// <summary>The <c>property.NAME=value</c> parameters, or null when there are none.</summary>
    internal static Dictionary<string, string>? Properties(HttpContext context)
    {
        var properties = context.Request.Query.Where(p => p.Key.StartsWith(DashboardQuery.PropertyPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[DashboardQuery.PropertyPrefix.Length..], p => p.Value.ToString(), StringComparer.Ordinal);
        return properties.Count == 0 ? null : properties;
    }

    internal static Func<string, string?> Parameter(HttpContext context)
    {
        var query = context.Request.Query;
        return name => query.TryGetValue(name, out var v) ? v.ToString() : null;
    }

    internal static IResult BadRequest(string error) =>
        Results.Json(new IngestError(error), ServerJsonContext.Default.IngestError, statusCode: StatusCodes.Status400BadRequest);
}
