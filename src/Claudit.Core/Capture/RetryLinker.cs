using System.Collections.Concurrent;

namespace Claudit.Core.Capture;

/// <summary>
/// Links an SDK's retries to the attempt they repeat. Each attempt is a separate HTTP request; the
/// SDK numbers them (<c>x-stainless-retry-count</c>) and sends the same body with the same
/// credentials, so a failed first attempt is remembered by (credential fingerprint, prompt hash,
/// model) and a later attempt with the same key takes its id as parent. Only failed first attempts
/// are remembered (only they are retried), for a bounded time and count. With <paramref name="shared"/> (a fleet of
/// gateways), failed first attempts are also published there, and <see cref="FindElsewhereAsync"/> looks up a retry
/// whose first attempt this process did not see: a retry that a load balancer sends to another gateway is linked too.
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

        return Known(key, now);
    }

    /// <summary>
    /// The first attempt of a retry that another process saw fail (the shared table's answer), or null: without a
    /// shared table, for a first attempt, or when this process knows the first attempt itself (<see cref="Link"/> finds it).
    /// Asynchronous because it may ask another server; the finisher awaits it before finishing (<see cref="CallFinisher.FinishAsync"/>).
    /// </summary>
    public ValueTask<Guid?> FindElsewhereAsync(int? attempt, ulong credential, string? promptHash, string? model, CancellationToken cancellationToken = default)
    {
        if (shared is null || attempt is null or 0 || promptHash is null)
        {
            return ValueTask.FromResult<Guid?>(null);
        }

        var key = new RetryMatch(credential, promptHash, model);
        return Known(key, time.GetUtcNow()) is null ? shared.FindAsync(key, cancellationToken) : ValueTask.FromResult<Guid?>(null);
    }

    private Guid? Known(RetryMatch key, DateTimeOffset now) =>
        _firstAttempts.TryGetValue(key, out var first) && now - first.At <= _window ? first.Id : null;

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
