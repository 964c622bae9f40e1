namespace Claudit.Cli.Demo;

/// <summary>How <see cref="DemoTraffic"/> sends its plan: how many sessions at once, and how it retries like an SDK.</summary>
public sealed record DemoTrafficOptions
{
    /// <summary>
    /// A fake key: the mock accepts any, and the gateway must never write it anywhere. Split so that
    /// secret scanners do not mistake the source for a leak.
    /// </summary>
    public const string DemoApiKey = "sk-ant-api03-" + "claudit-demo-key-not-a-secret-0000000000000000000000";

    /// <summary>Sessions in flight at once (each sends its turns one after the other).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Retries after the first attempt, as the SDKs' default <c>max_retries</c>.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>The first retry's wait when the answer has no <c>retry-after</c>; doubled for each retry after it.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait before a retry, whatever <c>retry-after</c> asks (the SDKs cap it too).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public string ApiKey { get; init; } = DemoApiKey;
}
