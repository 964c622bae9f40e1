namespace Claudit.Store.Usage;

/// <summary>
/// What the gateway's budgets and rate limits counted, read back from the records: the calls the gateway
/// forwarded to <c>/v1/messages</c> (source <c>gateway</c>; calls it refused itself count nothing). The
/// gateway rebuilds its counters from this at start, and the Budgets view ranks the top spenders with it.
/// </summary>
public interface IScopeUsageQueries
{
    Task<ScopeUsage[]> QueryScopeUsageAsync(ScopeUsageQuery query, CancellationToken cancellationToken = default);
}
