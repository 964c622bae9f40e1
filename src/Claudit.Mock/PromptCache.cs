namespace Claudit.Mock;

/// <summary>
/// The mock's prompt cache: prefix hashes with their expiry (5m or 1h TTL, refreshed on every hit).
/// Bounded: past <see cref="MockOptions.MaxCacheEntries"/> the oldest entries go, so memory never grows with traffic.
/// </summary>
internal sealed class PromptCache(int capacity, TimeProvider time)
{
    private readonly Dictionary<UInt128, DateTimeOffset> _expiry = [];
    private readonly Queue<UInt128> _order = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _expiry.Count;
            }
        }
    }

    /// <summary>True (and the TTL refreshed) when the prefix is cached and unexpired.</summary>
    public bool TryHit(UInt128 prefix, TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_expiry.TryGetValue(prefix, out var until) && until > now)
            {
                _expiry[prefix] = Max(until, now + ttl);
                return true;
            }

            return false;
        }
    }

    public void Write(UInt128 prefix, TimeSpan ttl)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_expiry.ContainsKey(prefix))
            {
                _order.Enqueue(prefix);
            }

            _expiry[prefix] = now + ttl;
            while (_expiry.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _expiry.Remove(oldest);
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
