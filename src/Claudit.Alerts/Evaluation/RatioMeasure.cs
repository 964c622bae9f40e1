using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// A share of calls over a window — errors, 429s, timeouts, truncations, flagged answers, failed tool
/// results — or, for <c>rate_limited</c>, a count of them.
/// </summary>
internal sealed class RatioMeasure(AlertRule rule) : Measure<TallyGroup>(rule)
{
    private readonly AlertMetric _metric = rule.Metric;

    public override GroupState NewGroup() => new TallyGroup(Rule.Window);

    public override bool Counts(CallRecord r) => _metric switch
    {
        AlertMetric.TruncationRate or AlertMetric.QualityFlagShare => !r.IsError,
        AlertMetric.ToolErrorRate => r.ToolResults > 0,
        _ => true,
    };

    protected override void Observe(TallyGroup group, CallRecord r)
    {
        var (hit, of) = _metric switch
        {
            AlertMetric.ErrorRate => (r.IsError ? 1 : 0, 1),
            AlertMetric.RateLimited or AlertMetric.RateLimitShare => (CallFacts.RateLimited(r) ? 1 : 0, 1),
            AlertMetric.TimeoutRate => (CallFacts.TimedOut(r) ? 1 : 0, 1),
            AlertMetric.TruncationRate => (CallFacts.Truncated(r) ? 1 : 0, 1),
            AlertMetric.QualityFlagShare => (r.QualityFlags.Count > 0 ? 1 : 0, 1),
            AlertMetric.ToolErrorRate => (r.ToolResultErrors, r.ToolResults),
            _ => throw new InvalidOperationException($"{_metric} is not a ratio"),
        };
        group.Window.Add(Ticks(r), 1, hit, of);
    }

    protected override Reading? Read(TallyGroup group, long now)
    {
        var t = group.Window.Sum(now);
        if (_metric == AlertMetric.RateLimited)
        {
            return new Reading(t.A, Rule.Threshold, t.Calls);
        }

        return t.B > 0 ? new Reading(t.A / t.B, Rule.Threshold, t.Calls) : null;
    }
}
