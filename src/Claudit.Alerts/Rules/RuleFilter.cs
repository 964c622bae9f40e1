using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Alerts.Rules;

/// <summary>
/// Which calls a rule looks at: the dashboard's and reports' filter (model by prefix of the model used
/// or requested, feature, user, tenant, exactly) and the API path. Empty: every call.
/// </summary>
public sealed record RuleFilter
{
    public static RuleFilter None { get; } = new();

    public RecordFilter Calls { get; init; } = RecordFilter.None;

    /// <summary>The API path, e.g. <c>/v1/messages</c>; null for any.</summary>
    public string? Endpoint { get; init; }

    public bool IsEmpty => this == None || (Calls == RecordFilter.None && Endpoint is null);

    public bool Matches(CallRecord record) =>
        (Endpoint is null || string.Equals(record.Endpoint, Endpoint, StringComparison.Ordinal))
        // A rule counts calls of every endpoint kind unless its path says otherwise (the seeder reads the store alike).
        && (Calls == RecordFilter.None || Calls.MatchesBesidesEndpoint(record));

    /// <summary>The filter's fields as (name, value) pairs, for messages and the API.</summary>
    public IEnumerable<KeyValuePair<string, string>> Fields()
    {
        if (Calls.Model is { } m) yield return new("model", m);
        if (Calls.Feature is { } f) yield return new("feature", f);
        if (Calls.User is { } u) yield return new("user", u);
        if (Calls.Tenant is { } t) yield return new("tenant", t);
        if (Endpoint is { } e) yield return new("endpoint", e);
    }
}
