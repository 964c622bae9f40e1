namespace Claudit.Store.Usage;

/// <summary>
/// The calls a policy applies to: each value given must equal the call's — <paramref name="Key"/> a virtual
/// key's id or name, the <paramref name="User"/>, <paramref name="Tenant"/> and <paramref name="Feature"/> tags —
/// and <paramref name="Model"/> must start the requested model, case-insensitively, as the report filter's
/// does (<c>claude-sonnet</c> matches every Sonnet). None given: every call.
/// </summary>
public sealed record ScopeMatch(string? Key = null, string? User = null, string? Tenant = null, string? Feature = null, string? Model = null)
{
    public static ScopeMatch Any { get; } = new();

    public bool IsAny => this == Any;
}
