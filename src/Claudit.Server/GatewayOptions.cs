using Claudit.Alerts.Notifications;
using Claudit.Alerts.Rules;
using Claudit.Server.Access;
using Claudit.Server.Budgets;
using Claudit.Server.Keys;

namespace Claudit.Server;

public sealed record GatewayOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 4000;

    public Uri Upstream { get; init; } = new("https://api.anthropic.com");

    /// <summary>
    /// Talk HTTP/2 only to <see cref="Upstream"/> (<c>--upstream-http2</c>): over <c>http://</c> with prior
    /// knowledge (h2c), so that many calls share a few connections as they do over <c>https://</c>, where
    /// HTTP/2 is negotiated anyway; never falls back to HTTP/1.1. Off: HTTP/2 when TLS negotiates it, else HTTP/1.1.
    /// </summary>
    public bool UpstreamHttp2 { get; init; }

    /// <summary>Where the journal (<c>journal/</c>) and the store (<c>claudit.duckdb</c>) live.</summary>
    public string DataDirectory { get; init; } = "claudit-data";

    /// <summary>
    /// A shared store instead of <c>claudit.duckdb</c> in the data directory: <c>clickhouse://USER:PASS@HOST:8123/DB</c>
    /// (docs/scale-out.md). The journal stays in the data directory, each gateway's own write-ahead log.
    /// </summary>
    public string? Store { get; init; }

    /// <summary>
    /// <c>redis://HOST:6379</c>: budgets, rate limits and the alert lease shared by every gateway through Redis
    /// (docs/scale-out.md); without it each gateway counts and notifies on its own.
    /// </summary>
    public string? SharedState { get; init; }

    /// <summary>On a ClickHouse <see cref="Store"/>: keep this many whole UTC days of calls, dropping older day partitions every hour. Null: keep everything.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>Request and response bodies larger than this are forwarded without being read for the record.</summary>
    public long MaxCaptureBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// Store each Messages call's prompt and answer text, redacted (<c>--capture-content</c>; docs/gateway.md): off by
    /// default, when only records (which hold no text) are kept.
    /// </summary>
    public bool CaptureContent { get; init; }

    /// <summary>Records waiting for the sinks; when full, the request path never waits (the record is counted as dropped).</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>
    /// Receive OTLP/HTTP traces on this port (same host as the gateway; 0 picks a free one): GenAI spans of apps
    /// instrumented by others become records (docs/ingest.md). Off when null.
    /// </summary>
    public int? OtlpPort { get; init; }

    /// <summary>
    /// The journal is committed to disk (written and fsync'd) at least this often: a crash loses at most the
    /// calls finished in the last interval. <see cref="TimeSpan.Zero"/> commits after every batch the journal
    /// loop takes (safest, most disk work).
    /// </summary>
    public TimeSpan JournalFsyncInterval { get; init; } = DefaultJournalFsyncInterval;

    public static readonly TimeSpan DefaultJournalFsyncInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Export spans and metrics over OTLP/HTTP (protobuf) to this collector base address.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>
    /// One token that may do everything (<c>claudit serve --token</c>): every request but health checks and
    /// the login page must then carry a token — <c>Claudit-Token</c> (taken off before forwarding) or,
    /// outside <c>/v1</c>, <c>Authorization: Bearer</c> or the login session's cookie.
    /// </summary>
    public string? AccessToken { get; init; }

    /// <summary>Tokens with roles and tenants (<c>claudit serve --tokens FILE</c>, <see cref="AccessTokenFile"/>), beside <see cref="AccessToken"/>.</summary>
    public AccessTokens Tokens { get; init; } = AccessTokens.None;

    /// <summary>Host names (optionally <c>:port</c>) browsers may reach the gateway by, beside the loopback names (<c>--allowed-hosts</c>).</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Where the gateway's own logs go (none by default; <c>claudit serve</c> writes warnings to stderr).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>
    /// The daily spend the dashboard compares each UTC day's recorded cost with (USD); none when null. It is also
    /// a policy: a global, calendar-day, <c>warn</c> budget named <c>daily-budget</c> (docs/budgets.md).
    /// </summary>
    public decimal? DailyBudgetUsd { get; init; }

    /// <summary>The budgets and rate limits to enforce on <c>POST /v1/messages</c> (docs/budgets.md); none by default.</summary>
    public PolicySet Policies { get; init; } = PolicySet.Empty;

    /// <summary>Where the policies' counters live; the gateway's own in-process ledger when null (a shared one for several gateways).</summary>
    public IPolicyLedger? PolicyLedger { get; init; }

    /// <summary>The real Anthropic key that virtual keys are swapped for; without it, virtual-key calls are refused.</summary>
    public UpstreamKey? UpstreamKey { get; init; }

    /// <summary>Refuse calls that do not carry a virtual key (real keys are otherwise forwarded unchanged).</summary>
    public bool RequireVirtualKeys { get; init; }

    /// <summary>The alert rules, notify targets and evaluation period (<c>--alerts FILE</c>); by default the built-in rules, notifying no one.</summary>
    public AlertsConfig Alerts { get; init; } = AlertsConfig.Defaults;

    /// <summary>What the alerts' budget rules read. Null: the gateway's own USD policies over a day or a month (<see cref="Policies"/>, <see cref="DailyBudgetUsd"/>).</summary>
    public Claudit.Alerts.Evaluation.IBudgetStatus? AlertBudgets { get; init; }

    /// <summary>Who sends alert notifications; null: this gateway (<see cref="InProcessSendLease"/>). Several gateways share one lease.</summary>
    public IAlertSendLease? AlertSendLease { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reconcile finished days against the Admin API at <see cref="Upstream"/> in the background (docs/reconcile.md); off when null.</summary>
    public Reconcile.BackgroundReconcileOptions? Reconcile { get; init; }
}
