using System.Globalization;
using System.Text.Json;
using Claudit.Core.Reconcile;

namespace Claudit.Server.Reconcile;

/// <summary>
/// A reconciliation as JSON, the same for <c>claudit reconcile --format json</c> and <c>/api/reconcile</c>
/// (docs/reconcile.md): <c>rows</c> and <c>totals</c>, each with <c>recorded</c>, <c>billed</c> and <c>difference</c>
/// objects (billed − recorded) and a <c>verdict</c>.
/// </summary>
public static class ReconcileJson
{
    public static void Write(Utf8JsonWriter w, Reconciliation reconciliation, Action<Utf8JsonWriter>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(reconciliation);
        w.WriteStartObject();
        w.WriteString("since", Time(reconciliation.Since));
        w.WriteString("until", Time(reconciliation.Until));
        w.WriteString("by", reconciliation.Width == ReconcileWidth.Hour ? "hour" : "day");
        w.WriteString("tolerance", reconciliation.Tolerance.ToString());
        w.WriteBoolean("all_match", reconciliation.AllMatch);
        w.WriteStartArray("rows");
        foreach (var row in reconciliation.Rows)
        {
            w.WriteStartObject();
            w.WriteString("bucket", Time(row.Key.Bucket));
            w.WriteString("model", row.Key.Model);
            w.WriteString("service_tier", row.Key.ServiceTier);
            Sides(w, row);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("totals");
        Sides(w, reconciliation.Totals);
        w.WriteNumber("unrecorded_cost_usd", reconciliation.UnrecordedCostUsd);
        if (reconciliation.UnrecordedShare is { } share)
        {
            w.WriteNumber("unrecorded_share", share);
        }
        else
        {
            w.WriteNull("unrecorded_share");
        }

        w.WriteEndObject();
        extra?.Invoke(w);
        w.WriteEndObject();
    }

    public static string Serialize(Reconciliation reconciliation)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(w, reconciliation);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Sides(Utf8JsonWriter w, ReconcileRow row)
    {
        Amounts(w, "recorded", row.Recorded);
        Amounts(w, "billed", row.Billed);
        Amounts(w, "difference", row.Difference);
        w.WriteString("verdict", row.Verdict);
    }

    private static void Amounts(Utf8JsonWriter w, string name, ReconcileAmounts a)
    {
        w.WriteStartObject(name);
        w.WriteNumber("uncached_input_tokens", a.UncachedInputTokens);
        w.WriteNumber("cache_write_5m_tokens", a.CacheWrite5mTokens);
        w.WriteNumber("cache_write_1h_tokens", a.CacheWrite1hTokens);
        w.WriteNumber("cache_read_input_tokens", a.CacheReadTokens);
        w.WriteNumber("output_tokens", a.OutputTokens);
        w.WriteNumber("web_search_requests", a.WebSearchRequests);
        if (a.CostUsd is { } cost)
        {
            w.WriteNumber("cost_usd", Core.Pricing.Money.Trim(cost));
        }
        else
        {
            w.WriteNull("cost_usd");
        }

        w.WriteEndObject();
    }
}
