namespace Claudit.Instrumentation;

/// <summary>
/// Thrown before sending a call whose estimated input exceeds the configured share of the model's
/// context window (<see cref="ClauditOptions.RefuseAboveContextShare"/>): failing here is cheaper and
/// clearer than the API's "prompt is too long" after the upload.
/// </summary>
public sealed class ClauditContextWindowException : InvalidOperationException
{
    public ClauditContextWindowException(string model, long estimatedInputTokens, long contextWindow, double share)
        : base($"The request to {model} is estimated at {estimatedInputTokens:N0} input tokens, over {share:P0} of its {contextWindow:N0}-token context window; Claudit refused to send it (ClauditOptions.RefuseAboveContextShare).")
    {
        Model = model;
        EstimatedInputTokens = estimatedInputTokens;
        ContextWindow = contextWindow;
        Share = share;
    }

    public ClauditContextWindowException()
        : this("unknown", 0, 0, 0)
    {
    }

    public ClauditContextWindowException(string message)
        : base(message)
    {
        Model = "unknown";
    }

    public ClauditContextWindowException(string message, Exception innerException)
        : base(message, innerException)
    {
        Model = "unknown";
    }

    public string Model { get; }

    public long EstimatedInputTokens { get; }

    public long ContextWindow { get; }

    public double Share { get; }
}
