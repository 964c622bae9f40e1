namespace Claudit.Store.Usage;

/// <summary>
/// What a budget or rate limit counts per (docs/budgets.md): all calls as one (<see cref="Global"/>), or one
/// count per virtual key, user, tenant, feature or requested model. The store groups recorded usage the same way.
/// </summary>
public enum UsageScope
{
    Global,
    Key,
    User,
    Tenant,
    Feature,
    Model,
}
