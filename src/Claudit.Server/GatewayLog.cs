
namespace Claudit.Server;

/// <summary>The gateway's log messages (source-generated: no formatting work when the level is off).</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Forwarding {Address} to {Upstream}, recording into {DataDirectory}")]
    public static partial void Started(ILogger logger, Uri address, Uri upstream, string dataDirectory);

    [LoggerMessage(2, LogLevel.Warning, "The record queue is full: {Dropped} records dropped so far (the journal cannot keep up)")]
    public static partial void QueueFull(ILogger logger, long dropped);

    [LoggerMessage(3, LogLevel.Warning, "The store could not take {Count} records; they stay in the journal ({Reason})")]
    public static partial void StoreFailed(ILogger logger, int count, string reason);

    [LoggerMessage(11, LogLevel.Critical, "The journal loop stopped: calls are no longer recorded ({Reason})")]
    public static partial void JournalLoopStopped(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Error, "The journal refused record {CallId}: {Reason} (kept in dead-letter/)")]
    public static partial void JournalRefused(ILogger logger, Guid callId, string reason);

    [LoggerMessage(13, LogLevel.Error, "The journal cannot be written; its records stay in memory until it can ({Reason})")]
    public static partial void JournalCommitFailed(ILogger logger, string reason);

    [LoggerMessage(14, LogLevel.Warning, "The store refused record {CallId} from {Where}: {Reason} (kept in dead-letter/; the journal has it)")]
    public static partial void StoreRefusedRecord(ILogger logger, Guid callId, string where, string reason);

    [LoggerMessage(15, LogLevel.Warning, "{Where} is not a record the store takes: {Reason} (kept in dead-letter/)")]
    public static partial void StoreSkippedLine(ILogger logger, string where, string reason);

    [LoggerMessage(16, LogLevel.Information, "The store caught up with the journal: {Records} records added from it in {Seconds:F1} s")]
    public static partial void StoreCaughtUp(ILogger logger, long records, double seconds);

    [LoggerMessage(5, LogLevel.Warning, "Call {CallId} to {Endpoint} failed: {ErrorType}, HTTP {Status}, request id {RequestId}")]
    public static partial void CallFailed(ILogger logger, Guid callId, string endpoint, string errorType, string status, string requestId);

    [LoggerMessage(6, LogLevel.Warning, "The upstream {Upstream} is down: {Failures} calls in a row got no answer (last: {ErrorType}); /readyz answers 503 until it answers again")]
    public static partial void UpstreamDown(ILogger logger, Uri upstream, int failures, string errorType);

    [LoggerMessage(7, LogLevel.Warning, "The upstream {Upstream} answers again")]
    public static partial void UpstreamBack(ILogger logger, Uri upstream);

    [LoggerMessage(8, LogLevel.Information, "Refused a request for {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);

    /// <summary>The OTLP receiver (<c>--otlp-port</c>) listens.</summary>
    [LoggerMessage(9, LogLevel.Information, "OTLP receiver on {Address}")]
    public static partial void OtlpStarted(ILogger logger, Uri address);

    [LoggerMessage(17, LogLevel.Warning, "The policy ledger could not settle a call ({Reason}); its counters may hold the call's worst case until its window moves on")]
    public static partial void LedgerFailed(ILogger logger, string reason);

    [LoggerMessage(18, LogLevel.Information, "Enforcing {Policies} policies and {Keys} virtual keys; counters rebuilt from the store")]
    public static partial void PoliciesLoaded(ILogger logger, int policies, int keys);

    [LoggerMessage(19, LogLevel.Warning, "Warming the dashboard's views at start failed: {Reason}")]
    public static partial void DashboardWarmFailed(ILogger logger, string reason);

    [LoggerMessage(40, LogLevel.Information, "Recording into the shared store {Store} as gateway instance {Instance}")]
    public static partial void SharedStore(ILogger logger, string store, string instance);

    [LoggerMessage(42, LogLevel.Warning, "No --shared-state: budgets, rate limits and alerts are per instance (each gateway counts and notifies on its own)")]
    public static partial void PerInstanceState(ILogger logger);

    [LoggerMessage(43, LogLevel.Warning, "Could not read the fleet's virtual keys from the shared store ({Reason}); the keys known stay in force")]
    public static partial void KeyRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(44, LogLevel.Information, "Retention: dropped {Days} day partitions of calls before {KeepFrom}")]
    public static partial void RetentionDropped(ILogger logger, int days, string keepFrom);

    [LoggerMessage(45, LogLevel.Warning, "Retention could not drop old days from the store ({Reason}); it tries again within the hour")]
    public static partial void RetentionFailed(ILogger logger, string reason);

    [LoggerMessage(46, LogLevel.Warning, "The fleet's retry table in Redis did not answer {Strikes} lookups in a row within {TimeoutMs} ms: retries reaching this gateway are linked locally only for {PauseSeconds} s")]
    public static partial void RetryLookupUnanswered(ILogger logger, int strikes, double timeoutMs, double pauseSeconds);

    [LoggerMessage(161, LogLevel.Warning, "Content capture could not keep the content of {Count} calls ({Reason}); their records are kept, and this is logged again only if it keeps failing")]
    public static partial void ContentNotKept(ILogger logger, int count, string reason);

    [LoggerMessage(162, LogLevel.Warning, "Content capture's queue is full: {Dropped} calls' content dropped so far (their records are kept)")]
    public static partial void ContentQueueFull(ILogger logger, long dropped);

    [LoggerMessage(163, LogLevel.Information, "Content capture is on: prompts and answers of Messages calls are stored, redacted")]
    public static partial void ContentCaptureOn(ILogger logger);
}
