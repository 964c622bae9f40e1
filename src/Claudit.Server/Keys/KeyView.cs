using System.Text.Json.Serialization;
using Claudit.Store.Keys;

namespace Claudit.Server.Keys;

/// <summary>
/// A virtual key as <c>/api/keys</c> and <c>claudit keys</c> show it: never its hash or salt; the key itself
/// only in the answer that created it (<see cref="Key"/>). <see cref="Status"/> is <c>active</c>,
/// <c>revoked</c> or <c>expired</c>.
/// </summary>
public sealed record KeyView(
    string Id,
    string Name,
    string Status,
    string? User,
    string? Tenant,
    string? Feature,
    IReadOnlyList<string> Models,
    decimal? BudgetUsd,
    string? Window,
    int? Rpm,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    public static KeyView Of(StoredVirtualKey k, DateTimeOffset now) => new(
        k.Id, k.Name, k.RevokedAt is not null ? "revoked" : k.ExpiresAt <= now ? "expired" : "active",
        k.User, k.Tenant, k.Feature, k.Models, k.BudgetUsd, k.BudgetWindow, k.RequestsPerMinute, k.ExpiresAt, k.CreatedAt, k.RevokedAt);
}
