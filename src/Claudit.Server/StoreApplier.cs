using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Server;

/// <summary>
/// Keeps the store equal to the journal, the record of truth. It reads the committed journal files from
/// the position the store has applied up to (kept by the store itself, per file, with each batch — see
/// <see cref="ICallStore"/>), so the store never loses a record for good: on every start it first catches
/// up with whatever the journal holds beyond that position (after a kill -9, a full queue or a store
/// failure), then follows each commit of the journal. Lines that are not valid records (a line cut by a
/// crash, a record outside <see cref="RecordValidator"/>'s bounds) go to a dead letter instead of the
/// store; a batch the store refuses is split until the one record it refuses is found, so one bad record
/// never keeps a batch of good ones out. When the store itself fails, nothing moves: the next attempt
/// starts again from the last position it committed.
/// </summary>
public sealed class StoreApplier : IAsyncDisposable
{
    /// <summary>Records per store transaction: large enough for columnar appends, small enough to land within a second.</summary>
    public const int BatchSize = 10_000;

    /// <summary>
    /// How long the applier lets commits gather after being woken: each store write is a transaction with a
    /// fixed cost, so under load a few large batches cost far less CPU than many small ones, at the price of
    /// records reaching the store this much later (the journal is not delayed). Measured on DuckDB: a batch of 25
    /// records costs 170–280 ms of CPU whatever its size (the rollup statements' planning and buffers), so at 250 ms
    /// the applier took about half a core at any traffic at all; a second keeps that under a third of a core.
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromSeconds(1);

    /// <summary>How long stopping may spend applying what is left; the rest waits in the journal for the next start.</summary>
    public static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(10);

    /// <summary>Records the store may refuse one by one in a pass before its failure counts as the store's, not theirs.</summary>
    private const int MaxRefusedPerPass = 8;

    /// <summary>The lag is counted line by line up to this many bytes, then estimated.</summary>
    private const long MaxLagScanBytes = 64L << 20;

    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly ICallStore _store;
    private readonly string _directory;
    private readonly string _pattern;
    private readonly DeadLetters _deadLetters;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private long _applied, _skipped, _heldAllAt;
    private int _failures, _refusedThisPass, _disposed;
    private string? _problem;

    /// <param name="store">Where records go; it keeps the journal position with them.</param>
    /// <param name="journalDirectory">The journal's directory.</param>
    /// <param name="filePrefix">The journal files' prefix (<c>calls</c>: <c>calls-YYYY-MM-DD.jsonl</c>).</param>
    /// <param name="deadLetters">Where lines the store does not take are kept.</param>
    /// <param name="clock">The clock records are checked against (a start time may be at most a day ahead of it).</param>
    /// <param name="logger">Where the catch-up, refusals and store failures are reported.</param>
    public StoreApplier(ICallStore store, string journalDirectory, string filePrefix, DeadLetters deadLetters, TimeProvider? clock = null, ILogger? logger = null)
    {
        _store = store;
        _directory = journalDirectory;
        _pattern = $"{filePrefix}-*.jsonl";
        _deadLetters = deadLetters;
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes once the store holds what the journal held when the applier started.</summary>
    public Task CaughtUp => _caughtUp.Task;

    public bool IsCaughtUp => _caughtUp.Task.IsCompletedSuccessfully;

    /// <summary>Records this applier added to the store (records it already held are not counted).</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Journal lines not taken into the store (each kept as a dead letter).</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>False while the store fails: the journal keeps everything, the store will catch up.</summary>
    public bool Healthy => Problem is null;

    /// <summary>What is wrong with the store, or null.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>How far into each journal file the store has applied (file name → byte offset).</summary>
    public IReadOnlyDictionary<string, long> Positions => new Dictionary<string, long>(_positions, StringComparer.Ordinal);

    /// <summary>The journal committed more: look again (after <see cref="BatchWindow"/>).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        var started = Stopwatch.GetTimestamp();
        while (!await LoadPositionsAsync() && await WaitAsync(RetryDelay()))
        {
        }

        while (!_caughtUp.Task.IsCompleted && !_stop.IsCancellationRequested)
        {
            if (await PassAsync(_stop.Token))
            {
                GatewayLog.StoreCaughtUp(_logger, Applied, Stopwatch.GetElapsedTime(started).TotalSeconds);
                _caughtUp.TrySetResult();
            }
            else
            {
                await WaitAsync(RetryDelay());
            }
        }

        while (await WaitAsync(Healthy ? IdleCheck : RetryDelay()))
        {
            await DelayAsync(BatchWindow);
            await PassAsync(_stop.Token);
        }

        // Stopping: the journal is closed and committed by now; take what is left, within a budget.
        using var budget = new CancellationTokenSource(ShutdownBudget);
        await PassAsync(budget.Token);
    }

