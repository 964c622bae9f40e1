using Claudit.Core.Records;

namespace Claudit.Instrumentation;

/// <summary>
/// Where finished records go. Sinks are called off the request path, one batch at a time, from one
/// loop: an implementation needs no locking of its own, and a slow one only fills the queue.
/// </summary>
public interface IClauditSink
{
    Task WriteAsync(IReadOnlyList<CallRecord> batch, CancellationToken cancellationToken);

    /// <summary>Called when the queue is drained on stop: whatever the sink buffers must be out by then.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
