using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store;

namespace Claudit.Server.Batches;

/// <summary>
/// The Message Batches the gateway has seen, kept in the store (<see cref="IBatchStore"/>) so that they
/// outlive a restart, with the last few in memory. Every batch answer that passes updates its batch; the
/// create call gives it its tags; reading its results through the gateway marks them seen. A store that
/// fails is logged, never fatal to the call that passes.
/// </summary>
internal sealed class BatchTracker(IBatchStore store, TimeProvider time, ILogger logger)
{
    private const int MaxCached = 10_000;
    private readonly Dictionary<string, BatchEntry> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The batch as known (memory, else the store), or null.</summary>
    public async Task<BatchEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadAsync(id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Batches an answer described; <paramref name="created"/> is the call that created the (one) batch, when it was a create.</summary>
    public Task ObserveAsync(IReadOnlyList<MessageBatchSnapshot> batches, (Guid CallId, CallTags Tags)? created, CancellationToken cancellationToken) =>
        UpdateAsync(batches.Select(b => (b.Id, (Func<BatchEntry, BatchEntry>)(e => Apply(e, b, created)))), cancellationToken);

    /// <summary>The batch's results were read through the gateway, making <paramref name="records"/> records.</summary>
    public Task ResultsReadAsync(string id, long records, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return UpdateAsync([(id, e => e with { ResultsReadAt = now, ResultsRecords = Math.Max(e.ResultsRecords, records) })], cancellationToken);
    }

    public async Task<BatchEntry[]> ListAsync(int limit, CancellationToken cancellationToken) =>
        await store.ListBatchesAsync(limit, cancellationToken).ConfigureAwait(false);

    private async Task UpdateAsync(IEnumerable<(string Id, Func<BatchEntry, BatchEntry> Change)> changes, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (id, change) in changes)
            {
                var now = time.GetUtcNow();
                var known = await LoadAsync(id, cancellationToken).ConfigureAwait(false) ?? new BatchEntry { Batch = new MessageBatchSnapshot { Id = id }, FirstSeen = now, LastSeen = now };
                var updated = change(known) with { LastSeen = now };
                Remember(updated);
                await store.SaveBatchAsync(updated, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // the batch ledger must never fail the call passing through the gateway
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            BatchLog.LedgerFailed(logger, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The latest answer's view of the batch, keeping what it left out (a list page shows every field; a cancel shows no end yet).</summary>
    private static BatchEntry Apply(BatchEntry e, MessageBatchSnapshot b, (Guid CallId, CallTags Tags)? created)
    {
        var known = e.Batch;
        e = e with
        {
            Batch = b with
            {
                ProcessingStatus = b.ProcessingStatus ?? known.ProcessingStatus,
                RequestCount = b.RequestCount ?? known.RequestCount,
                CreatedAt = b.CreatedAt ?? known.CreatedAt,
                EndedAt = b.EndedAt ?? known.EndedAt,
                ExpiresAt = b.ExpiresAt ?? known.ExpiresAt,
            },
        };
        return created is { } c ? e with { CreatedThroughGateway = true, CreateCallId = c.CallId, Tags = c.Tags } : e;
    }

    private async Task<BatchEntry?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var stored = await store.GetBatchAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            Remember(stored);
        }

        return stored;
    }

    private void Remember(BatchEntry entry)
    {
        if (_cache.Count >= MaxCached && !_cache.ContainsKey(entry.Id))
        {
            _cache.Clear(); // the store has them all; memory only spares it the lookups of recent batches
        }

        _cache[entry.Id] = entry;
    }
}
