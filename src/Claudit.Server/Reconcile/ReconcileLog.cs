namespace Claudit.Server.Reconcile;

/// <summary>The background reconciliation's log lines (event ids 150–159, apart from the gateway's).</summary>
internal static partial class ReconcileLog
{
    /// <summary>A pass failed (the Admin API refused or could not be reached); it is tried again next period. The message never holds the key.</summary>
    [LoggerMessage(150, LogLevel.Warning, "Reconciliation with the Admin API failed, trying again next period: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    /// <summary>The <c>unrecorded_spend</c> rule's value could not be read from the store; the rule keeps the last one and the read is tried again.</summary>
    [LoggerMessage(151, LogLevel.Warning, "Reading the unrecorded spend of the stored reconciliations failed, trying again in a few minutes: {Reason}")]
    public static partial void UnrecordedSpendUnread(ILogger logger, string reason);
}
