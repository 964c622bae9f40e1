namespace Claudit.Store.ReadModel;

/// <summary>One session and its calls in the order they started: the session's timeline.</summary>
public sealed record SessionDetail(SessionSummary Session, CallListItem[] Calls);
