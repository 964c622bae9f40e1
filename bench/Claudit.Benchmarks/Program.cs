using System.Text.Json;
using BenchmarkDotNet.Running;
using Claudit.Benchmarks;
using Claudit.Core.Serialization;
using Claudit.Testing;

// `generate COUNT FILE [SEED] [--lean|--tracer]` writes realistic records as JSONL (Claudit's shape, lean, or tracer.py's) (the report benchmark's input);
// `store-bench COUNT DIR` times appending and reporting on a DuckDB store (StoreBenchmark);
// `clickhouse-bench COUNT URL [--copies N]` times appending, reports and dashboard queries on a ClickHouse store, and with --copies repeats its calls N x inside ClickHouse, shifted in time, and times them again (ClickHouseBenchmark, ClickHouseScaleUp);
// `dashboard-bench COUNT DIR` times the dashboard API's queries on a store of COUNT records (DashboardBenchmark);
// `scale-store SRC DST COPIES` makes a store of COPIES x SRC's calls, shifted in time, rollups rebuilt by the store's own upgrade (StoreScaleUp);
// `dashboard-views DIR [--browser] [--store clickhouse://…] [--runs N] [--ranges auto,24h,1h] [--settle SECONDS] [--timeline]` times each dashboard view's one request, and with --browser its first load in a fresh Chromium (--timeline: when each of its requests started and ended), through a real gateway over that store (DashboardViewBenchmark);
// `alert-bench SECONDS DIR` times the alert evaluator at 2,000 calls/s with the built-in rules (AlertBenchmark);
// `alert-latency RUNS [PERIOD...]` times first faulty call -> webhook POST through a real gateway (AlertLatencyBenchmark);
// `bare-proxy PORT UPSTREAM [h2c]` runs YARP's MapForwarder alone, the gateway's baseline (BareForwarder; h2c: HTTP/2 with prior knowledge upstream);
// `streams-load URL CONCURRENCY SECONDS MODEL RAMP_SECONDS` holds that many paced streams open (StreamsLoad, bench/streams.sh);
// `handoff-bench SECONDS LABEL` times a call with and without the record writer, wall and CPU (HandOffBenchmark, bench/handoff.sh);
// `report-phases FILE [LINES] [ROUNDS]` times reading and folding report records in memory on one thread (ReportPhases);
// `handler-loop SECONDS json|stream` calls through ClauditHandler in a loop, for a profiler to attach (dotnet-trace);
// anything else runs BenchmarkDotNet (e.g. `--filter *Sse*`).
if (args.Length >= 3 && args[0] == "store-bench")
{
    await StoreBenchmark.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
    return 0;
}

if (args.Length >= 3 && args[0] == "clickhouse-bench")
{
    var copies = Array.IndexOf(args, "--copies") is var at and > 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
    await ClickHouseBenchmark.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2], copies);
    return 0;
}

if (args.Length >= 3 && args[0] == "dashboard-bench")
{
    await DashboardBenchmark.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
    return 0;
}

if (args.Length >= 4 && args[0] == "scale-store")
{
    await StoreScaleUp.RunAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length >= 2 && args[0] == "dashboard-views")
{
    var store = Array.IndexOf(args, "--store") is var at and > 0 && at + 1 < args.Length ? args[at + 1] : null;
    var runs = Array.IndexOf(args, "--runs") is var r and > 0 && r + 1 < args.Length ? int.Parse(args[r + 1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    var ranges = Array.IndexOf(args, "--ranges") is var g and > 0 && g + 1 < args.Length ? args[g + 1].Split(',') : null;
    var settle = Array.IndexOf(args, "--settle") is var w and > 0 && w + 1 < args.Length ? int.Parse(args[w + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
    await DashboardViewBenchmark.RunAsync(args[1], args.Contains("--browser"), store, runs, ranges, settle, args.Contains("--timeline"));
    return 0;
}

if (args.Length >= 3 && args[0] == "alert-bench")
{
    await AlertBenchmark.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
    return 0;
}

if (args.Length >= 2 && args[0] == "alert-latency")
{
    var periods = args.Skip(2).Select(p => Claudit.Alerts.Rules.DurationText.TryParse(p, out var d) ? d : throw new ArgumentException($"not a duration: {p}")).ToList();
    await AlertLatencyBenchmark.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), periods.Count > 0 ? periods : [TimeSpan.FromSeconds(1)]);
    return 0;
}

if (args.Length >= 3 && args[0] == "bare-proxy")
{
    await BareForwarder.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2], args.Length > 3 && args[3] == "h2c");
    return 0;
}

if (args.Length >= 6 && args[0] == "streams-load")
{
    var inv = System.Globalization.CultureInfo.InvariantCulture;
    await StreamsLoad.RunAsync(args[1], int.Parse(args[2], inv), int.Parse(args[3], inv), args[4], double.Parse(args[5], inv));
    return 0;
}

if (args.Length >= 3 && args[0] == "handoff-bench")
{
    await HandOffBenchmark.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
    return 0;
}

if (args.Length >= 2 && args[0] == "report-phases")
{
    var inv = System.Globalization.CultureInfo.InvariantCulture;
    ReportPhases.Run(args[1], args.Length > 2 ? int.Parse(args[2], inv) : 200_000, args.Length > 3 ? int.Parse(args[3], inv) : 3);
    return 0;
}

if (args.Length >= 3 && args[0] == "handler-loop")
{
    var bench = new HandlerBenchmarks();
    bench.Setup();
    var until = DateTime.UtcNow.AddSeconds(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    var calls = 0L;
    while (DateTime.UtcNow < until)
    {
        for (var i = 0; i < 1000; i++, calls++)
        {
            await (args[2] == "stream" ? bench.WithClauditStreaming() : bench.WithClaudit());
        }
    }

    bench.Cleanup();
    Console.Error.WriteLine($"{calls:N0} calls");
    return 0;
}

if (args.Length >= 3 && args[0] == "generate")
{
    var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    var seed = args.Length > 3 && !args[3].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 42;
    var generator = new RecordGenerator(seed, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), lean: args.Contains("--lean"));
    await using var file = new FileStream(args[2], FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    await using var json = new Utf8JsonWriter(file);
    var tracer = args.Contains("--tracer");
    for (var i = 0; i < count; i++)
    {
        if (tracer)
        {
            TracerLines.Write(json, generator.Next(), i);
        }
        else
        {
            CallRecordJsonWriter.Write(json, generator.Next());
        }

        json.Flush();
        json.Reset();
        file.WriteByte((byte)'\n');
    }

    Console.Error.WriteLine($"wrote {count:N0} records, {file.Length / 1e6:F1} MB, to {args[2]}");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(StoreBenchmark).Assembly).Run(args);
return 0;
