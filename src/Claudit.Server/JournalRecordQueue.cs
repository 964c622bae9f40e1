using System.Diagnostics;
using System.Threading.Channels;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Server;

/// <summary>
/// The gateway's record queue: takes records off the request path. The request never waits: <see cref="TryEnqueue"/> puts the record
/// on a bounded channel; one loop appends it to the JSONL journal (the record of truth) and passes it
/// to a second bounded channel for the store, whose loop writes batches. If the store falls behind,
/// its channel drops (counted in <see cref="StoreDropped"/>) and the journal still has every record.
/// <see cref="DisposeAsync"/> drains both before it returns: a graceful shutdown loses nothing.
/// Observers (the alert evaluator, the health metrics) are handed each record after the journal, on the
/// journal's loop: they must only queue or count, never wait.
/// </summary>
public sealed class JournalRecordQueue : IRecordQueue, IAsyncDisposable
{
    /// <summary>Records per store write: large enough for columnar appends, small enough to land within a second.</summary>
    public const int StoreBatchSize = 10_000;

    /// <summary>
    /// How long the store loop lets records gather after the first one arrives: each store write is a
    /// transaction with a fixed cost, so under load a few large batches cost far less CPU than many small
    /// ones, at the price of records reaching the store this much later (the journal is not delayed).
    /// </summary>
    public static readonly TimeSpan StoreBatchWindow = TimeSpan.FromMilliseconds(250);

    private readonly Channel<CallRecord> _queue;
    private readonly Channel<StoreItem>? _storeQueue;
    private readonly JsonlJournalWriter _journal;
    private readonly Func<IReadOnlyList<CallRecord>, CancellationToken, Task>? _store;
    private readonly ILogger _logger;
    private readonly Task _drain;
    private readonly Task _storeDrain;
    private readonly Action<CallRecord>[] _observers;
    private long _dropped, _stored, _storeDropped, _storeFailures, _writingSince;

    /// <param name="journal">The record of truth: every record the queue takes is appended.</param>
    /// <param name="capacity">Records waiting for the journal before new ones are dropped (and counted).</param>
    /// <param name="store">Writes one batch to the store; none when there is no store.</param>
    /// <param name="logger">Where drops and store failures are reported.</param>
    /// <param name="storeCapacity">Records waiting for the store; by default large enough to absorb what arrives while a batch is written.</param>
    /// <param name="observers">Handed every record after the journal has it; each must return at once.</param>
    public JournalRecordQueue(JsonlJournalWriter journal, int capacity, Func<IReadOnlyList<CallRecord>, CancellationToken, Task>? store = null, ILogger? logger = null, int? storeCapacity = null, IReadOnlyList<Action<CallRecord>>? observers = null)
    {
        _journal = journal;
        _observers = [.. observers ?? []];
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        // Wait mode, written with TryWrite only: TryWrite then answers false when the channel is full, so
        // the record is counted as dropped. (In DropWrite mode TryWrite answers true and drops silently.)
        _queue = Channel.CreateBounded<CallRecord>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        if (store is not null)
        {
            _storeQueue = Channel.CreateBounded<StoreItem>(new BoundedChannelOptions(storeCapacity ?? Math.Max(capacity, StoreBatchSize * 4)) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        }

        _drain = Task.Run(DrainAsync);
        _storeDrain = _storeQueue is null ? Task.CompletedTask : Task.Run(DrainStoreAsync);
    }

    /// <summary>Records the queue refused because the journal could not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records in the journal (written or in its buffer).</summary>
    public long Written => _journal.RecordsWritten + _journal.RecordsBuffered;

    /// <summary>Records the store has taken.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Records that are in the journal but not the store (the store fell behind or failed).</summary>
    public long StoreDropped => Interlocked.Read(ref _storeDropped);

    /// <summary>Records waiting for the journal.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Records in the journal waiting for the store.</summary>
    public int StoreQueued => _storeQueue?.Reader.Count ?? 0;

    /// <summary>How long the oldest record not yet in the store has waited for it since the journal had it; zero when the store is caught up.</summary>
    public TimeSpan StoreLag
    {
        get
        {
            var oldest = Interlocked.Read(ref _writingSince);
            if (_storeQueue is not null && _storeQueue.Reader.TryPeek(out var next) && (oldest == 0 || next.Journaled < oldest))
            {
                oldest = next.Journaled;
            }

            return oldest == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(oldest);
        }
    }

    /// <summary>False when the last store write failed: the journal still has everything.</summary>
    public bool StoreHealthy => Interlocked.Read(ref _storeFailures) == 0;

    public bool HasStore => _store is not null;

    /// <summary>Never blocks: a full queue counts the record as dropped.</summary>
    public bool TryEnqueue(CallRecord record)
    {
        if (_queue.Writer.TryWrite(record))
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
        await foreach (var record in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _journal.Append(record);
            foreach (var observe in _observers)
            {
                observe(record);
            }

            if (_storeQueue is not null && !_storeQueue.Writer.TryWrite(new StoreItem(record, Stopwatch.GetTimestamp())))
            {
                var dropped = Interlocked.Increment(ref _storeDropped);
                if (IsPowerOfTwo(dropped))
                {
                    GatewayLog.StoreBehind(_logger, dropped);
                }
            }
        }

        _storeQueue?.Writer.TryComplete();
    }

    private async Task DrainStoreAsync()
    {
        var reader = _storeQueue!.Reader;
        var batch = new List<CallRecord>(StoreBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (reader.Count < StoreBatchSize && !reader.Completion.IsCompleted)
            {
                await Task.WhenAny(reader.Completion, Task.Delay(StoreBatchWindow)).ConfigureAwait(false);
            }

            while (batch.Count < StoreBatchSize && reader.TryRead(out var item))
            {
                if (batch.Count == 0)
                {
                    Interlocked.Exchange(ref _writingSince, item.Journaled);
                }

                batch.Add(item.Record);
            }

            try
            {
                await _store!(batch, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _stored, batch.Count);
                Interlocked.Exchange(ref _storeFailures, 0);
            }
#pragma warning disable CA1031 // a store failure must not stop the journal or the gateway; it is counted and logged
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _storeFailures);
                Interlocked.Add(ref _storeDropped, batch.Count);
                GatewayLog.StoreFailed(_logger, batch.Count, ex.Message);
            }

            batch.Clear();
            Interlocked.Exchange(ref _writingSince, 0);
        }
    }

    private static bool IsPowerOfTwo(long n) => (n & (n - 1)) == 0;

    /// <summary>A record on its way to the store, with when the journal had it (a <see cref="Stopwatch"/> timestamp), for <see cref="StoreLag"/>.</summary>
    private readonly record struct StoreItem(CallRecord Record, long Journaled);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _drain.ConfigureAwait(false);
        await _storeDrain.ConfigureAwait(false);
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
