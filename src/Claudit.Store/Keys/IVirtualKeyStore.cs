namespace Claudit.Store.Keys;

/// <summary>Where virtual keys are kept: <c>claudit keys</c> and the gateway's <c>/api/keys</c> write here, the gateway reads all at start.</summary>
public interface IVirtualKeyStore
{
    /// <summary>Adds a key; a <see cref="StoreException"/> when a key that is not revoked has its name.</summary>
    Task AddKeyAsync(StoredVirtualKey key, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked and expired ones too, oldest first.</summary>
    Task<StoredVirtualKey[]> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the key with this id, else the key not yet revoked with this name; returns it as revoked, or
    /// null when there is none. Revoking a revoked key changes nothing and returns it.
    /// </summary>
    Task<StoredVirtualKey?> RevokeKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
