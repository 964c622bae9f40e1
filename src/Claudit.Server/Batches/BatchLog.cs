namespace Claudit.Server.Batches;

/// <summary>What following Message Batches has to say (source-generated: no formatting work when the level is off).</summary>
internal static partial class BatchLog
{
    /// <summary>The <c>batches</c> table could not be read or written: the call passes, the batch's memory may be incomplete.</summary>
    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The batch ledger could not be updated ({Reason}): batch results may lose their tags or show as not seen")]
    public static partial void LedgerFailed(ILogger logger, string reason);

    /// <summary>Lines of a results download that were not results (or were longer than the capture cap).</summary>
    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Batch {BatchId}: {Skipped} result lines were not results and were skipped (first: {Problem})")]
    public static partial void LinesSkipped(ILogger logger, string batchId, long skipped, string problem);
}
