using Claudit.Core.Records;
using Claudit.Instrumentation;

namespace Claudit.Samples.Web;

/// <summary>Takes the calling user from the HTTP request (here a header; in a real app, the authenticated principal).</summary>
internal sealed class UserFromRequest(IHttpContextAccessor accessor) : IClauditEnricher
{
    public CallTags Enrich(CallTags tags) =>
        tags.User is null && accessor.HttpContext?.Request.Headers["X-User"].ToString() is { Length: > 0 } user
            ? tags with { User = user }
            : tags;
}
