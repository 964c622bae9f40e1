namespace Claudit.Core.Serialization;

/// <summary>
/// Which parts of a record to materialise. Skipped parts are still validated as JSON but cost no
/// allocation: a report over a million records needs neither rate-limit snapshots nor trace ids.
/// </summary>
public sealed record CallRecordReadOptions
{
    public static CallRecordReadOptions Full { get; } = new();

    public bool RateLimits { get; init; } = true;

    public bool ToolCalls { get; init; } = true;

    /// <summary>trace_id, span_id, properties, prompt_hash, organization_id (parent_id is always read: a report counts retries by it).</summary>
    public bool Correlation { get; init; } = true;

    /// <summary>The cost object the record carries (not needed when cost is recomputed from tokens).</summary>
    public bool RecordedCost { get; init; } = true;

    /// <summary>What a report reads: totals, tags and timings, and the recorded cost only if it will be used.</summary>
    public static CallRecordReadOptions ForReport(bool recordedCost) =>
        new() { RateLimits = false, ToolCalls = false, Correlation = false, RecordedCost = recordedCost };
}
