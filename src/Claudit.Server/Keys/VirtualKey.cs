using Claudit.Server.Budgets;
using Claudit.Store.Keys;
using Claudit.Store.Usage;

namespace Claudit.Server.Keys;

/// <summary>
/// A virtual key as the gateway uses it: what the store keeps, and the key's own policies — its budget
/// (<c>key:NAME</c>) and its requests-per-minute limit (<c>key:NAME:rpm</c>), both <c>block</c>, scoped to the key.
/// </summary>
internal sealed class VirtualKey
{
    public VirtualKey(StoredVirtualKey stored)
    {
        Stored = stored;
        var own = new List<Policy>(2);
        if (stored.BudgetUsd is { } usd && PolicyWindow.TryParse(stored.BudgetWindow ?? "1d", out var window))
        {
            own.Add(new Policy(BudgetPolicyName(stored.Name), PolicyKind.Budget, UsageScope.Key, new ScopeMatch(Key: stored.Id), PolicyUnit.Usd, usd, window));
        }

        if (stored.RequestsPerMinute is { } rpm)
        {
            own.Add(new Policy(BudgetPolicyName(stored.Name) + ":rpm", PolicyKind.RateLimit, UsageScope.Key, new ScopeMatch(Key: stored.Id), PolicyUnit.Requests, rpm, PolicyWindow.Minute));
        }

        Policies = own;
    }

    public StoredVirtualKey Stored { get; }

    public string Id => Stored.Id;

    public string Name => Stored.Name;

    public IReadOnlyList<Policy> Policies { get; }

    public static string BudgetPolicyName(string keyName) => "key:" + keyName;

    /// <summary>Usable now: neither revoked nor expired.</summary>
    public bool IsActive(DateTimeOffset now) => Stored.RevokedAt is null && !(Stored.ExpiresAt <= now);

    public bool Matches(string presented) => VirtualKeyFormat.Verify(presented, Stored.Salt, Stored.Hash);

    /// <summary>
    /// Whether the key may call <paramref name="model"/>: any model when it lists none; else a listed id, or a
    /// snapshot of one (<c>claude-haiku-4-5</c> allows <c>claude-haiku-4-5-20251001</c>).
    /// </summary>
    public bool Allows(string? model) =>
        Stored.Models.Count == 0
        || (model is not null && Stored.Models.Any(m => model.Equals(m, StringComparison.OrdinalIgnoreCase)
            || (model.StartsWith(m, StringComparison.OrdinalIgnoreCase) && model.Length > m.Length && model[m.Length] == '-')));
}
