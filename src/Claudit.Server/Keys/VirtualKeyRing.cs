using System.Collections.Concurrent;
using Claudit.Store.Keys;

namespace Claudit.Server.Keys;

/// <summary>
/// The gateway's virtual keys in memory: every key of the store, loaded at start, and those the admin API
/// creates or revokes while it runs. A presented key is found by the id it carries, then checked against
/// its salted hash in constant time. Revoked and expired keys stay, so their calls are told why they fail.
/// </summary>
internal sealed class VirtualKeyRing
{
    private readonly ConcurrentDictionary<string, VirtualKey> _byId = new(StringComparer.Ordinal);

    public VirtualKeyRing(IEnumerable<StoredVirtualKey> keys)
    {
        foreach (var key in keys)
        {
            Put(key);
        }
    }

    public IEnumerable<VirtualKey> All => _byId.Values;

    public bool IsEmpty => _byId.IsEmpty;

    public void Put(StoredVirtualKey stored) => _byId[stored.Id] = new VirtualKey(stored);

    /// <summary>The key <paramref name="presented"/> is, or null when no key of this gateway is (malformed, unknown, or the wrong secret).</summary>
    public VirtualKey? Find(string presented) =>
        VirtualKeyFormat.IdOf(presented) is { } id && _byId.TryGetValue(id, out var key) && key.Matches(presented) ? key : null;

    public string? NameOf(string id) => _byId.TryGetValue(id, out var key) ? key.Name : null;
}
