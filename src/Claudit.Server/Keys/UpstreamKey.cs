namespace Claudit.Server.Keys;

/// <summary>
/// The real Anthropic key virtual keys are swapped for (<c>ANTHROPIC_API_KEY</c> or <c>--upstream-key-file</c>).
/// It goes into the forwarded request's <c>x-api-key</c> and nowhere else: its text is never part of a
/// <see cref="ToString"/>, so options, logs and errors that print settings cannot show it.
/// </summary>
public sealed class UpstreamKey
{
    private readonly string _value;

    public UpstreamKey(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    /// <summary>The key, for the one place that sends it.</summary>
    internal string Reveal() => _value;

    public override string ToString() => "[upstream key]";
}
