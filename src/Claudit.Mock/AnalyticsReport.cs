using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// The Usage and Cost Analytics API (beta): <c>GET /v1/organizations/analytics/usage</c> and <c>/analytics/cost</c>
/// (shared/reference/anthropic-usage-cost-api.md §4). Flat rows <c>{starting_at, ending_at, group, usage|cost}</c>,
/// only for combinations with usage, optionally split by <c>time_bucket_width</c>, ranked and paged by rows.
/// </summary>
internal static class AnalyticsReport
{
    public const string Beta = "analytics-usage-cost-2026-08-24";

    /// <summary>Usage before this is not served (reference §4.2).</summary>
    private static readonly DateTimeOffset Earliest = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The 19 usage dimensions; every row's <c>group</c> carries them all, null unless grouped (or not modelled by the mock).</summary>
    private static readonly string[] UsageDimensions =
    [
        "actor", "actor_type", "agent_id", "api_key_id", "claude_tag_category", "claude_tag_user_id", "context_window", "deployment_id",
        "environment_id", "inference_geo", "model", "product", "rbac_group_id", "service_tier", "speed", "slack_channel_id", "session_id",
        "user_profile_id", "workspace_id",
    ];

    private static readonly string[] CostDimensions = [.. UsageDimensions, "cost_type", "token_type"];

    /// <summary>Filter parameters by dimension: the dimension's plural (the spellings beyond the confirmed ones are inferred).</summary>
    private static readonly Dictionary<string, string> Filters = new(StringComparer.Ordinal)
    {
        ["actor_ids"] = "actor",
        ["actor_types"] = "actor_type",
        ["agent_ids"] = "agent_id",
        ["api_key_ids"] = "api_key_id",
        ["claude_tag_categories"] = "claude_tag_category",
        ["claude_tag_user_ids"] = "claude_tag_user_id",
        ["context_windows"] = "context_window",
        ["deployment_ids"] = "deployment_id",
        ["environment_ids"] = "environment_id",
        ["inference_geos"] = "inference_geo",
        ["models"] = "model",
        ["products"] = "product",
        ["rbac_group_ids"] = "rbac_group_id",
        ["service_tiers"] = "service_tier",
        ["session_ids"] = "session_id",
        ["slack_channel_ids"] = "slack_channel_id",
        ["speeds"] = "speed",
        ["user_profile_ids"] = "user_profile_id",
        ["workspace_ids"] = "workspace_id",
    };

    private static readonly string[] UsageMetrics = ["total_tokens", "requests", "uncached_input_tokens", "cache_read_input_tokens", "output_tokens"];
    private static readonly string[] CostMetrics = ["amount", "list_amount", "requests"];

