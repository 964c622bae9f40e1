namespace Claudit.Store;

/// <summary>The Message Batches the gateway follows, kept so that it remembers them across restarts.</summary>
public interface IBatchStore
{
    /// <summary>Writes the batch as given, replacing what was stored under its id.</summary>
    Task SaveBatchAsync(BatchEntry batch, CancellationToken cancellationToken = default);

    Task<BatchEntry?> GetBatchAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The batches, most recently created (else first seen) first.</summary>
    Task<BatchEntry[]> ListBatchesAsync(int limit, CancellationToken cancellationToken = default);
}
