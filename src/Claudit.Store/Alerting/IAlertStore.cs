using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Store.Alerting;

/// <summary>
/// What the alert evaluator (docs/alerts.md) reads from and writes to a store: its alerts (state and
/// history), the records of the last hours it replays when it starts and to backtest rules, and hourly
/// sums for the baselines that reach further back than any replay.
/// </summary>
public interface IAlertStore
{
    /// <summary>Writes these alerts (each replacing the row with its id) and deletes the others named, in one transaction.</summary>
    Task SaveAlertsAsync(IReadOnlyList<StoredAlert> alerts, IReadOnlyList<Guid> deleted, CancellationToken cancellationToken = default);

    /// <summary>The alerts that are pending or firing, oldest first.</summary>
    Task<StoredAlert[]> QueryActiveAlertsAsync(CancellationToken cancellationToken = default);

    /// <summary>The most recent alerts that fired (firing or resolved), newest first.</summary>
    Task<StoredAlert[]> QueryAlertHistoryAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>One alert by id, or null.</summary>
    Task<StoredAlert?> GetAlertAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The records in the filter (and on <paramref name="endpoint"/> when given), oldest first, streamed.</summary>
    IAsyncEnumerable<CallRecord> ReadCallsAsync(RecordFilter filter, string? endpoint = null, CancellationToken cancellationToken = default);

    /// <summary>Per hour and group: calls, recorded cost, input tokens (all three kinds), cache reads and output tokens of the calls in the filter.</summary>
    Task<HourlyTotals[]> QueryHourlyTotalsAsync(RecordFilter filter, string? endpoint, IReadOnlyList<CallDimension> groupBy, CancellationToken cancellationToken = default);
}
