namespace Claudit.Alerts.Rules;

/// <summary>What a metric's value counts, so that a message can say it the way a person reads it.</summary>
public enum MetricUnit
{
    /// <summary>A share, 0..1, shown as a percentage.</summary>
    Ratio,

    /// <summary>Seconds (latencies; the rules file also takes durations like "10s").</summary>
    Seconds,

    /// <summary>A number of calls.</summary>
    Count,

    /// <summary>US dollars.</summary>
    Usd,

    /// <summary>Output tokens per second.</summary>
    TokensPerSecond,

    /// <summary>Turns (calls) per conversation.</summary>
    Turns,
}
