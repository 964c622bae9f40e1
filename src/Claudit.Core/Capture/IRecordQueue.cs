using Claudit.Core.Records;

namespace Claudit.Core.Capture;

/// <summary>
/// Where a finished record leaves the request path: a bounded queue that a background loop drains
/// into the sinks (the gateway's journal and store, the library's sinks). It never blocks and never
/// throws; a full queue drops the record and counts it.
/// </summary>
public interface IRecordQueue
{
    /// <summary>Queues the record; false when it was dropped because the queue was full.</summary>
    bool TryEnqueue(CallRecord record);
}
