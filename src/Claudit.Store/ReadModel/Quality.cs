namespace Claudit.Store.ReadModel;

/// <summary>
/// Answer quality over the calls in range that got an answer (not errors): how they stopped, how often
/// max_tokens cut them, how many tools they called, and the heuristic quality flags raised on them.
/// </summary>
public sealed record Quality(
    long Answered,
    KeyCount[] StopReasons,
    double? MaxTokensTruncationRate,
    double? ToolCallsPerCall,
    KeyCount[] QualityFlags);
