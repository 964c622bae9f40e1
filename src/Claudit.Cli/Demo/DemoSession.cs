namespace Claudit.Cli.Demo;

/// <summary>A user's conversation: its calls go one after the other, each carrying the replies before it.</summary>
public sealed record DemoSession(string Id, IReadOnlyList<DemoCall> Calls);
