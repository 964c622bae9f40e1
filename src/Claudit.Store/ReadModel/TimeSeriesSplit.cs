namespace Claudit.Store.ReadModel;

/// <summary>How a time series is split into lines.</summary>
public enum TimeSeriesSplit
{
    /// <summary>One line (for percentile metrics: one per p50, p95, p99).</summary>
    None,
    Model,
    Feature,
    User,
    Tenant,

    /// <summary>By endpoint kind.</summary>
    Endpoint,

    /// <summary>Errors by their type.</summary>
    ErrorType,

    /// <summary>Cost by its token class: input, cache write 5m, cache write 1h, cache read, output, web search.</summary>
    TokenClass,
}
