using Microsoft.Extensions.Logging;

namespace Claudit.Instrumentation.Implementation;

internal static partial class ClauditLog
{
    [LoggerMessage(1, LogLevel.Warning, "Claudit's record queue is full: {Dropped} records dropped so far")]
    public static partial void QueueFull(ILogger logger, long dropped);

    [LoggerMessage(2, LogLevel.Warning, "Claudit sink {Sink} failed to take {Count} records: {Message}")]
    public static partial void SinkFailed(ILogger logger, string sink, int count, string message);

    [LoggerMessage(3, LogLevel.Warning, "Claudit stopped with {Count} records not yet written (drain timeout)")]
    public static partial void DrainTimedOut(ILogger logger, int count);
}
