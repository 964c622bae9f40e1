using System.Collections.Concurrent;

namespace Claudit.Core.Capture;

/// <summary>
/// Links an SDK's retries to the attempt they repeat. Each attempt is a separate HTTP request; the
/// SDK numbers them (<c>x-stainless-retry-count</c>) and sends the same body with the same
/// credentials, so a failed first attempt is remembered by (credential fingerprint, prompt hash,
/// model) and a later attempt with the same key takes its id as parent. Only failed first attempts
/// are remembered (only they are retried), for a bounded time and count. With <paramref name="shared"/> (a fleet of
/// gateways), failed first attempts are also published there and a retry whose first attempt this process did not
/// see is looked up there: a retry that a load balancer sends to another gateway is linked too.
/// </summary>
public sealed class RetryLinker(TimeProvider time, int capacity = 10_000, TimeSpan? window = null, ISharedRetryAttempts? shared = null)
{
    private readonly ConcurrentDictionary<RetryMatch, (Guid Id, DateTimeOffset At)> _firstAttempts = new();
    private readonly TimeSpan _window = window ?? TimeSpan.FromMinutes(10);

    public int Count => _firstAttempts.Count;

    /// <summary>
    /// The parent id for a finished attempt, or null for a first attempt or one whose first attempt
    /// is unknown. <paramref name="credential"/> is a fingerprint of the caller's key, never the key.
    /// </summary>
    public Guid? Link(Guid id, int? attempt, bool failed, ulong credential, string? promptHash, string? model)
    {
        if (attempt is null || promptHash is null)
        {
            return null;
        }

        var key = new RetryMatch(credential, promptHash, model);
        var now = time.GetUtcNow();
        if (attempt == 0)
        {
            if (failed)
            {
                Remember(key, id, now);
                shared?.Publish(key, id, _window);
            }

            return null;
        }

        return _firstAttempts.TryGetValue(key, out var first) && now - first.At <= _window ? first.Id : shared?.Find(key);
    }

    private void Remember(RetryMatch key, Guid id, DateTimeOffset now)
    {
        if (_firstAttempts.Count >= capacity)
        {
            foreach (var (k, v) in _firstAttempts)
            {
                if (now - v.At > _window)
                {
                    _firstAttempts.TryRemove(k, out _);
                }
            }

            if (_firstAttempts.Count >= capacity)
            {
                return; // a flood of distinct failures: linking is best effort, memory is not
            }
        }

        _firstAttempts[key] = (id, now);
    }
}
