using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Store;
using Claudit.Store.ReadModel;

namespace Claudit.Server.Dashboard;

/// <summary>
/// Each dashboard view's whole data in one answer (<c>/api/views/{view}</c>, docs/api.md): the store queries a
/// view needs run side by side on the server, each on a connection of its own, instead of a browser firing
/// them one request each and queueing them on two cores. The totals, count and cost series and breakdowns
/// come from the store's per-minute rollups; only percentiles and lists read raw rows.
/// </summary>
internal sealed class DashboardViews(IDashboardReadModel store, CostCalculator pricing, TimeProvider time, decimal? dailyBudget, GatewayHealthSource health)
{
    public static readonly string[] Names = ["overview", "cost", "latency", "errors", "quality", "models", "sessions", "calls"];

    /// <summary>The parameters each view takes beyond the filter.</summary>
    public static string[] Parameters(string view) => view switch
    {
        "cost" => ["by"],
        "errors" => ["limit", "offset"],
        "sessions" => ["limit", "offset", "q"],
        "calls" => DashboardQuery.CallParameters,
        _ => [],
    };

    public IDashboardReadModel Store => store;

    public CostCalculator Pricing => pricing;

    public TimeProvider Time => time;

    /// <summary>One view over <paramref name="filter"/>; <paramref name="parameter"/> reads the view's own parameters (already checked to be known).</summary>
    public async Task<JsonObject> BuildAsync(string view, RecordFilter filter, CostBasis cost, Func<string, string?> parameter, IReadOnlyDictionary<string, string>? properties,
        bool restricted, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<string, Task<JsonNode?>>(StringComparer.Ordinal);
        void Add<T>(string name, Task<T> task, JsonTypeInfo<T> info) => parts[name] = task.ContinueWith(t => System.Text.Json.JsonSerializer.SerializeToNode(t.Result, info), cancellationToken,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        var json = DashboardJsonContext.Default;
        var length = filter.Until!.Value - filter.Since!.Value;
        var previous = filter with { Since = filter.Since - length, Until = filter.Since };
        Task<TimeSeries> Series(TimeSeriesMetric metric, TimeSeriesSplit by, RecordFilter? over = null, TimeSpan? bucket = null, double stat = 0.95)
        {
            var f = over ?? filter;
            return store.QueryTimeSeriesAsync(f, cost, new TimeSeriesQuery(metric, by, bucket ?? TimeBuckets.Auto(f.Since!.Value, f.Until!.Value), stat), cancellationToken);
        }

        switch (view)
        {
            case "overview":
                Add("overview", store.QueryOverviewAsync(filter, cost, cancellationToken), json.Overview);
                Add("requests", Series(TimeSeriesMetric.Requests, TimeSeriesSplit.None), json.TimeSeries);
                Add("errors", Series(TimeSeriesMetric.Errors, TimeSeriesSplit.None), json.TimeSeries);
                Add("cost_by_model", Series(TimeSeriesMetric.Cost, TimeSeriesSplit.Model), json.TimeSeries);
                // Cost and why: by token class, model and feature, this range and the one before (one bucket each).
                Add("cost_by_class", Series(TimeSeriesMetric.Cost, TimeSeriesSplit.TokenClass, bucket: length), json.TimeSeries);
                Add("cost_by_class_previous", Series(TimeSeriesMetric.Cost, TimeSeriesSplit.TokenClass, previous, length), json.TimeSeries);
                Add("models", store.QueryBreakdownAsync(filter, cost, BreakdownKey.Model, 8, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("models_previous", store.QueryBreakdownAsync(previous, cost, BreakdownKey.Model, 100, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("features", store.QueryBreakdownAsync(filter, cost, BreakdownKey.Feature, 8, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("features_previous", store.QueryBreakdownAsync(previous, cost, BreakdownKey.Feature, 100, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                // Who: top users and tenants with their share, and the range before for their trend.
                Add("users", store.QueryBreakdownAsync(filter, cost, BreakdownKey.User, 5, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("users_previous", store.QueryBreakdownAsync(previous, cost, BreakdownKey.User, 200, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("tenants", store.QueryBreakdownAsync(filter, cost, BreakdownKey.Tenant, 5, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("tenants_previous", store.QueryBreakdownAsync(previous, cost, BreakdownKey.Tenant, 200, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("endpoints", store.QueryBreakdownAsync(filter with { Endpoint = EndpointScope.All }, cost, BreakdownKey.Endpoint, 50, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("error_groups", store.QueryErrorGroupsAsync(filter, 5, cancellationToken), json.ErrorGroupArray);
                Add("health", health.ReadAsync(!restricted, cancellationToken), json.GatewayHealth);
                break;
            case "cost":
                var by = parameter("by") is { Length: > 0 } b ? b : "model";
                if (!Enum.TryParse<BreakdownKey>(by, ignoreCase: true, out var key) || !Enum.IsDefined(key) || char.IsDigit(by[0]))
                {
                    throw new ArgumentException("by must be one of model, feature, user, tenant");
                }

                Add("overview", store.QueryOverviewAsync(filter, cost, cancellationToken), json.Overview);
                Add("by_class", Series(TimeSeriesMetric.Cost, TimeSeriesSplit.TokenClass), json.TimeSeries);
                Add("by_feature", Series(TimeSeriesMetric.Cost, TimeSeriesSplit.Feature), json.TimeSeries);
                Add("breakdown", store.QueryBreakdownAsync(filter, cost, key, 25, latency: false, cancellationToken: cancellationToken), json.BreakdownRowArray);
                Add("top_calls", store.QueryCallsAsync(filter, cost, new CallListQuery { Order = CallOrder.Cost, Limit = 10 }, cancellationToken), json.CallListItemArray);
                Add("budget", store.QueryDailyCostAsync(filter, cost, cancellationToken).ContinueWith(
                    t => new BudgetReport(dailyBudget, [.. t.Result.Select(d => BudgetDay.Of(d, dailyBudget))]), cancellationToken, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default), json.BudgetReport);
                Add("session_costs", store.QuerySessionCostsAsync(filter, cost, cancellationToken), json.SessionCostDistribution);
                break;
            case "latency":
                Add("overview", store.QueryOverviewAsync(filter, cost, cancellationToken), json.Overview);
                Add("latency", Series(TimeSeriesMetric.Latency, TimeSeriesSplit.None), json.TimeSeries);
                Add("ttft", Series(TimeSeriesMetric.Ttft, TimeSeriesSplit.None), json.TimeSeries);
                Add("latency_by_model", Series(TimeSeriesMetric.Latency, TimeSeriesSplit.Model), json.TimeSeries);
                Add("tokens_per_second", Series(TimeSeriesMetric.TokensPerSecond, TimeSeriesSplit.None), json.TimeSeries);
                Add("health", health.ReadAsync(false, cancellationToken), json.GatewayHealth);
                break;
            case "errors":
                var (limit, offset) = Page(parameter, 25);
                Add("overview", store.QueryOverviewAsync(filter, cost, cancellationToken), json.Overview);
                Add("requests", Series(TimeSeriesMetric.Requests, TimeSeriesSplit.None), json.TimeSeries);
                Add("by_type", Series(TimeSeriesMetric.Errors, TimeSeriesSplit.ErrorType), json.TimeSeries);
                Add("groups", store.QueryErrorGroupsAsync(filter, 20, cancellationToken), json.ErrorGroupArray);
                Add("recent", store.QueryCallsAsync(filter, cost, new CallListQuery { ErrorsOnly = true, Limit = limit + 1, Offset = offset }, cancellationToken), json.CallListItemArray);
                break;
            case "quality":
                Add("quality", store.QueryQualityAsync(filter, cancellationToken), json.Quality);
                break;
            case "models":
                Add("models", store.QueryBreakdownAsync(filter, cost, BreakdownKey.Model, 100, cancellationToken: cancellationToken), json.BreakdownRowArray);
                break;
            case "sessions":
                var (sessionLimit, sessionOffset) = Page(parameter, 50);
                Add("sessions", store.QuerySessionsAsync(filter, cost, sessionLimit + 1, sessionOffset, parameter("q") is { Length: > 0 } q ? q : null, cancellationToken), json.SessionSummaryArray);
                break;
            case "calls":
                if (!DashboardQuery.TryParseCalls(parameter, properties, out var calls, out var error))
                {
                    throw new ArgumentException(error);
                }

                Add("calls", store.QueryCallsAsync(filter, cost, calls with { Limit = calls.Limit + 1 }, cancellationToken), json.CallListItemArray);
                break;
            default:
                throw new ArgumentException($"no view '{view}': the views are {string.Join(", ", Names)}");
        }

        var now = time.GetUtcNow();
        var answer = new JsonObject
        {
            ["view"] = view,
            ["now"] = now,
            ["since"] = filter.Since,
            ["until"] = filter.Until,
            ["bucket_seconds"] = (int)TimeBuckets.Auto(filter.Since!.Value, filter.Until!.Value).TotalSeconds,
        };
        await Task.WhenAll(parts.Values).ConfigureAwait(false);
        foreach (var (name, task) in parts)
        {
            answer[name] = task.Result;
        }

        // Pages were asked one row longer than shown: that row says whether there is a next page.
        foreach (var list in new[] { "recent", "sessions", "calls" })
        {
            if (answer[list] is JsonArray rows)
            {
                var shown = list == "calls" ? Page(parameter, 50).Limit : list == "recent" ? Page(parameter, 25).Limit : Page(parameter, 50).Limit;
                answer["has_more"] = rows.Count > shown;
                while (rows.Count > shown)
                {
                    rows.RemoveAt(rows.Count - 1);
                }
            }
        }

        return answer;
    }

    private static (int Limit, int Offset) Page(Func<string, string?> parameter, int fallback)
    {
        var limit = parameter("limit") is { Length: > 0 } l && int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : fallback;
        var offset = parameter("offset") is { Length: > 0 } o && int.TryParse(o, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 0;
        return (limit, offset);
    }
}
