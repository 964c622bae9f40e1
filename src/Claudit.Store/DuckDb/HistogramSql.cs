using Claudit.Core.Reporting;
using Claudit.Store.ReadModel;
using DuckDB.NET.Data;
using static Claudit.Store.DuckDb.StoreSql;

namespace Claudit.Store.DuckDb;

/// <summary>
/// The hourly latency histograms of <c>call_histogram</c> (Schema/011): one statement adds a set of calls to
/// them (each appended batch, through <see cref="RollupSql.Add"/>, and the rows stored before the table
/// existed), and <see cref="Quantiles"/> reads percentiles from them over a filter — the whole hours in range
/// from the histograms, the partial hours at its ends bucketed from <c>calls</c> the same way. Over at most
/// <see cref="ExactUpTo"/> values the dashboard keeps reading exact percentiles from the raw rows instead.
/// </summary>
internal static class HistogramSql
{
    /// <summary>Up to this many values a percentile is exact (sorting them is cheap); past it, from the histograms.</summary>
    public const long ExactUpTo = 100_000;

    private const long TicksPerHour = TimeSpan.TicksPerHour;

    /// <summary>The calls columns kept in histograms.</summary>
    public static readonly string[] Metrics = ["latency_ms", "ttft_ms", "output_tokens_per_second"];

    /// <summary>The dimensions kept and the key each groups by.</summary>
    private static readonly (string Dim, string Key)[] Dimensions = [("all", "''"), ("model", $"coalesce({BilledModel}, '(none)')")];

    private static string Hour => $"({Ticks} // {TicksPerHour}) * {TicksPerHour}";

    private static string Counted(string metric) => $"{metric} IS NOT NULL AND isfinite({metric})";

    /// <summary>Adds the rows of <paramref name="source"/> (a table shaped like <c>calls</c>) to the histograms.</summary>
    public static void Add(DuckDBConnection connection, DuckDBTransaction? transaction, string source)
    {
        var selects = Dimensions.SelectMany(d => Metrics.Select(m =>
            $"SELECT {Hour}, coalesce(endpoint_kind, 'other'), '{d.Dim}', {d.Key}, '{m}', {LogHistogram.BucketSql(m)}, count(*) FROM {source} WHERE {Counted(m)} GROUP BY ALL"));
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO call_histogram
            {string.Join("\nUNION ALL\n", selects)}
            ON CONFLICT (hour, endpoint_kind, dim, key, metric, bucket) DO UPDATE SET calls = call_histogram.calls + EXCLUDED.calls
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The percentiles <paramref name="probabilities"/> of <paramref name="metric"/> over <paramref name="filter"/>
    /// (which <see cref="RollupSql.Serves"/>), per slot (the time bucket of <paramref name="slots"/>, or 0) and key
    /// (<paramref name="histogramKey"/> over <c>call_histogram</c> of <paramref name="dim"/>, <paramref name="rawKey"/>
    /// the same key over <c>calls</c>); null when the filter holds at most <paramref name="exactUpTo"/> values, for
    /// the caller to read them exactly. Slots need whole-hour buckets from a whole hour.
    /// </summary>
    public static Dictionary<(long Slot, string Key), double?[]>? Quantiles(DuckDBConnection connection, RecordFilter filter, string dim, string metric,
        string histogramKey, string rawKey, (long Origin, long Width)? slots, IReadOnlyList<double> probabilities, long exactUpTo = ExactUpTo)
    {
        var parameters = new List<DuckDBParameter>();
        var (where, endpoints) = WholeUnits.Split(filter, TicksPerHour, "h_", parameters);
        parameters.Add(new DuckDBParameter("h_dim", dim));
        parameters.Add(new DuckDBParameter("h_metric", metric));
        string histogramSlot = "0", rawSlot = "0";
        if (slots is { } s)
        {
            parameters.Add(new DuckDBParameter("h_origin", s.Origin));
            parameters.Add(new DuckDBParameter("h_width", s.Width));
            (histogramSlot, rawSlot) = ("(hour - $h_origin) // $h_width", $"({Ticks} - $h_origin) // $h_width");
        }

        // The partial hours at either end from the raw rows; two ranges rather than one OR, so that DuckDB
        // reads only the row groups at the ends (h_from and h_to are whole hours, so whole microseconds). An end
        // on a whole hour has none, and is left out rather than planned for nothing.
        string Edge(string comparison, string bound) => $"""

                UNION ALL
                SELECT {rawSlot} AS slot, {rawKey} AS k, {LogHistogram.BucketSql(metric)} AS bucket, count(*) AS n
                FROM calls WHERE {where} AND {Counted(metric)} AND start_time {comparison} {StoreTime.MicrosecondSql(bound)} GROUP BY ALL
            """;
        var (before, after) = WholeUnits.PartialEnds(filter, TicksPerHour);
        using var command = Command(connection, $"""
            SELECT slot, k, bucket, CAST(sum(n) AS BIGINT) FROM (
                SELECT {histogramSlot} AS slot, {histogramKey} AS k, bucket, calls AS n FROM call_histogram
                WHERE dim = $h_dim AND metric = $h_metric AND hour >= $h_from AND hour < $h_to AND {endpoints.Replace("endpoint_kind", "call_histogram.endpoint_kind", StringComparison.Ordinal)}{(before ? Edge("<", "h_from_us") : "")}{(after ? Edge(">=", "h_to_us") : "")})
            GROUP BY ALL
            """, parameters);
        using var d = command.ExecuteReader();
        var counts = new Dictionary<(long Slot, string Key), Dictionary<int, long>>();
        var total = 0L;
        while (d.Read())
        {
            var group = (d.GetInt64(0), d.GetString(1));
            if (!counts.TryGetValue(group, out var buckets))
            {
                counts[group] = buckets = [];
            }

            var n = d.GetInt64(3);
            buckets[d.GetInt32(2)] = n;
            total += n;
        }

        return total <= exactUpTo ? null : counts.ToDictionary(c => c.Key, c => LogHistogram.Quantiles(c.Value, probabilities));
    }
}
