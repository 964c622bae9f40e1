
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

    [LoggerMessage(5, LogLevel.Warning, "Call {CallId} to {Endpoint} failed: {ErrorType}, HTTP {Status}, request id {RequestId}")]
    public static partial void CallFailed(ILogger logger, Guid callId, string endpoint, string errorType, string status, string requestId);

    [LoggerMessage(6, LogLevel.Warning, "The upstream {Upstream} is down: {Failures} calls in a row got no answer (last: {ErrorType}); /readyz answers 503 until it answers again")]
    public static partial void UpstreamDown(ILogger logger, Uri upstream, int failures, string errorType);

    [LoggerMessage(7, LogLevel.Warning, "The upstream {Upstream} answers again")]
    public static partial void UpstreamBack(ILogger logger, Uri upstream);

    [LoggerMessage(8, LogLevel.Information, "Refused a request for {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);
}
