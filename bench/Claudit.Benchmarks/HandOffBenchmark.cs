using System.Diagnostics;
using System.Globalization;

namespace Claudit.Benchmarks;

/// <summary>
/// The hand-off to the background writer under CPU contention: a call through <c>ClauditHandler</c> with a
/// sink (records handed to the writer loop, which takes them to the sink) against the same call without a
/// sink (the record is built and dropped: no hand-off, no writer), in alternating slices. The contention is
/// made outside (<c>bench/handoff.sh</c> starts spinning processes on the same core). Prints, for each, the
/// wall time a call takes and the process CPU time a call costs (the writer's included), and their ratios;
/// the goal is a ratio of at most 2 under contention.
/// </summary>
internal static class HandOffBenchmark
{
    public static async Task RunAsync(int seconds, string label)
    {
        var bench = new HandlerBenchmarks();
        bench.Setup();
        // Warm-up: both paths tiered up before anything is timed.
        await SliceAsync(bench.WithClaudit, TimeSpan.FromSeconds(1));
        await SliceAsync(bench.WithClauditNoSink, TimeSpan.FromSeconds(1));
        long withCalls = 0, withoutCalls = 0;
        double withMs = 0, withoutMs = 0, withCpu = 0, withoutCpu = 0;
        var slice = TimeSpan.FromMilliseconds(500);
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var (c1, ms1, cpu1) = await SliceAsync(bench.WithClaudit, slice);
            var (c2, ms2, cpu2) = await SliceAsync(bench.WithClauditNoSink, slice);
            withCalls += c1;
            withMs += ms1;
            withCpu += cpu1;
            withoutCalls += c2;
            withoutMs += ms2;
            withoutCpu += cpu2;
        }

        // The last slice's records may still be with the writer: its CPU for them is not counted, a slice's worth at most.
        bench.Cleanup();
        var with = withMs * 1000 / withCalls;
        var without = withoutMs * 1000 / withoutCalls;
        var withCpuPerCall = withCpu * 1000 / withCalls;
        var withoutCpuPerCall = withoutCpu * 1000 / withoutCalls;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: wall µs/call without the writer {without:F2}, with it {with:F2} (ratio {with / without:F2}); CPU µs/call {withoutCpuPerCall:F2} vs {withCpuPerCall:F2} (ratio {withCpuPerCall / withoutCpuPerCall:F2}); {withoutCalls:N0} + {withCalls:N0} calls"));
    }

    private static async Task<(long Calls, double Ms, double CpuMs)> SliceAsync(Func<Task<int>> call, TimeSpan length)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(length.TotalSeconds * Stopwatch.Frequency);
        long calls = 0;
        while (Stopwatch.GetTimestamp() < end)
        {
            for (var i = 0; i < 100; i++, calls++)
            {
                await call();
            }
        }

        var wall = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        process.Refresh();
        return (calls, wall, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
    }
}
