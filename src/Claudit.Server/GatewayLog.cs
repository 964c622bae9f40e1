
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

    [LoggerMessage(4, LogLevel.Warning, "The store is behind: {Dropped} records dropped from the store so far (all are in the journal)")]
    public static partial void StoreBehind(ILogger logger, long dropped);

    [LoggerMessage(5, LogLevel.Information, "Call {CallId} to {Endpoint}: {Status} {ErrorType}")]
    public static partial void CallFailed(ILogger logger, Guid callId, string endpoint, int? status, string errorType);

    [LoggerMessage(6, LogLevel.Warning, "The policy ledger could not settle a call ({Reason}); its counters may hold the call's worst case until its window moves on")]
    public static partial void LedgerFailed(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Information, "Enforcing {Policies} policies and {Keys} virtual keys; counters rebuilt from the store")]
    public static partial void PoliciesLoaded(ILogger logger, int policies, int keys);
}
