using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Spend (<c>cost_spike</c>) or output-token throughput (<c>output_tps_spike</c>) over the window against
/// its own history: above <c>threshold</c> times the rolling 24 h average, or (<c>forecast_above</c>) above
/// that multiple of the forecast — the same time of day over the last 7 days, averaged over the days
/// that have calls. The reading's threshold is the lower of the two, in the value's own unit.
/// </summary>
internal sealed class SpikeMeasure(AlertRule rule) : Measure<SpikeMeasure.Group>(rule)
{
    private static readonly long Day = TimeSpan.TicksPerDay;
    private readonly bool _throughput = rule.Metric == AlertMetric.OutputTpsSpike;

    /// <summary>The window, the 24 hours before it and, with a forecast, the 7 days before that.</summary>
    public override TimeSpan Memory => Rule.Window + TimeSpan.FromDays(Rule.ForecastAbove is null ? 1 : 8);

    public override DateTimeOffset? SeedSince(DateTimeOffset now) => now - Memory;

    public override GroupState NewGroup() => new Group(Rule.Window, Memory + TimeSpan.FromHours(2));

    public override bool Counts(CallRecord r) => true;

    protected override void Observe(Group group, CallRecord r)
    {
        var amount = Amount(r);
        group.Window.Add(Ticks(r), 1, amount, 0);
        group.Hours.Add(Ticks(r), 1, amount, 0);
    }

    protected override void Seed(Group group, HourlyTotals hour) =>
        group.Hours.Add(hour.Hour.UtcTicks, hour.Calls, _throughput ? hour.OutputTokens : (double)hour.CostUsd, 0);

    protected override Reading? Read(Group group, long now)
    {
        var current = group.Window.Sum(now);
        var window = Rule.Window.Ticks;
        var start = now - window;
        var threshold = double.PositiveInfinity;

        // The rolling average over the 24 h before the window, or over what there is of them (at least an hour).
        var covered = Math.Min(Day, start - group.FirstSeen);
        if (covered >= TimeSpan.TicksPerHour)
        {
            var perTick = group.Hours.SumRange(start - covered, start).A / covered;
            threshold = Rule.Threshold * perTick * window;
        }

        if (Rule.ForecastAbove is { } forecastAbove)
        {
            double sum = 0;
            var days = 0;
            for (var d = 1; d <= 7; d++)
            {
                var past = group.Hours.SumRange(start - (d * Day), now - (d * Day));
                if (past.Calls > 0)
                {
                    sum += past.A;
                    days++;
                }
            }

            if (days > 0)
            {
                threshold = Math.Min(threshold, forecastAbove * sum / days);
            }
        }

        if (double.IsPositiveInfinity(threshold))
        {
            return null;
        }

        var seconds = Rule.Window.TotalSeconds;
        return _throughput ? new Reading(current.A / seconds, threshold / seconds, current.Calls) : new Reading(current.A, threshold, current.Calls);
    }

    private double Amount(CallRecord r) => _throughput ? r.Usage?.OutputTokens ?? 0 : CallFacts.Cost(r);

    internal sealed class Group(TimeSpan window, TimeSpan memory) : GroupState
    {
        public TallyRing Window { get; } = new(window, Slots);

        /// <summary>Hourly sums over the memory: the baselines.</summary>
        public TallyRing Hours { get; } = new(TimeSpan.FromHours(Math.Ceiling(memory.TotalHours)), (int)Math.Ceiling(memory.TotalHours));
    }
}
