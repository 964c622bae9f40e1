namespace Claudit.Server.Budgets;

/// <summary>
/// One policy's counter for one scope value: the used and reserved amounts of each bucket of its window
/// that still counts, oldest first (one bucket for a calendar window, up to 60 for a rolling one). Buckets
/// that left the window are dropped as the window moves. Not thread-safe: the ledger holds its lock.
/// </summary>
internal sealed class WindowCounter(PolicyWindow window)
{
    private Bucket[] _buckets = new Bucket[window.IsCalendar ? 1 : 4];
    private int _count;

    public PolicyWindow Window => window;

    public bool IsEmpty => _count == 0;

    /// <summary>The counter's window at <paramref name="now"/>, after dropping the buckets that left it.</summary>
    public CounterTotals Totals(DateTimeOffset now) => Totals(window.BucketOf(now));

    /// <summary>The counter's window when the current bucket is <paramref name="current"/>.</summary>
    public CounterTotals Totals(long current)
    {
        Prune(window.IsCalendar ? current : current - (PolicyWindow.RollingBuckets - 1));
        decimal used = 0, reserved = 0;
        for (var i = 0; i < _count; i++)
        {
            used += _buckets[i].Used;
            reserved += _buckets[i].Reserved;
        }

        return new CounterTotals(used, reserved);
    }

    /// <summary>Adds to a bucket, creating it; reservations are never left below zero.</summary>
    public void Add(long bucket, decimal used, decimal reserved)
    {
        ref var b = ref Find(bucket, create: true);
        b.Used += used;
        b.Reserved = Math.Max(0, b.Reserved + reserved);
    }

    /// <summary>Adds to a bucket only if it still exists (a call that settles after its bucket left the window changes nothing).</summary>
    public void Adjust(long bucket, decimal used, decimal reserved)
    {
        ref var b = ref Find(bucket, create: false);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref b))
        {
            b.Used += used;
            b.Reserved = Math.Max(0, b.Reserved + reserved);
        }
    }

    public void SetUsed(long bucket, decimal used) => Find(bucket, create: true).Used = used;

    /// <summary>
    /// When a claim of <paramref name="amount"/> will fit again: a calendar window's end; for a rolling window, the
    /// time its oldest buckets have slid out far enough (calls settling earlier may free room sooner).
    /// </summary>
    public DateTimeOffset RoomAt(long current, decimal limit, decimal amount, bool strict)
    {
        var totals = Totals(current);
        if (window.IsCalendar || _count == 0)
        {
            return window.LeavesAt(current);
        }

        var committed = totals.Committed;
        for (var i = 0; i < _count; i++)
        {
            committed -= _buckets[i].Used + _buckets[i].Reserved;
            if (strict ? committed + amount <= limit : committed < limit)
            {
                return window.LeavesAt(_buckets[i].Index);
            }
        }

        return window.LeavesAt(_buckets[_count - 1].Index);
    }

    /// <summary>When the counter next goes down by itself: its period's end, or when its oldest bucket slides out.</summary>
    public DateTimeOffset? NextDrop(DateTimeOffset now) =>
        window.IsCalendar ? window.LeavesAt(window.BucketOf(now)) : _count == 0 ? null : window.LeavesAt(_buckets[0].Index);

    private void Prune(long first)
    {
        var gone = 0;
        while (gone < _count && _buckets[gone].Index < first)
        {
            gone++;
        }

        if (gone > 0)
        {
            Array.Copy(_buckets, gone, _buckets, 0, _count - gone);
            _count -= gone;
        }
    }

    private ref Bucket Find(long index, bool create)
    {
        var at = _count;
        while (at > 0 && _buckets[at - 1].Index >= index)
        {
            at--;
        }

        if (at < _count && _buckets[at].Index == index)
        {
            return ref _buckets[at];
        }

        if (!create)
        {
            return ref System.Runtime.CompilerServices.Unsafe.NullRef<Bucket>();
        }

        if (_count == _buckets.Length)
        {
            Array.Resize(ref _buckets, _count * 2);
        }

        Array.Copy(_buckets, at, _buckets, at + 1, _count - at);
        _count++;
        _buckets[at] = new Bucket { Index = index };
        return ref _buckets[at];
    }

    private struct Bucket
    {
        public long Index;
        public decimal Used;
        public decimal Reserved;
    }
}
