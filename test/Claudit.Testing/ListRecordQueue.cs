using System.Collections.Concurrent;
using Claudit.Core.Capture;
using Claudit.Core.Records;

namespace Claudit.Testing;

/// <summary>A record queue that keeps what a finisher queued, in order, for a test to read.</summary>
public sealed class ListRecordQueue : IRecordQueue
{
    private readonly ConcurrentQueue<CallRecord> _records = new();

    public IReadOnlyList<CallRecord> Records => [.. _records];

    public bool TryEnqueue(CallRecord record)
    {
        _records.Enqueue(record);
        return true;
    }
}
