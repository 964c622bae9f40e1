using System.Diagnostics;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store;
using Claudit.Store.DuckDb;
using Claudit.Store.ReadModel;
using Claudit.Testing;

namespace Claudit.Benchmarks;

/// <summary>
/// The dashboard's queries at scale (docs/api.md, aim: every view under 300 ms on a million calls): fills a
/// store with COUNT realistic records (or reuses one holding that many), then times each query the
/// dashboard's endpoints run, over the whole span (the worst case: every row in range), the last day
/// and the last hour, and with a filter. Five runs each; the table shows the median and the slowest.
/// </summary>
public static class DashboardBenchmark
{
    private const int BatchSize = 10_000;
    private const int Runs = 5;

    public static async Task RunAsync(int count, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, DuckDbCallStore.FileName);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var store = DuckDbCallStore.Open(path))
        {
            var have = await store.CountAsync();
            if (have != count)
            {
                await store.DisposeAsync();
                File.Delete(path);
                File.Delete(path + ".wal");
                await using var fresh = DuckDbCallStore.Open(path);
                var generator = new RecordGenerator(42, start);
                var watch = Stopwatch.StartNew();
                for (var done = 0; done < count; done += BatchSize)
                {
                    var batch = new CallRecord[Math.Min(BatchSize, count - done)];
                    for (var i = 0; i < batch.Length; i++)
                    {
                        batch[i] = generator.Next();
                    }

                    await fresh.AppendAsync(batch);
                }

                Console.WriteLine($"filled: {count:N0} records in {watch.Elapsed.TotalSeconds:F1} s");
            }
        }

        await using var reader = DuckDbCallStore.Open(path, readOnly: true);
        var all = await reader.QueryReportAsync(new ReportOptions { CostMode = CostMode.Recorded, TopN = 0, RecentErrors = 0 }, CostCalculator.Default);
        var last = all.To!.Value.AddSeconds(1);
        var whole = new RecordFilter { Since = all.From!.Value, Until = last };
        var day = new RecordFilter { Since = last.AddDays(-1), Until = last };
        var hour = new RecordFilter { Since = last.AddHours(-1), Until = last };
        var sonnet = whole with { Model = "claude-sonnet" };
        var session = (await reader.QuerySessionsAsync(hour, CostBasis.Recorded, 1)).First().Id;
        Console.WriteLine($"store: {all.Calls:N0} calls from {all.From:u} to {all.To:u} ({(all.To - all.From)!.Value.TotalHours:F0} h)");
        Console.WriteLine();
        Console.WriteLine("| query (endpoint) | range | rows in range | median ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|");

        var cases = new List<(string Name, string Range, RecordFilter Filter, Func<RecordFilter, Task> Run)>();
        foreach (var (range, filter) in new[] { ("all", whole), ("24h", day), ("1h", hour), ("all, model=claude-sonnet", sonnet) })
        {
            cases.Add(("overview (/api/overview)", range, filter, f => reader.QueryOverviewAsync(f, CostBasis.Recorded)));
            cases.Add(("requests (/api/timeseries?metric=requests)", range, filter, f => Series(reader, f, TimeSeriesMetric.Requests, TimeSeriesSplit.None)));
            cases.Add(("cost by token class (/api/timeseries?metric=cost&by=token_class)", range, filter, f => Series(reader, f, TimeSeriesMetric.Cost, TimeSeriesSplit.TokenClass)));
            cases.Add(("cost by model (/api/timeseries?metric=cost&by=model)", range, filter, f => Series(reader, f, TimeSeriesMetric.Cost, TimeSeriesSplit.Model)));
            cases.Add(("latency p50/p95/p99 (/api/timeseries?metric=latency)", range, filter, f => Series(reader, f, TimeSeriesMetric.Latency, TimeSeriesSplit.None)));
            cases.Add(("p95 latency by model (/api/timeseries?metric=latency&by=model)", range, filter, f => Series(reader, f, TimeSeriesMetric.Latency, TimeSeriesSplit.Model)));
            cases.Add(("ttft p50/p95/p99 (/api/timeseries?metric=ttft)", range, filter, f => Series(reader, f, TimeSeriesMetric.Ttft, TimeSeriesSplit.None)));
            cases.Add(("errors by type (/api/timeseries?metric=errors&by=error_type)", range, filter, f => Series(reader, f, TimeSeriesMetric.Errors, TimeSeriesSplit.ErrorType)));
            cases.Add(("sessions (/api/sessions?limit=100)", range, filter, f => reader.QuerySessionsAsync(f, CostBasis.Recorded, 100)));
            cases.Add(("most expensive calls (/api/calls?order=cost&limit=10)", range, filter, f => reader.QueryCallsAsync(f, CostBasis.Recorded, new CallListQuery { Order = CallOrder.Cost, Limit = 10 })));
            cases.Add(("recent errors (/api/calls?status=error&limit=25)", range, filter, f => reader.QueryCallsAsync(f, CostBasis.Recorded, new CallListQuery { ErrorsOnly = true, Limit = 25 })));
            cases.Add(("recent calls (/api/calls?limit=50)", range, filter, f => reader.QueryCallsAsync(f, CostBasis.Recorded, new CallListQuery())));
            cases.Add(("models (/api/breakdown?by=model)", range, filter, f => reader.QueryBreakdownAsync(f, CostBasis.Recorded, BreakdownKey.Model, 50)));
            cases.Add(("cost by user (/api/breakdown?by=user&limit=25)", range, filter, f => reader.QueryBreakdownAsync(f, CostBasis.Recorded, BreakdownKey.User, 25)));
            cases.Add(("quality (/api/quality)", range, filter, f => reader.QueryQualityAsync(f)));
            cases.Add(("spend per day (/api/budget)", range, filter, f => reader.QueryDailyCostAsync(f, CostBasis.Recorded)));
            cases.Add(("cost per session (/api/sessions/costs)", range, filter, f => reader.QuerySessionCostsAsync(f, CostBasis.Recorded)));
        }

        cases.Add(("one session (/api/sessions/{id})", "any", whole, _ => reader.GetSessionAsync(session, CostBasis.Recorded)));
        cases.Add(("one call (/api/calls/{id})", "any", whole, async _ => await reader.GetCallAsync((await reader.QueryCallsAsync(hour, CostBasis.Recorded, new CallListQuery { Limit = 1 }))[0].Id)));

        var rows = new Dictionary<RecordFilter, long>();
        var worst = 0.0;
        foreach (var (name, range, filter, run) in cases)
        {
            if (!rows.TryGetValue(filter, out var inRange))
            {
                inRange = rows[filter] = (await reader.QueryOverviewAsync(filter, CostBasis.Recorded)).Current.Requests;
            }

            await run(filter); // warm: the first read of a column pays for loading it
            var times = new double[Runs];
            for (var i = 0; i < Runs; i++)
            {
                var watch = Stopwatch.StartNew();
                await run(filter);
                times[i] = watch.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            worst = Math.Max(worst, times[^1]);
            Console.WriteLine($"| {name} | {range} | {inRange:N0} | {times[Runs / 2]:F0} | {times[^1]:F0} |");
        }

        Console.WriteLine();
        Console.WriteLine($"slowest of all: {worst:F0} ms");
    }

    private static Task<TimeSeries> Series(DuckDbCallStore store, RecordFilter filter, TimeSeriesMetric metric, TimeSeriesSplit by) =>
        store.QueryTimeSeriesAsync(filter, CostBasis.Recorded, new TimeSeriesQuery(metric, by, TimeBuckets.Auto(filter.Since!.Value, filter.Until!.Value)));
}
