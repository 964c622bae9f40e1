namespace Claudit.Server;

public sealed record GatewayOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 4000;

    public Uri Upstream { get; init; } = new("https://api.anthropic.com");

    /// <summary>Where the journal (and later the store) lives.</summary>
    public string DataDirectory { get; init; } = "claudit-data";

    /// <summary>Request bodies larger than this are forwarded without being read for the record.</summary>
    public long MaxCaptureBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Records waiting for the sinks; when full, the request path never waits (the record is counted as dropped).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