    private async Task<bool> LoadPositionsAsync()
    {
        try
        {
            foreach (var (file, offset) in await _store.GetJournalPositionsAsync().ConfigureAwait(false))
            {
                _positions[file] = offset;
            }

            return true;
        }
#pragma warning disable CA1031 // a store that cannot be read now is retried; the journal keeps everything meanwhile
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail($"the store cannot be read: {ex.Message}");
            return false;
        }
    }

    /// <summary>Waits for a wake-up or <paramref name="timeout"/>; false once stopping.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout)
    {
        try
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timer.CancelAfter(timeout);
            await _wake.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return !_stop.IsCancellationRequested;
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private TimeSpan RetryDelay() => TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(Volatile.Read(ref _failures), 10))));

    /// <summary>
    /// How long the store may have lacked a journaled record: the time since the start of the last pass that
    /// applied the journal to its end (everything journaled before it is in the store). Zero before the first.
    /// </summary>
    public TimeSpan SinceHeldAll => Interlocked.Read(ref _heldAllAt) is var at and not 0 ? Stopwatch.GetElapsedTime(at) : TimeSpan.Zero;

    /// <summary>Applies every journal file up to its end; true when all of it is in the store.</summary>
    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        _refusedThisPass = 0;
        string[] files;
        try
        {
            files = JournalFiles();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail($"the journal cannot be listed: {ex.Message}");
            return false;
        }

        foreach (var path in files)
        {
            if (cancellationToken.IsCancellationRequested || !await ApplyFileAsync(path, cancellationToken))
            {
                return false;
            }
        }

        Interlocked.Exchange(ref _heldAllAt, started);
        return true;
    }

    private string[] JournalFiles()
    {
        if (!Directory.Exists(_directory))
        {
            return [];
        }

        var files = Directory.GetFiles(_directory, _pattern);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>One file, from the store's position to its last complete line, in batches that each carry the position they reach.</summary>
    private async Task<bool> ApplyFileAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var applied = _positions.GetValueOrDefault(name);
        long length;
        try
        {
            length = new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return true; // gone since it was listed
        }

        var from = length < applied ? 0 : applied; // a file replaced by a shorter one is read again (the store skips what it holds)
        if (length == from)
        {
            return true;
        }

        var batch = new List<(CallRecord Record, long End)>();
        var through = from;
        var now = _clock.GetUtcNow();
        try
        {
            await using var file = JsonlFiles.OpenRead(path);
            file.Seek(from, SeekOrigin.Begin);
            await foreach (var entry in JsonlEntryReader.ReadAsync(file, new ReadStats(), CancellationToken.None).ConfigureAwait(false))
            {
                if (!entry.Terminated)
                {
                    break; // a line still being written (or cut by a crash, which the writer ends when it reopens the file)
                }

                var start = through;
                through = from + entry.EndOffset;
                var problem = entry.Problem ?? RecordValidator.Validate(entry.Record!, now)?.ToString();
                if (problem is null)
                {
                    batch.Add((entry.Record!, through));
                }
                else
                {
                    Skip($"{name} at byte {start}", problem, entry);
                }

                if (batch.Count >= BatchSize)
                {
                    if (cancellationToken.IsCancellationRequested || !await ApplyAsync(name, batch, through))
                    {
                        return false;
                    }

                    batch.Clear();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail($"the journal file {name} cannot be read: {ex.Message}");
            return false;
        }

        return (through == applied && batch.Count == 0) || await ApplyAsync(name, batch, through);
    }

    /// <summary>
    /// Appends a batch with the position it reaches. When the store refuses it: if the store cannot even
    /// record a position it is failing (nothing moves, the next pass retries); otherwise a record of the
    /// batch is what it refuses, found by halving the batch, and kept as a dead letter.
    /// </summary>
    private async Task<bool> ApplyAsync(string file, List<(CallRecord Record, long End)> batch, long through)
    {
        try
        {
            var added = await _store.AppendAsync(batch.ConvertAll(b => b.Record), new JournalPosition(file, through)).ConfigureAwait(false);
            Interlocked.Add(ref _applied, added);
            _positions[file] = through;
            Succeed();
            return true;
        }
#pragma warning disable CA1031 // a failing store must not stop the applier: the journal keeps every record, the next pass retries
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (batch.Count == 0 || !await StoreWorksAsync(file) || (batch.Count == 1 && ++_refusedThisPass > MaxRefusedPerPass))
            {
                GatewayLog.StoreFailed(_logger, batch.Count, ex.Message);
                Fail($"the store cannot be written: {ex.Message}");
                return false;
            }

            if (batch.Count == 1)
            {
                var (record, _) = batch[0];
                GatewayLog.StoreRefusedRecord(_logger, record.Id, file, ex.Message);
                _deadLetters.Write($"{file}: record {record.Id}", $"the store refused it: {ex.Message}", record);
                Interlocked.Increment(ref _skipped);
                return await ApplyAsync(file, [], through);
            }

            var half = batch.Count / 2;
            return await ApplyAsync(file, batch[..half], batch[half - 1].End) && await ApplyAsync(file, batch[half..], through);
        }
    }

    /// <summary>Whether the store takes a write at all: the position it already has, written again.</summary>
    private async Task<bool> StoreWorksAsync(string file)
    {
        try
        {
            await _store.AppendAsync([], new JournalPosition(file, _positions.GetValueOrDefault(file))).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // any failure here means the store is down, which is what is asked
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private void Skip(string where, string problem, JsonlEntry entry)
    {
        var skipped = Interlocked.Increment(ref _skipped);
        if ((skipped & (skipped - 1)) == 0)
        {
            GatewayLog.StoreSkippedLine(_logger, where, problem);
        }

        if (entry.Record is { } record)
        {
            _deadLetters.Write(where, problem, record);
        }
        else
        {
            _deadLetters.Write(where, problem, entry.Excerpt.Span, entry.LineBytes);
        }
    }

    private void Fail(string problem)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _problem, problem);
    }

    private void Succeed()
    {
        Volatile.Write(ref _failures, 0);
        Volatile.Write(ref _problem, null);
    }

    /// <summary>Records (lines) and bytes in the journal that the store has not applied yet: counted up to 64 MiB, estimated beyond.</summary>
    public StoreLag MeasureLag()
    {
        long records = 0, bytes = 0, counted = 0;
        var estimated = false;
        try
        {
            foreach (var path in JournalFiles())
            {
                var length = new FileInfo(path).Length;
                var applied = _positions.GetValueOrDefault(Path.GetFileName(path));
                var from = length < applied ? 0 : applied;
                var gap = length - from;
                if (gap <= 0)
                {
                    continue;
                }

                bytes += gap;
                if (counted + gap <= MaxLagScanBytes)
                {
                    using var file = JsonlFiles.OpenRead(path);
                    records += JsonlFiles.CountLines(file.SafeFileHandle, from, length);
                    counted += gap;
                }
                else
                {
                    estimated = true;
                    records += gap / 1024; // about a kilobyte a record
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            estimated = true;
        }

        return new StoreLag(records, bytes, estimated);
    }

    /// <summary>Stops following the journal after applying what it holds (within <see cref="ShutdownBudget"/>). Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // stopping must finish; what was not applied is still in the journal for the next start
        catch (Exception ex)
#pragma warning restore CA1031
        {
            GatewayLog.StoreFailed(_logger, 0, ex.Message);
        }

        _caughtUp.TrySetCanceled();
        _stop.Dispose();
    }
}

/// <summary>What the store has not applied of the journal: records (lines, estimated when <see cref="Estimated"/>) and bytes.</summary>
public readonly record struct StoreLag(long Records, long Bytes, bool Estimated);
