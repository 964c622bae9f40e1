using System.Collections.Concurrent;

namespace Claudit.Core.Capture;

/// <summary>
/// The hand-off from request threads to one background consumer (a record queue's writer), built so the
/// request path pays for an enqueue and nothing else. <see cref="TryAdd"/> takes no lock and wakes the
/// consumer only when it sleeps; once woken, the consumer lingers <c>linger</c> before it takes what
/// came, so at any rate it wakes at most once a linger and takes the burst as one batch (a wake-up per
/// record costs a thread switch on the request's core, which under CPU contention is most of a call's
/// capture cost). Bounded: past <c>capacity</c> waiting items, <see cref="TryAdd"/> refuses (the caller
/// counts the drop). One consumer only. Items added after <see cref="Complete"/> are refused; an add
/// racing with it either is refused or is taken before <see cref="WaitAsync"/> answers false, never lost.
/// </summary>
internal sealed class BatchHandOff<T>(int capacity, TimeSpan linger)
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private int _count;
    private int _sleeping;
    private int _adding;
    private volatile bool _completed;

    /// <summary>Items waiting for the consumer.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Queues the item without waiting; false when the hand-off is full or completed.</summary>
    public bool TryAdd(T item)
    {
        // Announced before completion is looked at (both full fences): the consumer's last look waits for it.
        Interlocked.Increment(ref _adding);
        try
        {
            if (_completed)
            {
                return false;
            }

            if (Interlocked.Increment(ref _count) > capacity)
            {
                Interlocked.Decrement(ref _count);
                return false;
            }

            _items.Enqueue(item);
        }
        finally
        {
            Interlocked.Decrement(ref _adding);
        }

        WakeIfSleeping();
        return true;
    }

    /// <summary>The consumer's next item, if one is there.</summary>
    public bool TryTake(out T item)
    {
        if (_items.TryDequeue(out item!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    /// <summary>No more items will come: the consumer takes what is left and <see cref="WaitAsync"/> then answers false.</summary>
    public void Complete()
    {
        _completed = true;
        Interlocked.MemoryBarrier();
        WakeIfSleeping();
    }

    /// <summary>
    /// Waits until there is something to take (true) or the hand-off is completed and empty (false). A wait
    /// that slept lingers before it returns, so what arrives meanwhile is taken in the same batch.
    /// </summary>
    public async ValueTask<bool> WaitAsync()
    {
        while (true)
        {
            if (!_items.IsEmpty)
            {
                return true;
            }

            if (_completed)
            {
                // An add that saw the hand-off open may still be enqueueing: its item is taken, not lost.
                var spin = default(SpinWait);
                while (Volatile.Read(ref _adding) != 0)
                {
                    spin.SpinOnce();
                }

                return !_items.IsEmpty;
            }

            Volatile.Write(ref _sleeping, 1);
            // Looked again after saying so: an item added before a writer could see the flag is not missed.
            if (!_items.IsEmpty || _completed)
            {
                if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                {
                    await _wake.WaitAsync().ConfigureAwait(false); // a writer took the flag: take its wake-up
                }

                continue;
            }

            await _wake.WaitAsync().ConfigureAwait(false);
            if (linger > TimeSpan.Zero && !_completed)
            {
                await Task.Delay(linger).ConfigureAwait(false);
            }
        }
    }

    private void WakeIfSleeping()
    {
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Release();
        }
    }
}
