using Claudit.Store.Keys;
using Claudit.Store.Alerting;
using Claudit.Store.ReadModel;
using Claudit.Store.Usage;

namespace Claudit.Store;

/// <summary>
/// A store engine as a whole (DuckDB in the data directory today): its writing side, its reports, the
/// batches it follows, the dashboard's read model, the usage the gateway's policies count, its virtual
/// keys, the alert evaluator's state and the content of calls when content capture is on. Whoever opens a store holds this; each caller is handed only the
/// side it uses.
/// </summary>
public interface IClauditStore : ICallStore, IReportQueries, IDashboardReadModel, IBatchStore, IScopeUsageQueries, IVirtualKeyStore, IAlertStore, IReconcileStore, ICallContentStore
{
}
