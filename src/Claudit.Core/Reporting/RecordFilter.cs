using Claudit.Core.Records;

namespace Claudit.Core.Reporting;

/// <summary>Which records a report covers. Model matches the model used or requested, by prefix.</summary>
public sealed record RecordFilter
{
    public static RecordFilter None { get; } = new();

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? Model { get; init; }

    public string? Feature { get; init; }

    public string? User { get; init; }

    public string? Tenant { get; init; }

    /// <summary>
    /// The tenants a caller may see (an access token's scope): null allows every call; otherwise only calls
    /// whose tenant is in the set, never a call without one. Applied on top of <see cref="Tenant"/>.
    /// </summary>
    public IReadOnlySet<string>? AllowedTenants { get; init; }

    public bool Matches(CallRecord r)
    {
        if (Since is { } since && r.StartTime < since) return false;
        if (Until is { } until && r.StartTime >= until) return false;
        if (Model is { } m && !StartsWith(r.ModelUsed, m) && !StartsWith(r.ModelRequested, m)) return false;
        if (Feature is { } f && !string.Equals(r.Tags.Feature, f, StringComparison.Ordinal)) return false;
        if (User is { } u && !string.Equals(r.Tags.User, u, StringComparison.Ordinal)) return false;
        if (Tenant is { } t && !string.Equals(r.Tags.Tenant, t, StringComparison.Ordinal)) return false;
        if (AllowedTenants is { } allowed && (r.Tags.Tenant is not { } tenant || !allowed.Contains(tenant))) return false;
        return true;
    }

    private static bool StartsWith(string? value, string prefix) =>
        value is not null && value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
