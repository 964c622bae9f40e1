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
    /// <summary>Searches the web search server tool ran: billed per search, reported in <c>usage.server_tool_use</c>.</summary>
    public long WebSearchRequests { get; init; }
    public long CacheWrite => CacheWrite5m + CacheWrite1h;
}

internal abstract record PlannedBlock(long Tokens);

internal sealed record ThinkingBlock(IReadOnlyList<string> Pieces, string Signature, long Tokens) : PlannedBlock(Tokens);

internal sealed record TextBlock(IReadOnlyList<string> Pieces, long Tokens) : PlannedBlock(Tokens)
{
    public string Text => string.Concat(Pieces);
}

internal sealed record ToolUseBlock(string Id, string Name, string InputJson, IReadOnlyList<string> JsonPieces, long Tokens) : PlannedBlock(Tokens);

/// <summary>A server tool call the API ran itself (here: <c>web_search</c>); its input streams as <c>input_json_delta</c>.</summary>
internal sealed record ServerToolUseBlock(string Id, string Name, string InputJson, IReadOnlyList<string> JsonPieces, long Tokens) : PlannedBlock(Tokens);

/// <summary>What a web search found: sent whole in <c>content_block_start</c>, as the API streams it.</summary>
internal sealed record WebSearchResultBlock(string ToolUseId, IReadOnlyList<WebSearchHit> Hits) : PlannedBlock(0);

internal sealed record WebSearchHit(string Url, string Title, string EncryptedContent);