    public static MockError? Answer(HttpRequest request, bool cost, DateTimeOffset now, UsageLedger ledger, CostReportFormat format, out Action<Utf8JsonWriter>? write)
    {
        write = null;
        var query = request.Query;
        var dimensions = cost ? CostDimensions : UsageDimensions;
        if (ReadWindows(query, now, out var windows) is { } badTime)
        {
            return badTime;
        }

        if (ReportParams.GroupBy(query, dimensions, out var groupBy) is { } badGroup)
        {
            return badGroup;
        }

        // Default and maximum page sizes are unconfirmed (reference §4.2): 100 and 1,000 rows.
        if (ReportParams.Limit(query, 100, 1000, out var limit) is { } badLimit)
        {
            return badLimit;
        }

        var metrics = cost ? CostMetrics : UsageMetrics;
        var orderBy = query["order_by"].ToString();
        var order = query["order"].ToString();
        if ((orderBy.Length > 0 && !metrics.Contains(orderBy)) || order is not ("" or "asc" or "desc"))
        {
            return MockHttp.Invalid($"order_by must be one of {string.Join(", ", metrics)} and order asc or desc (the accepted values are unconfirmed)");
        }

        var offset = 0;
        var page = query["page"].ToString();
        if (page.Length > 0 && (!ReportParams.TryReadCursor(page, out var next) || !int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            return MockHttp.Invalid("page: not a cursor of this query (pass next_page as it came)");
        }

        var filter = ReportParams.Filter(query, Filters);
        var rows = Rows(ledger, windows, filter, dimensions, groupBy, cost);
        var ascending = order == "asc";
        var ranked = (orderBy.Length > 0
                ? rows.OrderBy(r => ascending ? r.Metric(orderBy) : -r.Metric(orderBy)).ThenBy(r => r.Window)
                // By default rows follow the time buckets, each ranked largest first (total_tokens, per the quick start; amount for cost).
                : rows.OrderBy(r => r.Window).ThenBy(r => -r.Metric(cost ? "amount" : "total_tokens")))
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        var pageRows = ranked.Skip(offset).Take(limit).ToList();
        var hasMore = offset + pageRows.Count < ranked.Count;

        write = w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data"u8);
            foreach (var row in pageRows)
            {
                WriteRow(w, row, windows[row.Window], dimensions, format, cost);
            }

            w.WriteEndArray();
            w.WriteBoolean("has_more"u8, hasMore);
            MockHttp.StringOrNull(w, "next_page", hasMore ? ReportParams.Cursor((offset + pageRows.Count).ToString(CultureInfo.InvariantCulture)) : null);
            w.WriteEndObject();
        };
        return null;
    }

    /// <summary>
    /// The time windows of the query: its buckets when <c>time_bucket_width</c> is set, else one window from
    /// <c>starting_at</c> to <c>ending_at</c> rounded down to the hour. <c>ending_at</c> defaults to the earlier of now
    /// and 31 days after the start; spans over 31 days, starts before 2026 or over 365 days back are refused.
    /// </summary>
    private static MockError? ReadWindows(IQueryCollection query, DateTimeOffset now, out List<(DateTimeOffset Start, DateTimeOffset End)> windows)
    {
        windows = [];
        if (ReportParams.Time(query, "starting_at", required: true, out var startValue) is { } badStart)
        {
            return badStart;
        }

        if (ReportParams.Time(query, "ending_at", required: false, out var endValue) is { } badEnd)
        {
            return badEnd;
        }

        var start = startValue!.Value;
        if (start < Earliest || start < now - TimeSpan.FromDays(365))
        {
            return MockHttp.Invalid("starting_at must be on or after 2026-01-01T00:00:00Z and within the last 365 days");
        }

        var maxEnd = start + TimeSpan.FromDays(31);
        var end = endValue ?? (now < maxEnd ? now : maxEnd);
        if (end <= start || end > maxEnd)
        {
            return MockHttp.Invalid("ending_at must be after starting_at and at most 31 days after it");
        }

        if (!query.TryGetValue("time_bucket_width", out var w) || w.ToString().Length == 0)
        {
            var hourEnd = Buckets.Floor(end, BucketWidth.Hour);
            if (hourEnd > start)
            {
                windows.Add((start, hourEnd));
            }

            return null;
        }

        if (!Buckets.TryParse(w, out var width))
        {
            return MockHttp.Invalid($"time_bucket_width: Input should be '1m', '1h' or '1d', not '{w}'");
        }

        for (var t = Buckets.Ceil(start, width); t + Buckets.Step(width) <= end; t += Buckets.Step(width))
        {
            windows.Add((t, t + Buckets.Step(width)));
        }

        return null;
    }

