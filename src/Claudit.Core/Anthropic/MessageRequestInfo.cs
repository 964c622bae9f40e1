namespace Claudit.Core.Anthropic;

/// <summary>What a Messages request body says that matters for a record. Content is never kept.</summary>
public sealed record MessageRequestInfo
{
    public string? Model { get; init; }
    public bool Stream { get; init; }
    public int? MaxTokens { get; init; }
    public int ToolCount { get; init; }

    /// <summary><c>tool_result</c> blocks in the last user message: the results of the previous answer's tool calls.</summary>
    public int ToolResults { get; init; }

    /// <summary>Those of <see cref="ToolResults"/> marked <c>is_error: true</c>.</summary>
    public int ToolResultErrors { get; init; }
    public string? MetadataUserId { get; init; }
    public string? ServiceTier { get; init; }
    public string? InferenceGeo { get; init; }
    public string? Speed { get; init; }

    /// <summary><c>sha256:</c> + 32 hex chars over system, messages and tools; null when absent.</summary>
    public string? PromptHash { get; init; }

    /// <summary>False when the body was not valid JSON (it is still forwarded and recorded).</summary>
    public bool Valid { get; init; } = true;
}
