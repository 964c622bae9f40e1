namespace Claudit.Store.ReadModel;

/// <summary>One session and its calls in the order they started: the session's timeline.</summary>
public sealed record SessionDetail(SessionSummary Session, CallListItem[] Calls)
{
    /// <summary>
    /// Whether the gateway answering captures content now (<c>on</c>, <c>off</c>), so a page can say why calls have
    /// none; null where no gateway says (the store alone). Calls keep whatever content was stored either way.
    /// </summary>
    public string? ContentCapture { get; init; }
}
