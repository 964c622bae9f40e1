using System.Diagnostics;
using Claudit.Core.Records;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// The tags of a call starting now, on the caller's flow: the ambient <see cref="ClauditContext"/>
/// scope, then the chat middleware's, the W3C trace context of <see cref="Activity.Current"/>, the SDK
/// attempt number, and finally the enrichers from DI.
/// </summary>
internal sealed class CallTagger(IEnumerable<IClauditEnricher> enrichers)
{
    private static readonly CallTags s_firstAttempt = new() { Attempt = 0 };
    private readonly IClauditEnricher[] _enrichers = [.. enrichers];

    public CallTags Tag(int? attempt, CallTags? chat, Activity? activity)
    {
        var tags = ClauditContext.Current ?? CallTags.Empty;
        if (ReferenceEquals(tags, CallTags.Empty) && chat is null && activity is null && attempt == 0 && _enrichers.Length == 0)
        {
            return s_firstAttempt; // the common untagged first attempt, without an allocation
        }

        if (chat is not null)
        {
            tags = Overlay(tags, chat);
        }

        if (activity is not null || attempt is not null)
        {
            tags = tags with
            {
                TraceId = activity?.TraceId.ToHexString() ?? tags.TraceId,
                SpanId = activity?.SpanId.ToHexString() ?? tags.SpanId,
                Attempt = attempt,
            };
        }

        foreach (var enricher in _enrichers)
        {
            tags = enricher.Enrich(tags);
        }

        return tags;
    }

    /// <summary>The middleware's tags over the ambient scope's: the closer to the call wins.</summary>
    private static CallTags Overlay(CallTags outer, CallTags inner) => outer == CallTags.Empty ? inner : outer with
    {
        User = inner.User ?? outer.User,
        Tenant = inner.Tenant ?? outer.Tenant,
        Feature = inner.Feature ?? outer.Feature,
        Session = inner.Session ?? outer.Session,
        Conversation = inner.Conversation ?? outer.Conversation,
        Properties = inner.Properties ?? outer.Properties,
    };
}
