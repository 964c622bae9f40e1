using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>A latency percentile in seconds over a window: of answered calls' latency, or of streams' time to first token.</summary>
internal sealed class PercentileMeasure(AlertRule rule) : Measure<PercentileMeasure.Group>(rule)
{
    private readonly bool _ttft = rule.Metric is AlertMetric.TtftP95 or AlertMetric.TtftP99;
    private readonly double _q = rule.Metric is AlertMetric.LatencyP95 or AlertMetric.TtftP95 ? 0.95 : 0.99;

    public override GroupState NewGroup() => new Group(Rule.Window);

    /// <summary>Latency of answers only (a burst of fast 429s must not lower it); TTFT of streams that reached a first token.</summary>
    public override bool Counts(CallRecord r) => _ttft ? r.TtftMs is not null : !r.IsError;

    protected override void Observe(Group group, CallRecord r) => group.Values.Add(Ticks(r), _ttft ? r.TtftMs!.Value : r.LatencyMs);

    protected override Reading? Read(Group group, long now)
    {
        var ms = group.Values.Quantile(now, _q, out var count);
        return double.IsNaN(ms) ? null : new Reading(ms / 1000.0, Rule.Threshold, count);
    }

    internal sealed class Group(TimeSpan window) : GroupState
    {
        public HistogramRing Values { get; } = new(window, Slots);
    }
}
