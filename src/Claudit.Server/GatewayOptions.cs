
namespace Claudit.Server;

public sealed record GatewayOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 4000;

    public Uri Upstream { get; init; } = new("https://api.anthropic.com");

    /// <summary>Where the journal (<c>journal/</c>) and the store (<c>claudit.duckdb</c>) live.</summary>
    public string DataDirectory { get; init; } = "claudit-data";

    /// <summary>Request and response bodies larger than this are forwarded without being read for the record.</summary>
    public long MaxCaptureBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Records waiting for the sinks; when full, the request path never waits (the record is counted as dropped).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>
    /// Receive OTLP/HTTP traces on this port (same host as the gateway; 0 picks a free one): GenAI spans of apps
    /// instrumented by others become records (docs/ingest.md). Off when null.
    /// </summary>
    public int? OtlpPort { get; init; }

    /// <summary>Export spans and metrics over OTLP/HTTP (protobuf) to this collector base address.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>
    /// When set, every request but health checks must carry it: <c>Claudit-Token</c> (taken off before
    /// forwarding) or, outside <c>/v1</c>, <c>Authorization: Bearer</c>.
    /// </summary>
    public string? AccessToken { get; init; }

    /// <summary>Where the gateway's own logs go (none by default; <c>claudit serve</c> writes warnings to stderr).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The daily spend the dashboard compares each UTC day's recorded cost with (USD); none when null.</summary>
    public decimal? DailyBudgetUsd { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reconcile finished days against the Admin API at <see cref="Upstream"/> in the background (docs/reconcile.md); off when null.</summary>
    public Reconcile.BackgroundReconcileOptions? Reconcile { get; init; }
}
