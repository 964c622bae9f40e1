using Claudit.Store.Alerting;
using Claudit.Store.Keys;
using Claudit.Store.Usage;

namespace Claudit.Store;

/// <summary>
/// What a gateway needs of a store, whatever its engine: writing, reports, the batches it follows, the usage its
/// policies count, its virtual keys, the alert evaluator's state and its reconciliations. The dashboard's read
/// model (<see cref="ReadModel.IDashboardReadModel"/>) comes on top, in <see cref="IClauditStore"/>; an engine
/// without it (ClickHouse, for now) runs a gateway whose dashboard is not served (docs/scale-out.md).
/// </summary>
public interface IGatewayStore : ICallStore, IReportQueries, IBatchStore, IScopeUsageQueries, IVirtualKeyStore, IAlertStore, IReconcileStore
{
}
