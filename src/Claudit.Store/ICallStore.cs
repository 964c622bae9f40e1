using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Store;

/// <summary>
/// Where call records are kept: the writing side of a store, as the gateway's store applier and
/// <c>claudit import</c> use it. Reports (<see cref="IReportQueries"/>) and the dashboard
/// (<see cref="ReadModel.IDashboardReadModel"/>) read through their own interfaces; an engine
/// implements all three.
/// <para>
/// The journal is the record of truth and a store follows it at least once: the applier ships batches
/// read from the journal together with the position they reach, and may ship a batch again after a
/// crash or a failure. So an engine must (1) be idempotent by record id — a record whose id is already
/// stored is skipped, never doubled — and (2) keep the position with the records: in the same
/// transaction where it has transactions (DuckDB), otherwise written only after the records are durable
/// (an engine without transactions, e.g. ClickHouse, then replays at most one batch, which (1) absorbs).
/// </para>
/// </summary>
public interface ICallStore : IAsyncDisposable
{
    /// <summary>Appends one batch in one transaction and returns how many records were new. Records whose id is already stored are skipped, so a retried batch is harmless.</summary>
    Task<int> AppendAsync(IReadOnlyList<CallRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Appends one batch read from the journal and records that the store has applied the journal up to <paramref name="through"/> (see the interface's remarks); returns how many records were new. An empty batch only moves the position.</summary>
    Task<int> AppendAsync(IReadOnlyList<CallRecord> records, JournalPosition through, CancellationToken cancellationToken = default);

    /// <summary>How far into each journal file the store has applied: file name → byte offset. Empty for a store never fed from a journal.</summary>
    Task<IReadOnlyDictionary<string, long>> GetJournalPositionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The record with this id as it was appended, or null — also when it is outside <paramref name="scope"/>
    /// (a tenant-scoped caller's <see cref="RecordFilter.AllowedTenants"/>), so another tenant's call is not found.
    /// </summary>
    Task<CallRecord?> GetCallAsync(Guid id, RecordFilter? scope = null, CancellationToken cancellationToken = default);

    /// <summary>How many records the store holds.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}
