namespace Claudit.Mock;

/// <summary>Everything the mock will answer to one request, decided before the first byte is sent.</summary>
internal sealed record MessagePlan
{
    public required string MessageId { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<PlannedBlock> Blocks { get; init; }
    public required string StopReason { get; init; }
    public required long InputTokens { get; init; }
    public required long CacheWrite5m { get; init; }
    public required long CacheWrite1h { get; init; }
    public required long CacheRead { get; init; }
    public required long OutputTokens { get; init; }
    public long ThinkingTokens { get; init; }
    public string ServiceTier { get; init; } = "standard";
    public string? InferenceGeo { get; init; }
    public long CacheWrite => CacheWrite5m + CacheWrite1h;
}

internal abstract record PlannedBlock(long Tokens);

internal sealed record ThinkingBlock(IReadOnlyList<string> Pieces, string Signature, long Tokens) : PlannedBlock(Tokens);

internal sealed record TextBlock(IReadOnlyList<string> Pieces, long Tokens) : PlannedBlock(Tokens)
{
    public string Text => string.Concat(Pieces);
}

internal sealed record ToolUseBlock(string Id, string Name, string InputJson, IReadOnlyList<string> JsonPieces, long Tokens) : PlannedBlock(Tokens);
