using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts;

/// <summary>
/// What a backtest found: every alert that would have fired in the range (resolved, or still firing at
/// its end: no <see cref="StoredAlert.EndedAt"/>), oldest first, and how much history it replayed.
/// </summary>
public sealed record BacktestResult(DateTimeOffset Since, DateTimeOffset Until, TimeSpan EvaluateEvery, long Records, long Evaluations, IReadOnlyList<AlertRule> Rules, IReadOnlyList<StoredAlert> Alerts);
