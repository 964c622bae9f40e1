using System.Diagnostics;
using System.Globalization;

namespace Claudit.Benchmarks;

/// <summary>
/// The hand-off to the background writer under CPU contention: a call through <c>ClauditHandler</c> with a
/// sink (records handed to the writer loop, which takes them to the sink) against the same call without a
/// sink (the record is built and dropped: no hand-off, no writer), in alternating slices, with BURNERS
/// threads spinning on the same cores meanwhile (0: uncontended). Run it pinned (<c>taskset -c 1</c>) so the
/// writer, the caller and the burners share one core, as on a loaded machine. Prints µs per call for each
/// and their ratio; the goal is a ratio of at most 2 under contention.
/// </summary>
internal static class HandOffBenchmark
{
    public static async Task RunAsync(int seconds, int burners)
    {
        var bench = new HandlerBenchmarks();
        bench.Setup();
        using var stop = new CancellationTokenSource();
        var threads = Enumerable.Range(0, burners).Select(_ => new Thread(() =>
        {
            var x = 0L;
            while (!stop.IsCancellationRequested)
            {
                x++;
            }

            GC.KeepAlive(x);
        })
        { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        // Warm-up: both paths tiered up before anything is timed.
        await SliceAsync(bench.WithClaudit, TimeSpan.FromSeconds(1));
        await SliceAsync(bench.WithClauditNoSink, TimeSpan.FromSeconds(1));
        long withCalls = 0, withoutCalls = 0;
        double withMs = 0, withoutMs = 0;
        var slice = TimeSpan.FromMilliseconds(500);
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var (c1, ms1) = await SliceAsync(bench.WithClaudit, slice);
            var (c2, ms2) = await SliceAsync(bench.WithClauditNoSink, slice);
            withCalls += c1;
            withMs += ms1;
            withoutCalls += c2;
            withoutMs += ms2;
        }

        stop.Cancel();
        threads.ForEach(t => t.Join());
        bench.Cleanup();
        var with = withMs * 1000 / withCalls;
        var without = withoutMs * 1000 / withoutCalls;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"burners {burners}: without the writer {without:F2} µs/call ({withoutCalls:N0} calls), with it {with:F2} µs/call ({withCalls:N0} calls), ratio {with / without:F2}"));
    }

    private static async Task<(long Calls, double Ms)> SliceAsync(Func<Task<int>> call, TimeSpan length)
    {
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

        return (calls, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
