namespace Claudit.Mock;

public sealed record MockOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 4010;

    /// <summary>
    /// A second port, on the same host, that speaks cleartext HTTP/2 only (prior knowledge, h2c): a proxy in
    /// front of the mock multiplexes its calls over a few connections there, as it does over TLS with the real
    /// API. Kestrel picks HTTP/1.1 on a cleartext port that offers both, so h2c needs a port of its own.
    /// Null: none; 0 picks a free port (tests).
    /// </summary>
    public int? H2cPort { get; init; }

    public int Seed { get; init; } = 1;

    public MockProfile Profile { get; init; } = MockProfile.Realistic;

    public FaultSpec Faults { get; init; } = FaultSpec.None;

    /// <summary>How long the <c>slow</c> fault waits before answering.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Prompt-cache entries kept at most (oldest evicted): memory stays bounded whatever the traffic.</summary>
    public int MaxCacheEntries { get; init; } = 10_000;

    public RateLimitSettings RateLimits { get; init; } = new();

    /// <summary>
    /// How long a Message Batch takes, compressed from the API's hours: its requests are processed evenly over
    /// this time (computed from <see cref="TimeProvider"/>, no timers), then it ends.
    /// </summary>
    public TimeSpan BatchProcessingTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Batches kept at most; the oldest ended one makes room for a new one.</summary>
    public int MaxBatches { get; init; } = 1_000;

    /// <summary>Usage ledger cells (minute × model × tier × key × workspace × …) kept at most; the oldest minutes go first.</summary>
    public int MaxUsageCells { get; init; } = 500_000;

    /// <summary>What the cost reports write where the reference is unconfirmed: amount padding, line-item descriptions.</summary>
    public CostReportFormat CostReport { get; init; } = new();

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>Per-minute limits of the mock organisation (token buckets, refilled continuously).</summary>
public sealed record RateLimitSettings
{
    /// <summary>When false the headers are still sent but no request is refused (load tests).</summary>
    public bool Enforced { get; init; } = true;

    public long RequestsPerMinute { get; init; } = 4_000;
    public long InputTokensPerMinute { get; init; } = 2_000_000;
    public long OutputTokensPerMinute { get; init; } = 400_000;
}
