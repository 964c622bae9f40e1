namespace Claudit.Core.Records;

/// <summary>Who and what a call was for, and how it relates to other calls.</summary>
public sealed record CallTags
{
    public static CallTags Empty { get; } = new();

    public string? User { get; init; }

    public string? Tenant { get; init; }

    public string? Feature { get; init; }

    public string? Session { get; init; }

    public string? Conversation { get; init; }

    /// <summary>W3C trace id (32 hex chars).</summary>
    public string? TraceId { get; init; }

    public string? SpanId { get; init; }

    /// <summary>The logical request this call is an attempt of (SDK retries share it).</summary>
    public string? ParentId { get; init; }

    /// <summary>0 for the first attempt, 1 for the first retry, ...</summary>
    public int? Attempt { get; init; }

    /// <summary>The session a call belongs to: its session tag, else its conversation tag. Reports, the store and the dashboard group sessions by this one rule.</summary>
    public string? SessionKey => SessionKeyOf(Session, Conversation);

    internal static string? SessionKeyOf(string? session, string? conversation) => session ?? conversation;

    /// <summary>Caller-defined properties (e.g. from <c>Claudit-Property-Name</c> headers).</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
