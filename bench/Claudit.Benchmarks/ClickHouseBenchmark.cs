using System.Diagnostics;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store;
using Claudit.Store.ClickHouse;
using Claudit.Store.ReadModel;
using Claudit.Testing;

namespace Claudit.Benchmarks;

/// <summary>
/// The ClickHouse store at scale (docs/scale-out.md): appends COUNT realistic records in the applier's batches of
/// 10,000 (each batch's id check included), re-appends one batch, then times reports, dashboard queries and one
/// record by id. Against the ClickHouse the URL names (bench/scale-out.sh starts one).
/// </summary>
public static class ClickHouseBenchmark
{
    private const int BatchSize = 10_000;

    public static async Task RunAsync(int count, string url)
    {
        var generator = new RecordGenerator(42, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var records = new CallRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = generator.Next();
        }

        await using var store = await ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(url), "bench", TimeSpan.FromMinutes(10));
        var before = await store.CountAsync();
        var watch = Stopwatch.StartNew();
        foreach (var batch in records.Chunk(BatchSize))
        {
            await store.AppendAsync(batch);
        }

        watch.Stop();
        Console.WriteLine($"append: {count:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:N0} records/s (batches of {BatchSize:N0}; {before:N0} stored before)");
        watch.Restart();
        var again = await store.AppendAsync(records.Take(BatchSize).ToArray());
        Console.WriteLine($"re-append of {BatchSize:N0} present records: {again} added, {watch.Elapsed.TotalMilliseconds:F0} ms");

        var range = new RecordFilter { Since = records.Min(r => r.StartTime), Until = records.Max(r => r.StartTime).AddSeconds(1) };
        await Time("report (recorded, by model)", () => store.QueryReportAsync(new ReportOptions(), CostCalculator.Default));
        await Time("report (recomputed, by user)", () => store.QueryReportAsync(new ReportOptions { GroupBy = GroupBy.User, CostMode = CostMode.Recomputed }, CostCalculator.Default));
        await Time("dashboard overview", () => store.QueryOverviewAsync(range, CostBasis.Recorded));
        await Time("dashboard cost by model, auto buckets", () => store.QueryTimeSeriesAsync(range, CostBasis.Recorded, new TimeSeriesQuery(TimeSeriesMetric.Cost, TimeSeriesSplit.Model, TimeBuckets.Auto(range.Since!.Value, range.Until!.Value))));
        await Time("dashboard latency percentiles, auto buckets", () => store.QueryTimeSeriesAsync(range, CostBasis.Recorded, new TimeSeriesQuery(TimeSeriesMetric.Latency, TimeSeriesSplit.None, TimeBuckets.Auto(range.Since!.Value, range.Until!.Value))));
        await Time("dashboard breakdown by user", () => store.QueryBreakdownAsync(range, CostBasis.Recorded, BreakdownKey.User, 20));
        await Time("dashboard sessions (50)", () => store.QuerySessionsAsync(range, CostBasis.Recorded, 50));
        await Time("dashboard calls (recent 100)", () => store.QueryCallsAsync(range, CostBasis.Recorded, new CallListQuery { Limit = 100 }));
        await Time("one record by id", () => store.GetCallAsync(records[count / 2].Id));

        static async Task Time<T>(string what, Func<Task<T>> query)
        {
            var watch = Stopwatch.StartNew();
            await query();
            Console.WriteLine($"{what}: {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }
}
