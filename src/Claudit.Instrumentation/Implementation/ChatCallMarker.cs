using Claudit.Core.Records;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// Set by <see cref="ClauditChatClient"/> around one logical chat call so that the
/// <see cref="ClauditHandler"/> underneath (if any) records it: the handler takes the marker's tags,
/// links the SDK's retries of the call to its first attempt, and counts what it recorded — the
/// middleware emits a record of its own only when no handler saw the call. A mutable holder in an
/// AsyncLocal: the handler runs below the middleware on the same flow, so it sees this instance and
/// its changes are visible to the middleware (an AsyncLocal <em>value</em> set below would not be).
/// </summary>
internal sealed class ChatCallMarker(CallTags tags)
{
    private static readonly AsyncLocal<ChatCallMarker?> s_current = new();
    private int _records, _attempts;

    public static ChatCallMarker? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public CallTags Tags { get; } = tags;

    /// <summary>The first attempt's record id: the parent of the SDK's retries of this call.</summary>
    public Guid? FirstAttemptId { get; set; }

    /// <summary>Records the handler made for this call (one per HTTP attempt).</summary>
    public int Records => Volatile.Read(ref _records);

    /// <summary>The id of the last record the handler made for this call (its final attempt): captured content joins it.</summary>
    public Guid? LastRecordId { get; private set; }

    public void Recorded(Guid id)
    {
        LastRecordId = id;
        Interlocked.Increment(ref _records);
    }

    /// <summary>HTTP attempts a handler has started for this call: non-zero means a handler is underneath.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public void AttemptStarted() => Interlocked.Increment(ref _attempts);
}
