namespace Claudit.Store.ReadModel;

/// <summary>What a time series measures per bucket.</summary>
public enum TimeSeriesMetric
{
    /// <summary>Calls started in the bucket.</summary>
    Requests,

    /// <summary>Calls that ended in an error.</summary>
    Errors,

    /// <summary>Recorded cost in USD (priced calls only).</summary>
    Cost,

    /// <summary>Latency percentile in ms.</summary>
    Latency,

    /// <summary>Time to first token percentile in ms (streamed calls).</summary>
    Ttft,

    /// <summary>Output tokens per second percentile.</summary>
    TokensPerSecond,
}
