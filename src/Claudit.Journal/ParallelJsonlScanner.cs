using System.Runtime.ExceptionServices;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;
using Claudit.Core.Serialization;
using Microsoft.Win32.SafeHandles;

namespace Claudit.Journal;

/// <summary>
/// Folds JSONL files into per-thread states using every core. A file is cut into as many byte ranges
/// as there are workers, each starting after a line end; each worker is a dedicated thread that reads
/// its range with positional reads and parses UTF-8 straight from 1 MB blocks. Nothing is handed
/// between threads until the end, so no core spins waiting for another. Streams that are not files
/// (standard input) are read by one worker. Memory is one block per worker, whatever the file size.
/// </summary>
public static class ParallelJsonlScanner
{
    private const int BlockSize = 1 << 20;

    /// <summary>Files smaller than this are not worth splitting.</summary>
    private const long MinBytesPerWorker = 4 << 20;

    /// <summary>
    /// Reads every input in turn and returns the workers' states, to be merged by the caller.
    /// <paramref name="progress"/> gets the bytes read so far.
    /// </summary>
    public static Task<IReadOnlyList<TState>> ScanAsync<TState>(
        IEnumerable<(string Name, Func<Stream> Open)> inputs,
        Func<TState> createState,
        Action<TState, CallRecord> add,
        ReadStats stats,
        CallRecordReadOptions? readOptions = null,
        int? workers = null,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default) =>
        Scan(inputs, createState, JsonlBlockParser.RecordFold(readOptions ?? CallRecordReadOptions.Full, add), stats, workers, progress, cancellationToken);

    /// <summary>
    /// A report over the inputs: one <see cref="ReportAccumulator"/> per worker, to be merged by the caller. Each line
    /// is folded from its fields without a <see cref="CallRecord"/> (only calls that make the report's lists become one).
    /// </summary>
    public static Task<IReadOnlyList<ReportAccumulator>> ScanReportAsync(
        IEnumerable<(string Name, Func<Stream> Open)> inputs,
        ReportOptions options,
        CostCalculator pricing,
        ReadStats stats,
        int? workers = null,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var read = CallRecordReadOptions.ForReport(recordedCost: options.CostMode == CostMode.Recorded);
        return Scan(
            inputs,
            () => new ReportAccumulator(options, pricing),
            (ReportAccumulator report, ReadOnlySpan<byte> line, Utf8StringPool pool, out string? error) =>
            {
                if (!CallRecordJsonReader.TryReadReportFields(line, pool, read, out var fields, out error))
                {
                    return false;
                }

                report.Add(in fields);
                return true;
            },
            stats,
            workers,
            progress,
            cancellationToken);
    }

    private static Task<IReadOnlyList<TState>> Scan<TState>(IEnumerable<(string Name, Func<Stream> Open)> inputs, Func<TState> createState,
        LineFold<TState> fold, ReadStats stats, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var workerCount = Math.Max(1, workers ?? Environment.ProcessorCount);
        return Task.Factory.StartNew<IReadOnlyList<TState>>(
            () =>
            {
                var states = new TState[workerCount];
                var pools = new Utf8StringPool[workerCount];
                for (var i = 0; i < workerCount; i++)
                {
                    states[i] = createState();
                    pools[i] = new Utf8StringPool();
                }

                foreach (var (name, open) in inputs)
                {
                    using var stream = open();
                    if (stream is FileStream { CanSeek: true } file && workerCount > 1 && file.Length >= 2 * MinBytesPerWorker)
                    {
                        var ranges = (int)Math.Min(workerCount, file.Length / MinBytesPerWorker);
                        ScanRanges(file.SafeFileHandle, file.Length, ranges, name, states, pools, fold, stats, progress, cancellationToken);
                    }
                    else
                    {
                        ScanStream(stream, name, null, states[0], pools[0], fold, stats, progress, cancellationToken);
                    }
                }

                return states;
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private static void ScanRanges<TState>(SafeFileHandle file, long length, int ranges, string name, TState[] states, Utf8StringPool[] pools,
        LineFold<TState> fold, ReadStats stats, IProgress<long>? progress, CancellationToken ct)
    {
        var starts = RangeStarts(file, length, ranges);
        var threads = new Thread[ranges];
        ExceptionDispatchInfo? failure = null;
        for (var i = 0; i < ranges; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                try
                {
                    using var range = new FileRangeStream(file, starts[index], starts[index + 1]);
                    // Line numbers are only needed to name a bad line: count the lines before this range then.
                    var linesBefore = new Lazy<long>(() => JsonlFiles.CountLines(file, 0, starts[index]));
                    ScanStream(range, name, () => linesBefore.Value, states[index], pools[index], fold, stats, progress, ct);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
                }
            })
            {
                IsBackground = true,
                Name = $"claudit-scan-{i}",
            };
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        failure?.Throw();
    }

    private static void ScanStream<TState>(Stream stream, string name, Func<long>? linesBefore, TState state, Utf8StringPool pool,
        LineFold<TState> fold, ReadStats stats, IProgress<long>? progress, CancellationToken ct)
    {
        var reader = new LineBlockReader(stream, stats, BlockSize, name: name);
        while (reader.Read() is { } block)
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                JsonlBlockParser.Parse(block.Span, name, block.FirstLine, linesBefore, pool, stats, state, fold);
            }
            finally
            {
                block.Return();
            }

            progress?.Report(stats.BytesRead);
        }
    }

    /// <summary>Where each range starts: just after the first line end at or past its even share of the file.</summary>
    private static long[] RangeStarts(SafeFileHandle file, long length, int ranges)
    {
        var starts = new long[ranges + 1];
        starts[ranges] = length;
        var probe = new byte[64 * 1024];
        for (var i = 1; i < ranges; i++)
        {
            var at = Math.Max(starts[i - 1], (length * i / ranges) - 1);
            starts[i] = length;
            while (at < length)
            {
                var read = RandomAccess.Read(file, probe, at);
                var nl = probe.AsSpan(0, read).IndexOf((byte)'\n');
                if (nl >= 0)
                {
                    starts[i] = at + nl + 1;
                    break;
                }

                at += read;
            }
        }

        return starts;
    }
}
