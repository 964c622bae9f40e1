using Claudit.Store.Alerting;
using Claudit.Store.ReadModel;

namespace Claudit.Store;

/// <summary>
/// A store engine as a whole (DuckDB in the data directory today): its writing side, its reports, the
/// dashboard's read model and the alert evaluator's state. Whoever opens a store holds this; each
/// caller is handed only the side it uses.
/// </summary>
public interface IClauditStore : ICallStore, IReportQueries, IDashboardReadModel, IAlertStore
{
}
