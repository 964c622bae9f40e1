using Claudit.Core.Records;

namespace Claudit.Instrumentation;

/// <summary>
/// Adds tags to a call when it starts, on the caller's flow (so <c>IHttpContextAccessor</c>,
/// <c>Activity.Current</c> and AsyncLocals are those of the request that made the call). Registered
/// in DI; run in registration order after the ambient <see cref="ClauditContext.Tag"/> scope, so an
/// enricher sees (and should usually keep) what the code said explicitly.
/// </summary>
public interface IClauditEnricher
{
    CallTags Enrich(CallTags tags);
}
