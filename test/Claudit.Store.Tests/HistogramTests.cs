using System.Globalization;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;
using Claudit.Store.ReadModel;
using DuckDB.NET.Data;

namespace Claudit.Store.Tests;

/// <summary>
/// The hourly latency histograms (Schema/011, <see cref="HistogramSql"/>): percentiles read from them are
/// within 1% of the exact ones (DuckDB's <c>quantile_cont</c> over the same rows), for ranges on and off
/// whole hours, by model and endpoint kind and per time bucket; a store from before them fills them when opened.
/// </summary>
public sealed class HistogramTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 10, 17, 41, TimeSpan.Zero);
    private static readonly double[] Probabilities = [0.5, 0.95, 0.99];

    [Fact]
    public void Quantiles_from_the_buckets_are_within_one_percent_of_the_exact_ones()
    {
        var random = new Random(5);
        // Latencies spread over four orders of magnitude, as real calls are (log-normal), and a few zeros.
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(7 + (1.5 * Normal(random)))).Concat([0, 0, 0]).Order().ToArray();
        var counts = values.GroupBy(Bucket).Select(g => KeyValuePair.Create(g.Key, (long)g.Count())).ToArray();
        var approximate = LogHistogram.Quantiles(counts, Probabilities);
        for (var i = 0; i < Probabilities.Length; i++)
        {
            var exact = Exact(values, Probabilities[i]);
            Assert.InRange(approximate[i]!.Value, exact * 0.99, exact * 1.01);
        }

        Assert.Equal([0, 0], LogHistogram.Quantiles([KeyValuePair.Create(LogHistogram.NonPositive, 4L)], [0.5, 1]));
        Assert.Equal([null], LogHistogram.Quantiles([], [0.5]));
    }

    [Fact]
    public async Task Percentiles_from_the_store_histograms_are_within_one_percent_of_quantile_cont()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var records = await Fill(store);
        var last = records.Max(r => r.StartTime);
        using var connection = new DuckDBConnection($"Data Source={dir.StorePath}");
        connection.Open();
        var hour = TimeSpan.FromHours(1);
        var aligned = new DateTimeOffset(Start.Year, Start.Month, Start.Day, Start.Hour, 0, 0, TimeSpan.Zero);
        var filters = new[]
        {
            RecordFilter.None with { Since = aligned, Until = aligned.AddHours(5), Endpoint = EndpointScope.All },   // whole hours only
            RecordFilter.None with { Since = Start.AddMinutes(3.5), Until = last.AddMinutes(-7) },                   // partial hours at both ends, billable only
            RecordFilter.None with { Since = Start.AddMinutes(20), Until = Start.AddMinutes(50) },                   // within one hour: all raw
        };
        foreach (var filter in filters)
        {
            foreach (var metric in HistogramSql.Metrics)
            {
                Compare(connection, filter, metric, HistogramSql.Quantiles(connection, filter, "all", metric, "''", "''", null, Probabilities, exactUpTo: 0), "''", null);
                Compare(connection, filter, metric, HistogramSql.Quantiles(connection, filter, "model", metric, "key", "coalesce(priced_model, '(none)')", null, Probabilities, exactUpTo: 0),
                    "coalesce(priced_model, '(none)')", null);
                Compare(connection, filter, metric, HistogramSql.Quantiles(connection, filter, "all", metric, "endpoint_kind", "coalesce(endpoint_kind, 'other')", null, Probabilities, exactUpTo: 0),
                    "coalesce(endpoint_kind, 'other')", null);
            }
        }

        // Per time bucket: two-hour buckets from a whole hour.
        var slots = (StoreTime.ToTicks(aligned), (2 * hour).Ticks);
        var series = filters[0];
        Compare(connection, series, "latency_ms", HistogramSql.Quantiles(connection, series, "all", "latency_ms", "''", "''", slots, Probabilities, exactUpTo: 0), "''", slots);

        // Over few values the caller is told to read them exactly.
        Assert.Null(HistogramSql.Quantiles(connection, filters[0], "all", "latency_ms", "''", "''", null, Probabilities));
    }

    [Fact]
    public async Task A_store_from_before_the_histograms_fills_them_when_opened()
    {
        using var dir = new TempStore();
        var store = dir.Open();
        var records = await Fill(store);
        var filter = RecordFilter.None with { Since = Start.AddMinutes(-5), Until = records.Max(r => r.StartTime).AddMinutes(5) };
        Dictionary<(long, string), double?[]> before;
        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            before = HistogramSql.Quantiles(connection, filter, "model", "latency_ms", "key", "coalesce(priced_model, '(none)')", null, Probabilities, exactUpTo: 0)!;
        }

        await store.DisposeAsync();
        using (var connection = new DuckDBConnection($"Data Source={dir.StorePath}"))
        {
            connection.Open();
            // Version 11 also altered 008's call_rollup, which 016 split by dimension: a store from before 11 is one from before 008.
            StoreSql.Execute(connection, "DROP TABLE call_histogram");
            foreach (var table in OlderSchema.RollupTables)
            {
                StoreSql.Execute(connection, $"DROP TABLE {table}");
            }

            StoreSql.Execute(connection, "DROP TABLE call_cost_peak");
            StoreSql.Execute(connection, "DELETE FROM schema_version WHERE version IN (8, 11, 15, 16)");
        }

        // A backfill runs in chunks of whole hours (a 10M-call store at once outgrows the memory limit): here about one an hour.
        var chunkRows = SchemaMigrations.ChunkRows;
        SchemaMigrations.ChunkRows = 1_000;
        DuckDbCallStore reopenedStore;
        try
        {
            reopenedStore = dir.Open();
        }
        finally
        {
            SchemaMigrations.ChunkRows = chunkRows;
        }

        await using var reopened = reopenedStore;
        using var again = new DuckDBConnection($"Data Source={dir.StorePath}");
        again.Open();
        var after = HistogramSql.Quantiles(again, filter, "model", "latency_ms", "key", "coalesce(priced_model, '(none)')", null, Probabilities, exactUpTo: 0)!;
        Assert.Equal(before.Count, after.Count);
        Assert.True(before.Count > 1);
        foreach (var (key, q) in before)
        {
            Assert.Equal(q, after[key]);
        }
    }

    /// <summary>Generated calls (models, endpoints, streaming and not, errors) three seconds apart: a little over five hours.</summary>
    private static async Task<CallRecord[]> Fill(DuckDbCallStore store)
    {
        var generator = new RecordGenerator(23, Start);
        var records = Enumerable.Range(0, 6_500).Select(i =>
        {
            var r = generator.Next();
            var at = Start.AddSeconds(3 * i);
            return r with { Id = Guid.CreateVersion7(at), StartTime = at };
        }).ToArray();
        foreach (var batch in records.Chunk(900))
        {
            await store.AppendAsync(batch);
        }

        return records;
    }

    private static void Compare(DuckDBConnection connection, RecordFilter filter, string metric, Dictionary<(long Slot, string Key), double?[]>? approximate, string key, (long Origin, long Width)? slots)
    {
        Assert.NotNull(approximate);
        var parameters = new List<DuckDBParameter>();
        var where = StoreFilter.Where(filter, parameters);
        var slot = slots is { } s ? $"({StoreTime.TicksSql} - {s.Origin}) // {s.Width}" : "0";
        using var command = StoreSql.Command(connection, $"""
            SELECT {slot}, {key}, quantile_cont({metric}, [{string.Join(", ", Probabilities.Select(p => p.ToString(CultureInfo.InvariantCulture)))}])
            FROM calls WHERE {where} AND {metric} IS NOT NULL AND isfinite({metric}) GROUP BY ALL
            """, parameters);
        using var d = command.ExecuteReader();
        var groups = 0;
        while (d.Read())
        {
            groups++;
            var exact = d.GetFieldValue<List<double>>(2);
            var q = approximate[(d.GetInt64(0), d.GetString(1))];
            for (var i = 0; i < exact.Count; i++)
            {
                Assert.InRange(q[i]!.Value, exact[i] * 0.99 - 1e-9, exact[i] * 1.01 + 1e-9);
            }
        }

        Assert.Equal(groups, approximate.Count);
        Assert.True(groups > 0, $"no {metric} in the range");
    }

    private static int Bucket(double value) => value <= 0 ? LogHistogram.NonPositive : (int)Math.Ceiling(Math.Log(value) / Math.Log(LogHistogram.Gamma));

    private static double Exact(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
