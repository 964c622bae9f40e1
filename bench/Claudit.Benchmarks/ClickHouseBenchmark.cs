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
/// 10,000 (each batch's id check included; generated a batch at a time, so memory stays flat at any COUNT),
/// re-appends one batch, then times reports, dashboard queries and one record by id over every stored call.
/// With <c>--copies N</c> the stored calls are then repeated to N × inside ClickHouse (<see cref="ClickHouseScaleUp"/>)
/// and timed again. COUNT 0 appends nothing (times, or scales, what is stored). Against the ClickHouse the URL
/// names (bench/scale-out.sh starts one).
/// </summary>
public static class ClickHouseBenchmark
{
    private const int BatchSize = 10_000;

    public static async Task RunAsync(int count, string url, int copies)
    {
        await using var store = await ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(url), "bench", TimeSpan.FromMinutes(30));
        if (count > 0)
        {
            await AppendAsync(store, count);
        }

        if (copies <= 1 || count > 0)
        {
            await TimeQueriesAsync(store, reports: true);
        }

        if (copies > 1)
        {
            await ClickHouseScaleUp.RunAsync(url, copies);
            await TimeQueriesAsync(store, reports: false);
        }
    }

    private static async Task AppendAsync(ClickHouseCallStore store, int count)
    {
        var generator = new RecordGenerator(42, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var before = await store.CountAsync();
        CallRecord[]? firstBatch = null;
        var watch = Stopwatch.StartNew();
        for (var done = 0; done < count; done += BatchSize)
        {
            var batch = new CallRecord[Math.Min(BatchSize, count - done)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = generator.Next();
            }

            firstBatch ??= batch;
            await store.AppendAsync(batch);
        }

        watch.Stop();
        Console.WriteLine($"append: {count:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:N0} records/s (batches of {BatchSize:N0}, generated as they go; {before:N0} stored before)");
        watch.Restart();
        var again = await store.AppendAsync(firstBatch!);
        Console.WriteLine($"re-append of {firstBatch!.Length:N0} present records: {again} added, {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>Each query once over every stored call; the reports only when asked (at 10,000,000 calls they take minutes here).</summary>
    private static async Task TimeQueriesAsync(ClickHouseCallStore store, bool reports)
    {
        var span = await store.QueryDataSpanAsync(new RecordFilter { Endpoint = EndpointScope.All });
        // From the first call's minute, as the dashboard's ranges start on a whole bucket (ViewEndpoints.AutoRangeAsync).
        var first = span.First!.Value;
        var range = new RecordFilter { Since = new DateTimeOffset(first.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero), Until = span.Last!.Value.AddSeconds(1) };
        Console.WriteLine($"{await store.CountAsync():N0} calls stored, {span.First:u} to {span.Last:u}");
        if (reports)
        {
            await Time("report (recorded, by model)", () => store.QueryReportAsync(new ReportOptions(), CostCalculator.Default));
            await Time("report (recomputed, by user)", () => store.QueryReportAsync(new ReportOptions { GroupBy = GroupBy.User, CostMode = CostMode.Recomputed }, CostCalculator.Default));
        }

        await Time("dashboard overview", () => store.QueryOverviewAsync(range, CostBasis.Recorded));
        await Time("dashboard cost by model, auto buckets", () => store.QueryTimeSeriesAsync(range, CostBasis.Recorded, new TimeSeriesQuery(TimeSeriesMetric.Cost, TimeSeriesSplit.Model, TimeBuckets.Auto(range.Since!.Value, range.Until!.Value))));
        await Time("dashboard latency percentiles, auto buckets", () => store.QueryTimeSeriesAsync(range, CostBasis.Recorded, new TimeSeriesQuery(TimeSeriesMetric.Latency, TimeSeriesSplit.None, TimeBuckets.Auto(range.Since!.Value, range.Until!.Value))));
        await Time("dashboard breakdown by user", () => store.QueryBreakdownAsync(range, CostBasis.Recorded, BreakdownKey.User, 20));
        await Time("dashboard breakdown by model", () => store.QueryBreakdownAsync(range, CostBasis.Recorded, BreakdownKey.Model, 20));
        await Time("dashboard spend per day", () => store.QueryDailyCostAsync(range, CostBasis.Recorded));
        await Time("dashboard sessions (50)", () => store.QuerySessionsAsync(range, CostBasis.Recorded, 50));
        var recent = await Time("dashboard calls (recent 100)", () => store.QueryCallsAsync(range, CostBasis.Recorded, new CallListQuery { Limit = 100 }));
        await Time("one record by id", () => store.GetCallAsync(recent[^1].Id));

        static async Task<T> Time<T>(string what, Func<Task<T>> query)
        {
            var watch = Stopwatch.StartNew();
            var result = await query();
            Console.WriteLine($"{what}: {watch.Elapsed.TotalMilliseconds:F0} ms");
            return result;
        }
    }
}
