using Microsoft.Extensions.Logging;

namespace Claudit.Alerts.Notifications;

/// <summary>The alert service's log lines.</summary>
internal static partial class AlertsLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "alert notification to {Target} failed after {Attempts} attempt(s): {Reason} (rule {Rule}, {Status})")]
    public static partial void DeliveryFailed(ILogger logger, string target, int attempts, string reason, string rule, string status);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "alert notifications to {Target} are queued faster than they can be sent: {Dropped} dropped so far")]
    public static partial void DeliveryQueueFull(ILogger logger, string target, long dropped);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "the alert evaluator is behind: {Dropped} records dropped so far (alerts may miss them; the journal and the store have them)")]
    public static partial void RecordsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "the alert evaluator could not seed its windows from the store: {Reason}; it starts empty")]
    public static partial void SeedFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "alert state could not be written to the store: {Reason}")]
    public static partial void SaveFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "alert {Rule} {Status}: {Summary}")]
    public static partial void Transition(ILogger logger, string rule, string status, string summary);

    [LoggerMessage(EventId = 207, Level = LogLevel.Error, Message = "an alert evaluation failed: {Reason}; the next one runs as usual")]
    public static partial void EvaluationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 208, Level = LogLevel.Error, Message = "the alert evaluator could not take record {Id}: {Reason}")]
    public static partial void ObserveFailed(ILogger logger, Guid id, string reason);

    [LoggerMessage(EventId = 206, Level = LogLevel.Information, Message = "alert evaluator seeded with {Records} records in {Milliseconds} ms")]
    public static partial void Seeded(ILogger logger, long records, long milliseconds);
}
