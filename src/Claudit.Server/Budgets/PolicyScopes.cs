using Claudit.Core.Records;
using Claudit.Server.Keys;
using Claudit.Store.Usage;

namespace Claudit.Server.Budgets;

/// <summary>
/// Which counter of a policy a call falls in, from what the gateway knows before forwarding: the call's
/// tags (a virtual key's win over the caller's headers; the user falls back to <c>metadata.user_id</c>, as
/// the record's does), its virtual key and its requested model — the same values the store's rebuild reads
/// back from the record (<c>tag_user</c>, <c>virtual_key</c>, <c>model_requested</c> …).
/// </summary>
internal readonly record struct PolicyScopes(CallTags Tags, VirtualKey? Key, string? Model)
{
    /// <summary>The scope's value for this call (empty for the global scope), or null when the call has none and the policy does not count it.</summary>
    public string? ValueOf(UsageScope scope) => scope switch
    {
        UsageScope.Global => "",
        UsageScope.Key => Key?.Id,
        UsageScope.User => Tags.User,
        UsageScope.Tenant => Tags.Tenant,
        UsageScope.Feature => Tags.Feature,
        _ => Model,
    };

    public bool Matches(ScopeMatch match) =>
        match.IsAny
        || ((match.Key is null || (Key is not null && (match.Key == Key.Id || match.Key == Key.Name)))
            && (match.User is null || match.User == Tags.User)
            && (match.Tenant is null || match.Tenant == Tags.Tenant)
            && (match.Feature is null || match.Feature == Tags.Feature)
            && (match.Model is null || Model?.StartsWith(match.Model, StringComparison.OrdinalIgnoreCase) == true));
}
