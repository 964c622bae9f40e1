using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Server;

/// <summary>
/// The gateway's record queue: takes records off the request path into the JSONL journal, the record of
/// truth. The request never waits: <see cref="TryEnqueue"/> puts the record on a bounded hand-off
/// (<see cref="BatchHandOff{T}"/>: no lock, one wake-up per batch), and one loop appends what it finds there to the journal, which commits it as a group (on its interval, or after
/// each batch when <c>commitEachBatch</c>). The store is not fed from here: <see cref="StoreApplier"/>
/// reads the committed journal. A record the journal cannot take (it fails to serialise, or is too large)
/// is refused on its own — counted, logged and handed to <c>refused</c> — and the loop goes on; should the
/// loop itself ever stop, <see cref="Healthy"/> says so and <c>/readyz</c> answers 503.
/// <see cref="DisposeAsync"/> drains the channel and commits before it returns, and never throws.
/// Observers (the alert evaluator, the health metrics) are handed each record once the journal took it, on the
/// journal's loop: they must only queue or count, never wait.
/// </summary>
public sealed class JournalRecordQueue : IRecordQueue, IAsyncDisposable
{
    private readonly BatchHandOff<CallRecord> _queue;
    private readonly JsonlJournalWriter _journal;
    private readonly bool _commitEachBatch;
    private readonly Action<CallRecord, Exception>? _refused;
    private readonly Action<CallRecord>[] _observers;
    private readonly ILogger _logger;
    private readonly Task _drain;
    private long _dropped, _refusedCount;
    private Exception? _fault;
    private int _disposed;

    /// <param name="journal">The record of truth: every record the queue takes is appended.</param>
    /// <param name="capacity">Records waiting for the journal before new ones are dropped (and counted).</param>
    /// <param name="commitEachBatch">Commit the journal after each batch the loop takes (an fsync interval of 0).</param>
    /// <param name="logger">Where drops, refusals and failures are reported.</param>
    /// <param name="refused">Told about each record the journal refused, with why (the gateway writes a dead letter).</param>
    /// <param name="observers">Handed every record the journal took; each must return at once.</param>
    public JournalRecordQueue(JsonlJournalWriter journal, int capacity, bool commitEachBatch = false, ILogger? logger = null, Action<CallRecord, Exception>? refused = null,
        IReadOnlyList<Action<CallRecord>>? observers = null)
    {
        _journal = journal;
        _commitEachBatch = commitEachBatch;
        _refused = refused;
        _observers = [.. observers ?? []];
        _logger = logger ?? NullLogger.Instance;
        _queue = new BatchHandOff<CallRecord>(capacity, HandOffLinger.Default);
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>Records the queue refused because the journal could not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records the journal could not write (each one logged and dead-lettered).</summary>
    public long Refused => Interlocked.Read(ref _refusedCount);

    /// <summary>Records in the journal (written or in its buffer).</summary>
    public long Written => _journal.RecordsWritten + _journal.RecordsBuffered;

    /// <summary>Records in the journal's buffer, not yet written.</summary>
    public long Pending => _journal.RecordsBuffered;

    /// <summary>Records waiting for the journal.</summary>
    public int Queued => _queue.Count;

    /// <summary>False when the journal loop has stopped or the journal's last commit failed: records are not being kept.</summary>
    public bool Healthy => Problem is null;

    /// <summary>What is wrong with the journal, or null.</summary>
    public string? Problem =>
        Volatile.Read(ref _fault) is { } fault ? $"the journal loop stopped: {fault.Message}"
        : _drain.IsCompleted && Volatile.Read(ref _disposed) == 0 ? "the journal loop stopped"
        : _journal.LastError is { } error ? $"the journal cannot be written: {error.Message}"
        : null;

    /// <summary>Never blocks: a full queue counts the record as dropped.</summary>
    public bool TryEnqueue(CallRecord record)
    {
        if (_queue.TryAdd(record))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if (IsPowerOfTwo(dropped))
        {
            GatewayLog.QueueFull(_logger, dropped);
        }

        return false;
    }

    private async Task DrainAsync()
    {
        try
        {
            while (await _queue.WaitAsync().ConfigureAwait(false))
            {
                while (_queue.TryTake(out var record))
                {
                    Append(record);
                }

                if (_commitEachBatch)
                {
                    Commit();
                }
            }
        }
#pragma warning disable CA1031 // nothing may end the loop unseen: the fault is kept for /readyz and logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _fault, ex);
            GatewayLog.JournalLoopStopped(_logger, ex.Message);
        }
    }

    /// <summary>One record into the journal; one that cannot be written is refused alone.</summary>
    private void Append(CallRecord record)
    {
        try
        {
            _journal.Append(record);
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            Interlocked.Increment(ref _refusedCount);
            GatewayLog.JournalRefused(_logger, record.Id, ex.Message);
            _refused?.Invoke(record, ex);
            return;
        }

        foreach (var observe in _observers)
        {
            observe(record);
        }
    }

    /// <summary>A commit that fails (a full disk) keeps its records in the journal's buffer for the next; <see cref="Problem"/> says so meanwhile.</summary>
    private void Commit()
    {
        try
        {
            _journal.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            GatewayLog.JournalCommitFailed(_logger, ex.Message);
        }
    }

    private static bool IsPowerOfTwo(long n) => (n & (n - 1)) == 0;

    /// <summary>Drains what is queued into the journal and commits it. Never throws: a failure is logged.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Complete();
        await _drain.ConfigureAwait(false); // DrainAsync catches everything itself
        try
        {
            await _journal.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // stopping must finish: a last commit that fails is reported, not thrown at the signal handler
        catch (Exception ex)
#pragma warning restore CA1031
        {
            GatewayLog.JournalCommitFailed(_logger, ex.Message);
        }
    }
}
