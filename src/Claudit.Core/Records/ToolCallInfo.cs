namespace Claudit.Core.Records;

/// <summary>A tool the model called: its name and the top-level keys of its input, never the values.</summary>
public sealed record ToolCallInfo(string Name, IReadOnlyList<string> InputKeys)
{
    /// <summary><c>tool_use</c> for client tools, <c>server_tool_use</c> for Anthropic-run tools (web search, ...).</summary>
    public string Kind { get; init; } = "tool_use";
}
