using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>What one evaluation changed: the transitions to notify, and the alerts to write to (or delete from) the store.</summary>
public sealed class EvaluationResult
{
    public DateTimeOffset At { get; init; }

    public List<AlertTransition> Transitions { get; } = [];

    public List<StoredAlert> Saves { get; } = [];

    public List<Guid> Deletes { get; } = [];
}
