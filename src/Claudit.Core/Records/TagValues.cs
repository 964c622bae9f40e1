namespace Claudit.Core.Records;

/// <summary>A <see cref="CallTags"/>'s values: what a reader gathers and a report folds without an object per call.</summary>
internal readonly record struct TagValues(
    string? User,
    string? Tenant,
    string? Feature,
    string? Session,
    string? Conversation,
    string? TraceId,
    string? SpanId,
    string? ParentId,
    int? Attempt,
    IReadOnlyDictionary<string, string>? Properties)
{
    /// <summary><see cref="CallTags.SessionKey"/>'s rule.</summary>
    public string? SessionKey => CallTags.SessionKeyOf(Session, Conversation);

    public static TagValues Of(CallTags t) => new(t.User, t.Tenant, t.Feature, t.Session, t.Conversation, t.TraceId, t.SpanId, t.ParentId, t.Attempt, t.Properties);

    public CallTags ToCallTags() => new()
    {
        User = User,
        Tenant = Tenant,
        Feature = Feature,
        Session = Session,
        Conversation = Conversation,
        TraceId = TraceId,
        SpanId = SpanId,
        ParentId = ParentId,
        Attempt = Attempt,
        Properties = Properties,
    };
}
