using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Claudit.Mock;

/// <summary>
/// <c>GET /v1/organizations/cost_report</c> (shared/reference/anthropic-usage-cost-api.md §3): daily buckets
/// only, grouped by <c>workspace_id</c> and/or <c>description</c>, <c>amount</c> a decimal string in cents.
/// </summary>
internal static class CostReport
{
    private static readonly string[] Dimensions = ["workspace_id", "description"];

    public static MockError? Answer(HttpRequest request, DateTimeOffset now, UsageLedger ledger, CostReportFormat format, out Action<Utf8JsonWriter>? write)
    {
        write = null;
        var query = request.Query;
        if (query.TryGetValue("bucket_width", out var width) && width != "1d")
        {
            return MockHttp.Invalid($"bucket_width: the cost report has daily buckets only ('1d'), not '{width}'");
        }

        // Limits from the reference's Jan–Feb 2026 version: 1 to 31; the default (7, as for usage) is unconfirmed.
        if (ReportParams.Limit(query, 7, 31, out var limit) is { } badLimit)
        {
            return badLimit;
        }

        if (ReportParams.GroupBy(query, Dimensions, out var groupBy) is { } badGroup)
        {
            return badGroup;
        }

        if (BucketRange.Read(query, BucketWidth.Day, limit, now, out var range) is { } badRange)
        {
            return badRange;
        }

        var byWorkspace = groupBy.Contains("workspace_id");
        var described = groupBy.Contains("description");
        var buckets = new SortedDictionary<string, (string? Workspace, CostLine? Line, decimal Usd)>[range.Count];
        foreach (var cell in ledger.Between(range.PageStart, range.PageEnd))
        {
            if (!CostLine.Billed(cell.Key.ServiceTier))
            {
                continue;
            }

            var index = (int)((cell.Minute - range.PageStart).Ticks / TimeSpan.TicksPerDay);
            var rows = buckets[index] ??= new(StringComparer.Ordinal);
            var workspace = byWorkspace ? cell.Key.WorkspaceId : null;
            foreach (var line in CostLine.Of(cell.Key, cell.Amounts))
            {
                CostLine? shown = described ? line with { Usd = 0 } : null;
                var key = ReportParams.GroupKey([workspace, shown?.SortKey]);
                rows[key] = rows.TryGetValue(key, out var row) ? row with { Usd = row.Usd + line.Usd } : (workspace, shown, line.Usd);
            }
        }

        write = json => range.Write(json, (w, i) =>
        {
            foreach (var (workspace, line, usd) in buckets[i]?.Values ?? Enumerable.Empty<(string?, CostLine?, decimal)>())
            {
                WriteRow(w, workspace, line, usd, format);
            }
        });
        return null;
    }

    /// <summary>One row; the parsed fields are null unless grouped by description (and, for web search, not a token cost).</summary>
    private static void WriteRow(Utf8JsonWriter w, string? workspace, CostLine? line, decimal usd, CostReportFormat format)
    {
        w.WriteStartObject();
        w.WriteString("amount"u8, CostLine.Cents(usd, format));
        w.WriteString("currency"u8, "USD"u8);
        MockHttp.StringOrNull(w, "description", line?.Describe(format));
        MockHttp.StringOrNull(w, "cost_type", line?.CostType);
        MockHttp.StringOrNull(w, "token_type", line?.TokenType);
        MockHttp.StringOrNull(w, "model", line?.Model);
        MockHttp.StringOrNull(w, "service_tier", line?.ServiceTier);
        MockHttp.StringOrNull(w, "context_window", line?.ContextWindow);
        MockHttp.StringOrNull(w, "inference_geo", line?.InferenceGeo);
        MockHttp.StringOrNull(w, "workspace_id", workspace);
        w.WriteEndObject();
    }
}
