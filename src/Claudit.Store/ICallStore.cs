using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Store;

/// <summary>
/// Where call records are kept: the writing side of a store, as the gateway's record queue and
/// <c>claudit import</c> use it. Reports (<see cref="IReportQueries"/>) and the dashboard
/// (<see cref="ReadModel.IDashboardReadModel"/>) read through their own interfaces; an engine
/// implements all three.
/// </summary>
public interface ICallStore : IAsyncDisposable
{
    /// <summary>Appends one batch in one transaction. Records whose id is already stored are skipped, so a retried batch is harmless.</summary>
    Task AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// The record with this id as it was appended, or null — also when it is outside <paramref name="scope"/>
    /// (a tenant-scoped caller's <see cref="RecordFilter.AllowedTenants"/>), so another tenant's call is not found.
    /// </summary>
    Task<CallRecord?> GetCallAsync(Guid id, RecordFilter? scope = null, CancellationToken cancellationToken = default);

    /// <summary>How many records the store holds.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
