using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>The evaluator's state after an evaluation, for <c>/api/alerts</c> and the dashboard: the active alerts (with their latest values) and the rules.</summary>
public sealed record AlertsSnapshot(DateTimeOffset? EvaluatedAt, IReadOnlyList<StoredAlert> Active, IReadOnlyList<RuleStatus> Rules)
{
    public static AlertsSnapshot Empty { get; } = new(null, [], []);
}
