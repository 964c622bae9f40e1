namespace Claudit.Core.Capture;

/// <summary>How long a record queue's writer, once woken, waits for more records before it takes a batch.</summary>
internal static class HandOffLinger
{
    /// <summary>
    /// Short beside the journal's commit interval and a sink's batch, long enough that a writer wakes at
    /// most about a thousand times a second however many calls there are.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.FromMilliseconds(1);
}
