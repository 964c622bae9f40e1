using Claudit.Core.Reporting;
using Claudit.Server.Access;
using Claudit.Store;
using Claudit.Store.ClickHouse;
using Claudit.Store.ReadModel;

namespace Claudit.Server.Dashboard;

/// <summary>
/// <c>GET /api/views/{view}</c>: a whole dashboard view in one answer (<see cref="DashboardViews"/>), over the
/// filter every dashboard endpoint takes plus <c>range=auto</c> (the page's default): from the first call of the
/// last 30 days, on a whole bucket, up to now, so that a short demo is not squeezed into one bucket of a day.
/// An unknown parameter answers 400. At start the views are asked once (<see cref="WarmAsync"/>), so that the
/// first person to open the dashboard does not wait for the JIT and a cold store.
/// </summary>
internal static class ViewEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DashboardViews views)
    {
        app.MapGet("/api/views/{view}", async (string view, HttpContext context) =>
        {
            if (!DashboardViews.Names.Contains(view, StringComparer.Ordinal))
            {
                return DashboardEndpoints.BadRequest($"no view '{view}': the views are {string.Join(", ", DashboardViews.Names)}");
            }

            var query = context.Request.Query;
            if (DashboardQuery.Unknown(query.Keys, DashboardQuery.FilterParameters.Concat(DashboardViews.Parameters(view)), properties: view == "calls") is { } unknown)
            {
                return DashboardEndpoints.BadRequest(unknown);
            }

            var parameter = DashboardEndpoints.Parameter(context);
            if (DashboardViews.Parameters(view).Contains("limit") && !DashboardQuery.TryPage(parameter, out _, out _, out var pageError))
            {
                return DashboardEndpoints.BadRequest(pageError!);
            }

            var grant = AccessGrant.Of(context);
            var auto = parameter("range") is "auto";
            var filterParameter = auto ? (name => name == "range" ? "custom" : name is "since" or "until" ? null : parameter(name)) : parameter;
            var now = views.Time.GetUtcNow();
            if (auto)
            {
                var (since, until) = await AutoRangeAsync(views, grant, now, context.RequestAborted).ConfigureAwait(false);
                var inner = filterParameter;
                filterParameter = name => name == "since" ? since.ToString("O") : name == "until" ? until.ToString("O") : inner(name);
            }

            if (!DashboardQuery.TryParseFilter(filterParameter, now, out var filter, out var error) || !DashboardQuery.TryParseCost(parameter, views.Pricing, out var cost, out error))
            {
                return DashboardEndpoints.BadRequest(error!);
            }

            try
            {
                var answer = await views.BuildAsync(view, grant.Scope(filter), cost, parameter, DashboardEndpoints.Properties(context), grant.Tenants is not null, context.RequestAborted).ConfigureAwait(false);
                answer["range"] = auto ? "auto" : parameter("range") is { Length: > 0 } r ? r : "24h";
                return Results.Text(answer.ToJsonString(), "application/json");
            }
            catch (ArgumentException ex)
            {
                return DashboardEndpoints.BadRequest(ex.Message.Split(" (Parameter", 2)[0]);
            }
        });
    }

    /// <summary>From the first call of the last 30 days (at most an hour back when there is none), down to a whole bucket of the range, to the next whole minute.</summary>
    internal static async Task<(DateTimeOffset Since, DateTimeOffset Until)> AutoRangeAsync(DashboardViews views, AccessGrant grant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = new DateTimeOffset((now.UtcTicks / TimeSpan.TicksPerMinute + 1) * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var span = await views.Store.QueryDataSpanAsync(grant.Scope(RecordFilter.None with { Since = until.AddDays(-30), Until = until }), cancellationToken).ConfigureAwait(false);
        var first = span.First ?? until.AddHours(-1);
        var since = Floor(first, TimeSpan.FromMinutes(1));
        since = since < until.AddMinutes(-1) ? since : until.AddMinutes(-1);
        // Buckets on round clock times (13:00, 14:00, not 13:37, 14:37): the range starts on a whole bucket,
        // which also lets hourly buckets be read from the store's hourly histograms.
        for (var i = 0; i < 2; i++)
        {
            since = Floor(since, TimeBuckets.Auto(since, until));
        }

        return (since, until);

        static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width) => new(time.UtcTicks / width.Ticks * width.Ticks, TimeSpan.Zero);
    }

    /// <summary>Asks every view once over the default range (at most the last day on a ClickHouse store), so that the JIT and the store's caches are warm before anyone opens the page.</summary>
    public static async Task WarmAsync(DashboardViews views, CancellationToken cancellationToken)
    {
        var now = views.Time.GetUtcNow();
        var (since, until) = await AutoRangeAsync(views, AccessGrant.Unrestricted, now, cancellationToken).ConfigureAwait(false);
        // A shared ClickHouse store is warmed by every gateway of the fleet as it starts, all at once after a deploy: over the
        // last day only. Its rollup makes the counts and costs cheap over any range, but percentiles, sessions and call lists
        // still read every raw row in range (docs/scale-out.md).
        if (views.Store is ClickHouseCallStore && since < until.AddDays(-1))
        {
            since = until.AddDays(-1);
        }

        var filter = RecordFilter.None with { Since = since, Until = until };
        foreach (var view in DashboardViews.Names)
        {
            await views.BuildAsync(view, filter, CostBasis.Recorded, _ => null, null, restricted: false, cancellationToken).ConfigureAwait(false);
        }
    }
}
