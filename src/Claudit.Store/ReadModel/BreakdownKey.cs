namespace Claudit.Store.ReadModel;

/// <summary>What a breakdown groups calls by.</summary>
public enum BreakdownKey
{
    /// <summary>The model used, else requested.</summary>
    Model,
    Feature,
    User,
    Tenant,

    /// <summary>The endpoint kind (<c>messages</c>, <c>count_tokens</c>, …); with <c>endpoint=all</c>, every kind side by side.</summary>
    Endpoint,
}