    private static List<Row> Rows(UsageLedger ledger, List<(DateTimeOffset Start, DateTimeOffset End)> windows, UsageFilter filter,
        string[] dimensions, List<string> groupBy, bool cost)
    {
        var rows = new Dictionary<(int, string), Row>();
        if (windows.Count == 0)
        {
            return [];
        }

        var splitsLines = groupBy.Contains("cost_type") || groupBy.Contains("token_type");
        var window = 0;
        foreach (var cell in ledger.Between(windows[0].Start, windows[^1].End))
        {
            while (cell.Minute >= windows[window].End && window < windows.Count - 1)
            {
                window++;
            }

            if (cell.Minute < windows[window].Start || !filter.Matches(cell.Key))
            {
                continue;
            }

            if (!cost)
            {
                Add(Values(cell.Key, null), cell.Amounts, 0m, cell.Amounts.Requests);
                continue;
            }

            if (!CostLine.Billed(cell.Key.ServiceTier))
            {
                continue;
            }

            var counted = false;
            foreach (var line in CostLine.Of(cell.Key, cell.Amounts))
            {
                // Requests are per call: counted once per cell, and not at all (null) when rows split a call by cost or token type.
                Add(Values(cell.Key, line), default, line.Usd, splitsLines || counted ? 0 : cell.Amounts.Requests);
                counted = true;
            }
        }

        return [.. rows.Values.Select(r => splitsLines && cost ? r with { Requests = null } : r)];

        string?[] Values(UsageKey key, CostLine? line) => [.. dimensions.Select(d => !groupBy.Contains(d) ? null
            : d == "cost_type" ? line?.CostType
            : d == "token_type" ? line?.TokenType
            : key[d])];

        void Add(string?[] values, UsageAmounts usage, decimal usd, long requests)
        {
            var key = (window, ReportParams.GroupKey(values));
            rows[key] = rows.TryGetValue(key, out var row)
                ? row with { Usage = row.Usage + usage, Usd = row.Usd + usd, Requests = row.Requests + requests }
                : new Row(window, key.Item2, values, usage, usd, requests);
        }
    }

    private static void WriteRow(Utf8JsonWriter w, Row row, (DateTimeOffset Start, DateTimeOffset End) window, string[] dimensions, CostReportFormat format, bool cost)
    {
        w.WriteStartObject();
        w.WriteString("starting_at"u8, MockHttp.Seconds(window.Start));
        w.WriteString("ending_at"u8, MockHttp.Seconds(window.End));
        w.WriteStartObject("group"u8);
        for (var i = 0; i < dimensions.Length; i++)
        {
            MockHttp.StringOrNull(w, dimensions[i], row.Values[i]);
        }

        w.WriteEndObject();
        if (cost)
        {
            // Field names beyond currency, and the amount's type (a cents string, as the legacy report's), are inferred.
            w.WriteStartObject("cost"u8);
            w.WriteString("amount"u8, CostLine.Cents(row.Usd, format));
            w.WriteString("currency"u8, "USD"u8);
            w.WriteString("list_amount"u8, CostLine.Cents(row.Usd, format)); // the mock grants no discounts
            if (row.Requests is { } requests)
            {
                w.WriteNumber("requests"u8, requests);
            }
            else
            {
                w.WriteNull("requests"u8);
            }

            w.WriteEndObject();
        }
        else
        {
            var u = row.Usage;
            w.WriteStartObject("usage"u8);
            w.WriteNumber("uncached_input_tokens"u8, u.UncachedInput);
            w.WriteNumber("cache_read_input_tokens"u8, u.CacheRead);
            w.WriteNumber("output_tokens"u8, u.Output);
            MessageJson.WriteCacheCreation(w, u.CacheWrite5m, u.CacheWrite1h);
            UsageReport.WriteWebSearches(w, u.WebSearches);
            w.WriteNumber("requests"u8, u.Requests);
            w.WriteNumber("total_tokens"u8, u.TotalTokens);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>One row before writing: its window, group, and sums.</summary>
    private sealed record Row(int Window, string Key, string?[] Values, UsageAmounts Usage, decimal Usd, long? Requests)
    {
        public decimal Metric(string name) => name switch
        {
            "amount" or "list_amount" => Usd,
            "requests" => Requests ?? 0,
            "uncached_input_tokens" => Usage.UncachedInput,
            "cache_read_input_tokens" => Usage.CacheRead,
            "output_tokens" => Usage.Output,
            _ => Usage.TotalTokens,
        };
    }
}
