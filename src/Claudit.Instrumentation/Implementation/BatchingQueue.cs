using Claudit.Core.Capture;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// A bounded hand-off between the request path and a slow consumer (<see cref="BatchHandOff{T}"/>: no
/// lock, and a wake-up per batch rather than per item), drained by one loop in batches.
/// <see cref="TryAdd"/> never waits: a full queue refuses the item and counts it. The loop starts
/// with the host or with the first item, whichever comes first; <see cref="CompleteAsync"/> lets it
/// finish what is queued.
/// </summary>
internal sealed class BatchingQueue<T>(int capacity, int batchSize, Func<List<T>, Task> write)
{
    private readonly BatchHandOff<T> _items = new(capacity, HandOffLinger.Default);
    private readonly Lock _gate = new();
    private Task? _loop;
    private long _added, _dropped;

    public long Added => Interlocked.Read(ref _added);

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Waiting => _items.Count;

    /// <summary>Queues the item; false (and counted) when the queue is full or completed.</summary>
    public bool TryAdd(T item)
    {
        if (!_items.TryAdd(item))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        Interlocked.Increment(ref _added);
        if (_loop is null)
        {
            Start();
        }

        return true;
    }

    /// <summary>Starts the loop (idempotent).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(DrainAsync);
        }
    }

    /// <summary>Takes no more items; the returned task ends when the loop has written what was queued.</summary>
    public Task CompleteAsync()
    {
        Start();
        _items.Complete();
        return _loop!;
    }

    private async Task DrainAsync()
    {
        var batch = new List<T>(batchSize);
        while (await _items.WaitAsync().ConfigureAwait(false))
        {
            while (batch.Count < batchSize && _items.TryTake(out var item))
            {
                batch.Add(item);
            }

            await write(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }
}
