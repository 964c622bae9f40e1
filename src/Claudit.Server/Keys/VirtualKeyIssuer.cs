using Claudit.Store.Keys;

namespace Claudit.Server.Keys;

/// <summary>Makes a new virtual key from a request: the key's text (to be shown once) and what the store keeps of it.</summary>
public static class VirtualKeyIssuer
{
    /// <summary>A valid request as a new key; the caller checked <see cref="VirtualKeyRequest.Problem"/>.</summary>
    public static (string Key, StoredVirtualKey Stored) Issue(VirtualKeyRequest request, DateTimeOffset now)
    {
        var (key, id, salt, hash) = VirtualKeyFormat.Generate();
        return (key, new StoredVirtualKey
        {
            Id = id,
            Name = request.Name!,
            Salt = salt,
            Hash = hash,
            User = request.User,
            Tenant = request.Tenant,
            Feature = request.Feature,
            Models = request.Models?.Select(m => m.Trim()).ToArray() ?? [],
            BudgetUsd = request.BudgetUsd,
            BudgetWindow = request.BudgetUsd is null ? null : request.Window ?? "1d",
            RequestsPerMinute = request.Rpm,
            ExpiresAt = request.ExpiresAt,
            CreatedAt = now,
        });
    }
}
