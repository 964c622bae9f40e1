using System.Diagnostics;
using Claudit.Alerts;
using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.DuckDb;
using Claudit.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Benchmarks;

/// <summary>
/// The alert evaluator's cost at 2,000 calls/s with every built-in rule on (and a daily budget, so the
/// budget rules read something), over realistic generated records (5,000 users, sessions, seven models).
/// Two measurements, plain stopwatch and process CPU time:
/// <list type="bullet">
/// <item><c>replay</c>: records fed as fast as the evaluator takes them, evaluations every 10 s of the
/// records' own time: µs of CPU per record and per evaluation, hence the CPU share at 2,000/s.</item>
/// <item><c>live</c>: the gateway's <see cref="AlertService"/> over a real store, fed 2,000 records a second
/// in real time through <see cref="AlertService.Observe"/> (the record queue's path), evaluating every
/// 10 s: the process's CPU over the run, less the same run's idle CPU.</item>
/// </list>
/// </summary>
public static class AlertBenchmark
{
    private const int PerSecond = 2_000;

    public static async Task RunAsync(int seconds, string directory)
    {
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var records = Generate(start, seconds * PerSecond);
        Console.WriteLine($"{records.Length:N0} records, {seconds} s of traffic at {PerSecond:N0}/s; {DefaultRules.All.Count} built-in rules: {string.Join(", ", DefaultRules.All.Select(r => r.Name))}");
        Replay(records, start);
        await LiveAsync(records, directory);
    }

    private static CallRecord[] Generate(DateTimeOffset start, int count)
    {
        var generator = new RecordGenerator(42, start);
        var records = new CallRecord[count];
        for (var i = 0; i < count; i++)
        {
            var t = start.AddTicks(i * (TimeSpan.TicksPerSecond / PerSecond));
            records[i] = generator.Next() with { StartTime = t, Id = Guid.CreateVersion7(t) };
        }

        return records;
    }

    private static void Replay(CallRecord[] records, DateTimeOffset start)
    {
        // Twice: the first pass warms the JIT; the second is measured.
        for (var pass = 0; pass < 2; pass++)
        {
            var clock = new ReplayClock(start);
            var spend = new SpendLedger();
            var evaluator = new AlertEvaluator(DefaultRules.All, clock, spend, new DailyBudgetStatus(100m, spend));
            var next = start.AddSeconds(10);
            var observeTicks = 0L;
            var evaluateTicks = 0L;
            var evaluations = 0;
            var transitions = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var chunk = Stopwatch.StartNew();
            foreach (var record in records)
            {
                if (record.StartTime >= next)
                {
                    observeTicks += chunk.ElapsedTicks;
                    clock.Set(next);
                    var e = Stopwatch.StartNew();
                    transitions += evaluator.Evaluate().Transitions.Count;
                    evaluateTicks += e.ElapsedTicks;
                    evaluations++;
                    next = next.AddSeconds(10);
                    chunk.Restart();
                }

                evaluator.Observe(record);
            }

            observeTicks += chunk.ElapsedTicks;
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            if (pass == 0)
            {
                continue;
            }

            var perRecordUs = observeTicks * 1e6 / Stopwatch.Frequency / records.Length;
            var perEvaluationMs = evaluateTicks * 1e3 / Stopwatch.Frequency / Math.Max(1, evaluations);
            var simulated = (double)records.Length / PerSecond;
            var groups = evaluator.Snapshot(null).Rules.Sum(r => r.Groups);
            // CPU time, not wall time: on a shared machine the wall clock also counts other processes' turns.
            Console.WriteLine($"replay: process CPU {cpuUsed.TotalSeconds:F2} s for {records.Length:N0} records and {evaluations} evaluations = {cpuUsed.TotalMicroseconds / records.Length:F2} µs per record, "
                + $"{cpuUsed.TotalSeconds / simulated * 100:F2}% of one core at {PerSecond:N0} calls/s ({groups:N0} groups, {transitions} transitions); "
                + $"wall: {perRecordUs:F2} µs per Observe, {perEvaluationMs:F2} ms per evaluation");
        }
    }

    private static async Task LiveAsync(CallRecord[] records, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, DuckDbCallStore.FileName);
        File.Delete(path);
        File.Delete(path + ".wal");
        await using var store = DuckDbCallStore.Open(path);
        var seconds = records.Length / PerSecond;

        // The same paced loop without the service: what pacing itself costs.
        var idle = await PaceAsync(records, null);
        var spend = new SpendLedger();
        await using var service = new AlertService(AlertsConfig.Defaults, store, TimeProvider.System, NullLogger.Instance, new DailyBudgetStatus(100m, spend), spend);
        service.Start(new Uri("http://127.0.0.1:4000"));
        await service.Ready;
        var busy = await PaceAsync(records, service.Observe);
        var extra = busy - idle;
        Console.WriteLine($"live: AlertService fed {records.Length:N0} records at {PerSecond:N0}/s for {seconds} s in real time: process CPU {busy.TotalSeconds:F2} s, "
            + $"{idle.TotalSeconds:F2} s for the same paced loop without it => {extra.TotalSeconds / seconds * 100:F2}% of one core for alerting; "
            + $"{service.Evaluations} evaluations, {service.RecordsObserved:N0} observed, {service.RecordsDropped} dropped");
    }

    /// <summary>Hands the records on at 2,000 a second (a batch every 10 ms) and returns the process CPU it took.</summary>
    private static async Task<TimeSpan> PaceAsync(CallRecord[] records, Action<CallRecord>? observe)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var batch = PerSecond / 100;
        for (var i = 0; i < records.Length; i += batch)
        {
            for (var j = i; j < Math.Min(records.Length, i + batch); j++)
            {
                observe?.Invoke(records[j]);
            }

            var due = TimeSpan.FromSeconds((double)(i + batch) / PerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        // Let the service take what is queued and evaluate once more before the meter stops.
        await Task.Delay(TimeSpan.FromSeconds(1));
        return Process.GetCurrentProcess().TotalProcessorTime - cpu;
    }
}
