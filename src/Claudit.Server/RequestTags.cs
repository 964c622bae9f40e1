using Claudit.Core.Records;
using Claudit.Core.Telemetry;

namespace Claudit.Server;

/// <summary>
/// Tags from the caller's headers (<c>Claudit-User</c>, <c>-Tenant</c>, <c>-Feature</c>, <c>-Session</c>,
/// <c>-Conversation</c>, <c>Claudit-Property-Name</c>) and W3C <c>traceparent</c>. The Claudit headers are
/// removed so the upstream never sees them; <c>traceparent</c> is forwarded.
/// </summary>
internal static class RequestTags
{
    private const string Prefix = "Claudit-";
    private const string PropertyPrefix = "Claudit-Property-";

    public static CallTags TakeFrom(IHeaderDictionary headers, int? attempt)
    {
        var (traceId, spanId) = TraceParent.Parse(headers["traceparent"].ToString());
        var tags = new CallTags { TraceId = traceId, SpanId = spanId, Attempt = attempt };
        Dictionary<string, string>? properties = null;
        List<string>? ours = null;
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            (ours ??= []).Add(name);
            var text = value.ToString();
            switch (name[Prefix.Length..].ToLowerInvariant())
            {
                case "user": tags = tags with { User = text }; break;
                case "tenant": tags = tags with { Tenant = text }; break;
                case "feature": tags = tags with { Feature = text }; break;
                case "session": tags = tags with { Session = text }; break;
                case "conversation": tags = tags with { Conversation = text }; break;
                default:
                    if (name.StartsWith(PropertyPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > PropertyPrefix.Length)
                    {
                        (properties ??= new(StringComparer.Ordinal))[name[PropertyPrefix.Length..]] = text;
                    }

                    break;
            }
        }

        foreach (var name in ours ?? [])
        {
            headers.Remove(name);
        }

        return properties is null ? tags : tags with { Properties = properties };
    }
}
