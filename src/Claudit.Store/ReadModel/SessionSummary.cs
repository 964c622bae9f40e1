namespace Claudit.Store.ReadModel;

/// <summary>
/// One conversation (the calls sharing a session tag, else a conversation tag): its turns, recorded cost,
/// span from the first call's start to the last call's end, and tool calls.
/// </summary>
public sealed record SessionSummary(
    string Id,
    long Calls,
    long Errors,
    decimal CostUsd,
    DateTimeOffset Start,
    DateTimeOffset End,
    double DurationMs,
    long ToolCalls,
    string[] Models,
    string? User,
    string? Feature,
    string? Tenant);
