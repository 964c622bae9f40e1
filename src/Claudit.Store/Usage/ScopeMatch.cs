namespace Claudit.Store.Usage;

/// <summary>
/// The calls a policy applies to: each value given must equal the call's (the model: start it,
/// case-insensitively, as the report filter's does); none given: every call.
/// </summary>
public sealed record ScopeMatch
{
    public static ScopeMatch Any { get; } = new();

    /// <summary>A virtual key's id (<c>virtual_key</c> property).</summary>
    public string? Key { get; init; }

    public string? User { get; init; }

    public string? Tenant { get; init; }

    public string? Feature { get; init; }

    /// <summary>A prefix of the requested model (<c>claude-sonnet</c> matches every Sonnet).</summary>
    public string? Model { get; init; }

    public bool IsAny => Key is null && User is null && Tenant is null && Feature is null && Model is null;
}
