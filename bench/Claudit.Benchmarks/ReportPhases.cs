using System.Diagnostics;
using Claudit.Core.Pricing;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;

namespace Claudit.Benchmarks;

/// <summary>
/// `report-phases FILE [LINES] [ROUNDS]`: where a report's CPU goes per record, on one thread, without the CLI's
/// start-up or the file's reads: the first LINES lines held in memory, then read (JSON to record) and read + folded
/// (<see cref="ReportAccumulator"/>) from records, and read + folded from the report's fields without a record (what
/// `claudit report` does: <see cref="CallRecordJsonReader.TryReadReportFields"/>), ROUNDS times, alternating; process CPU
/// per record and allocation per record.
/// </summary>
internal static class ReportPhases
{
    public static void Run(string file, int lines, int rounds)
    {
        var data = File.ReadLines(file).Take(lines).Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        var options = CallRecordReadOptions.ForReport(recordedCost: true);
        var calculator = new CostCalculator(PriceTable.Default);
        for (var round = 0; round <= rounds; round++)
        {
            var read = Measure(() =>
            {
                var pool = new Utf8StringPool();
                foreach (var line in data)
                {
                    CallRecordJsonReader.TryRead(line, pool, options, out _, out _);
                }
            });
            var fold = Measure(() =>
            {
                var pool = new Utf8StringPool();
                var acc = new ReportAccumulator(new ReportOptions(), calculator);
                foreach (var line in data)
                {
                    if (CallRecordJsonReader.TryRead(line, pool, options, out var record, out _))
                    {
                        acc.Add(record!);
                    }
                }

                acc.Build();
            });
            var fields = Measure(() =>
            {
                var pool = new Utf8StringPool();
                var acc = new ReportAccumulator(new ReportOptions(), calculator);
                foreach (var line in data)
                {
                    if (CallRecordJsonReader.TryReadReportFields(line, pool, options, out var f, out _))
                    {
                        acc.Add(in f);
                    }
                }

                acc.Build();
            });
            if (round > 0) // the first round warms the JIT
            {
                Console.WriteLine($"round {round}: read {read.Cpu / data.Length * 1e6:F3} µs, {read.Bytes / data.Length} B; read+fold {fold.Cpu / data.Length * 1e6:F3} µs, {fold.Bytes / data.Length} B; "
                    + $"fields read+fold (the CLI's) {fields.Cpu / data.Length * 1e6:F3} µs, {fields.Bytes / data.Length} B per record ({data.Length:N0} lines)");
            }
        }
    }

    private static (double Cpu, long Bytes) Measure(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        action();
        return ((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - bytes);
    }
}
