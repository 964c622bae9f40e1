namespace Claudit.Store.ReadModel;

/// <summary>When the first and the last call in a filter started; both null when it holds none.</summary>
public sealed record DataSpan(DateTimeOffset? First, DateTimeOffset? Last);
