namespace Claudit.Store.Keys;

/// <summary>
/// A virtual key as the store keeps it (docs/budgets.md#virtual-keys): never the key, only the HMAC-SHA256
/// of its secret under <see cref="Salt"/>; the tags its calls carry, the models it may call, its own
/// budget and requests-per-minute limit, when it expires and whether it was revoked.
/// </summary>
public sealed record StoredVirtualKey
{
    /// <summary>The public part of the key (<c>vk_…</c>), written into the key itself so a call finds its key without a scan.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required byte[] Salt { get; init; }

    public required byte[] Hash { get; init; }

    public string? User { get; init; }

    public string? Tenant { get; init; }

    public string? Feature { get; init; }

    /// <summary>Models the key may call; empty: any.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    public decimal? BudgetUsd { get; init; }

    /// <summary>The budget's window (<c>1d</c>, <c>1mo</c>, <c>24h</c> …) when it has a budget.</summary>
    public string? BudgetWindow { get; init; }

    public int? RequestsPerMinute { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
