using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// <c>GET /v1/organizations/usage_report/messages</c> (shared/reference/anthropic-usage-cost-api.md §2): the
/// ledger in UTC buckets of <c>1m</c>/<c>1h</c>/<c>1d</c>, oldest first, empty buckets included, paged by buckets.
/// </summary>
internal static class UsageReport
{
    public const string FastModeBeta = "fast-mode-2026-02-01";

    /// <summary>The <c>group_by[]</c> values, and the dimension fields every result carries (in the reference's order).</summary>
    private static readonly string[] Dimensions =
        ["model", "service_tier", "api_key_id", "workspace_id", "context_window", "inference_geo", "account_id", "service_account_id", "speed"];

    private static readonly Dictionary<string, string> Filters = new(StringComparer.Ordinal)
    {
        ["models"] = "model",
        ["api_key_ids"] = "api_key_id",
        ["workspace_ids"] = "workspace_id",
        ["account_ids"] = "account_id",
        ["service_account_ids"] = "service_account_id",
        ["service_tiers"] = "service_tier",
        ["context_window"] = "context_window", // singular here, as the reference spells it
        ["inference_geos"] = "inference_geo",
        ["speeds"] = "speed",
    };

    /// <summary>Buckets per page by width: default and maximum (reference §2.1).</summary>
    public static (int Default, int Max) Limits(BucketWidth width) => width switch
    {
        BucketWidth.Day => (7, 31),
        BucketWidth.Hour => (24, 168),
        _ => (60, 1440),
    };

    public static MockError? Answer(HttpRequest request, DateTimeOffset now, UsageLedger ledger, out Action<Utf8JsonWriter>? write)
    {
        write = null;
        var query = request.Query;
        // The default width is unconfirmed (reference §2.1); 1d, the coarsest, is the likeliest.
        var width = BucketWidth.Day;
        if (query.TryGetValue("bucket_width", out var w) && !Buckets.TryParse(w, out width))
        {
            return MockHttp.Invalid($"bucket_width: Input should be '1m', '1h' or '1d', not '{w}'");
        }

        var (defaultLimit, maxLimit) = Limits(width);
        if (ReportParams.Limit(query, defaultLimit, maxLimit, out var limit) is { } badLimit)
        {
            return badLimit;
        }

        if (ReportParams.GroupBy(query, Dimensions, out var groupBy) is { } badGroup)
        {
            return badGroup;
        }

        var filter = ReportParams.Filter(query, Filters);
        if ((groupBy.Contains("speed") || MockHttp.Values(query, "speeds").Count > 0) && !MockHttp.HasBeta(request, FastModeBeta))
        {
            return MockHttp.Invalid($"speed grouping and filtering need the anthropic-beta header {FastModeBeta}");
        }

        if (BucketRange.Read(query, width, limit, now, out var range) is { } badRange)
        {
            return badRange;
        }

        var cells = ledger.Between(range.PageStart, range.PageEnd).Where(e => filter.Matches(e.Key));
        var buckets = new SortedDictionary<string, (string?[] Values, UsageAmounts Sum)>[range.Count];
        foreach (var cell in cells)
        {
            var index = (int)((cell.Minute - range.PageStart).Ticks / Buckets.Step(width).Ticks);
            var values = Dimensions.Select(d => groupBy.Contains(d) ? cell.Key[d] : null).ToArray();
            var groups = buckets[index] ??= new(StringComparer.Ordinal);
            var key = ReportParams.GroupKey(values);
            groups[key] = groups.TryGetValue(key, out var found) ? (values, found.Sum + cell.Amounts) : (values, cell.Amounts);
        }

        write = json => range.Write(json, (w, i) =>
        {
            foreach (var (values, sum) in buckets[i]?.Values ?? Enumerable.Empty<(string?[], UsageAmounts)>())
            {
                WriteResult(w, values, sum, groupBy.Contains("speed"));
            }
        });
        return null;
    }

    private static void WriteResult(Utf8JsonWriter w, string?[] values, UsageAmounts sum, bool withSpeed)
    {
        w.WriteStartObject();
        w.WriteNumber("uncached_input_tokens"u8, sum.UncachedInput);
        MessageJson.WriteCacheCreation(w, sum.CacheWrite5m, sum.CacheWrite1h);
        w.WriteNumber("cache_read_input_tokens"u8, sum.CacheRead);
        w.WriteNumber("output_tokens"u8, sum.Output);
        WriteWebSearches(w, sum.WebSearches);
        for (var i = 0; i < Dimensions.Length; i++)
        {
            // speed is unconfirmed in the current reference: sent only when grouped by it.
            if (Dimensions[i] == "speed" && !withSpeed)
            {
                continue;
            }

            MockHttp.StringOrNull(w, Dimensions[i], values[i]);
        }

        w.WriteEndObject();
    }

    /// <summary>The reports count one server tool: web search (no web fetch, no code execution; reference §2.2).</summary>
    internal static void WriteWebSearches(Utf8JsonWriter w, long searches)
    {
        w.WriteStartObject("server_tool_use"u8);
        w.WriteNumber("web_search_requests"u8, searches);
        w.WriteEndObject();
    }
}
