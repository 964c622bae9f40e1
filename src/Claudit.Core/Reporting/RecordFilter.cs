using Claudit.Core.Records;

namespace Claudit.Core.Reporting;

/// <summary>
/// Which records a report covers. Model matches the model used or requested, by prefix. Endpoint
/// (<see cref="EndpointScope"/>) is the billable calls unless it names a kind or <c>all</c>.
/// </summary>
public sealed record RecordFilter
{
    /// <summary>No condition but the default endpoint scope: the billable calls.</summary>
    public static RecordFilter None { get; } = new();

    /// <summary>An endpoint kind (<see cref="EndpointKinds"/>), <see cref="EndpointScope.Billable"/> or <see cref="EndpointScope.All"/>; null is billable.</summary>
    public string? Endpoint { get; init; }

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

    /// <summary>The endpoint kinds the filter selects.</summary>
    public IReadOnlyList<string> EndpointKindsSelected => EndpointScope.Kinds(Endpoint);

    public bool Matches(CallRecord r) => EndpointScope.Includes(Endpoint, r.EndpointKind) && MatchesBesidesEndpoint(r);

    /// <summary>Every condition but the endpoint's: the calls a report lists apart, by endpoint, when its figures cover billable calls only.</summary>
    public bool MatchesBesidesEndpoint(CallRecord r) =>
        MatchesBesidesEndpoint(r.StartTime, r.ModelUsed, r.ModelRequested, r.Tags.Feature, r.Tags.User, r.Tags.Tenant);

    /// <summary>As <see cref="MatchesBesidesEndpoint(CallRecord)"/>, from the parts of a record it reads (a report's fold has no record).</summary>
    internal bool MatchesBesidesEndpoint(DateTimeOffset start, string? modelUsed, string? modelRequested, string? feature, string? user, string? tenant)
    {
        if (Since is { } since && start < since) return false;
        if (Until is { } until && start >= until) return false;
        if (Model is { } m && !StartsWith(modelUsed, m) && !StartsWith(modelRequested, m)) return false;
        if (Feature is { } f && !string.Equals(feature, f, StringComparison.Ordinal)) return false;
        if (User is { } u && !string.Equals(user, u, StringComparison.Ordinal)) return false;
        if (Tenant is { } t && !string.Equals(tenant, t, StringComparison.Ordinal)) return false;
        if (AllowedTenants is { } allowed && (tenant is not { } allowedTenant || !allowed.Contains(allowedTenant))) return false;
        return true;
    }

    private static bool StartsWith(string? value, string prefix) =>
        value is not null && value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
