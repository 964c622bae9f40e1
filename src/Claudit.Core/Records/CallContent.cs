namespace Claudit.Core.Records;

/// <summary>
/// What a call said and answered, kept apart from its <see cref="CallRecord"/> (which never holds
/// text) and only when content capture is turned on. Joined to the record by <see cref="CallId"/>;
/// the text is redacted (<see cref="ContentRedactor"/>) before it is built.
/// </summary>
public sealed record CallContent
{
    public required Guid CallId { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public string? Model { get; init; }

    /// <summary>The prompt: system instructions and messages, in order.</summary>
    public IReadOnlyList<ContentMessage> Messages { get; init; } = [];

    public string? Output { get; init; }
}

/// <summary>One message of a prompt: its role (<c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>) and its text.</summary>
public sealed record ContentMessage(string Role, string Text);
