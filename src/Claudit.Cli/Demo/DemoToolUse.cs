namespace Claudit.Cli.Demo;

/// <summary>How a planned call offers tools to the model.</summary>
public enum DemoToolUse
{
    None,

    /// <summary><c>tool_choice: auto</c>: the model calls a tool when the user names one, and now and then otherwise.</summary>
    Auto,

    /// <summary><c>tool_choice: {type: tool}</c>: structured output through one forced tool.</summary>
    Forced,
}
