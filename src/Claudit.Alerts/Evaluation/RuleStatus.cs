using Claudit.Alerts.Rules;

namespace Claudit.Alerts.Evaluation;

/// <summary>A rule as the evaluator runs it: how many groups it tracks and how many calls it could not keep (over its group limit).</summary>
public sealed record RuleStatus(AlertRule Rule, int Groups, long DroppedCalls);
