using Claudit.Core.Reconcile;

namespace Claudit.Store;

/// <summary>
/// The reconciliations <c>claudit serve --admin-key-env</c> keeps of finished days (docs/reconcile.md), and the
/// <c>unrecorded_spend</c> alert's value read from them.
/// </summary>
public interface IReconcileStore
{
    /// <summary>Replaces what is stored for the buckets of [<see cref="Reconciliation.Since"/>, <see cref="Reconciliation.Until"/>) with its rows.</summary>
    Task SaveReconciliationAsync(Reconciliation reconciliation, DateTimeOffset reconciledAt, CancellationToken cancellationToken = default);

    /// <summary>The stored rows whose bucket starts in [<paramref name="since"/>, <paramref name="until"/>), oldest first, with when each was reconciled.</summary>
    Task<IReadOnlyList<StoredReconcileRow>> QueryReconciliationsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <c>unrecorded_spend</c> alert's value per reconciled UTC day in [<paramref name="since"/>, <paramref name="until"/>):
    /// the share of the day's billed cost Claudit did not see (<see cref="UnrecordedSpend"/>).
    /// </summary>
    Task<IReadOnlyList<UnrecordedSpend>> QueryUnrecordedSpendAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default);
}

/// <summary>A stored reconciliation row and when it was reconciled.</summary>
public sealed record StoredReconcileRow(ReconcileRow Row, DateTimeOffset ReconciledAt);
