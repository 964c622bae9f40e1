using System.Diagnostics;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Store.DuckDb;
using Claudit.Testing;

namespace Claudit.Benchmarks;

/// <summary>
/// The store at scale: appends COUNT realistic records in gateway-sized batches, then times reports
/// (recomputed and recorded cost, a few groupings) and reads one record back. A plain stopwatch run,
/// not BenchmarkDotNet: one pass over a million rows is the measurement, and a file is its output.
/// </summary>
public static class StoreBenchmark
{
    private const int BatchSize = 10_000;

    public static async Task RunAsync(int count, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, DuckDbCallStore.FileName);
        File.Delete(path);
        File.Delete(path + ".wal");

        // Generated up front, so that the append time is the store's alone.
        var generator = new RecordGenerator(42, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var records = new CallRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = generator.Next();
        }

        await using (var store = DuckDbCallStore.Open(path))
        {
            var watch = Stopwatch.StartNew();
            foreach (var batch in records.Chunk(BatchSize))
            {
                await store.AppendAsync(batch);
            }

            watch.Stop();
            Console.WriteLine($"append: {count:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {count / watch.Elapsed.TotalSeconds:N0} records/s (batches of {BatchSize:N0})");

            watch.Restart();
            var again = await store.AppendAsync(records.Take(BatchSize).ToArray());
            Console.WriteLine($"re-append of {BatchSize:N0} present records: {again} added, {watch.Elapsed.TotalMilliseconds:F0} ms");
        }

        Console.WriteLine($"file: {new FileInfo(path).Length / 1e6:F1} MB ({(double)new FileInfo(path).Length / count:F0} bytes/record)");

        await using var reader = DuckDbCallStore.Open(path, readOnly: true);
        foreach (var (name, options) in new (string, ReportOptions)[]
        {
            ("report (recomputed, by model)", new ReportOptions()),
            ("report (recorded, by model)", new ReportOptions { CostMode = CostMode.Recorded }),
            ("report (recomputed, by user)", new ReportOptions { GroupBy = GroupBy.User }),
            ("report (recomputed, by day, model filter)", new ReportOptions { GroupBy = GroupBy.Day, Filter = new RecordFilter { Model = "claude-sonnet" } }),
        })
        {
            var times = new List<double>();
            Report? report = null;
            for (var run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                report = await reader.QueryReportAsync(options, CostCalculator.Default);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"{name}: {string.Join(" / ", times.Select(t => $"{t:F0}"))} ms ({report!.Calls:N0} calls, {report.By.Count} groups, ${report.CostUsd:N2})");
        }

        var lookup = Stopwatch.StartNew();
        var found = await reader.GetCallAsync(records[count / 2].Id);
        Console.WriteLine($"get one call by id: {lookup.Elapsed.TotalMilliseconds:F1} ms (found: {found is not null})");
    }
}
