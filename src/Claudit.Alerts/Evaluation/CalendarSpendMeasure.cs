using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>Spend in the current UTC calendar day or month (<c>spend_daily</c>, <c>spend_monthly</c>, <c>user_daily_cost</c>), in day slots.</summary>
internal sealed class CalendarSpendMeasure(AlertRule rule) : Measure<TallyGroup>(rule)
{
    private readonly CalendarPeriod _period = rule.Info.Calendar!.Value;

    public override TimeSpan Memory => _period == CalendarPeriod.Day ? TimeSpan.FromDays(1) : TimeSpan.FromDays(31);

    public override DateTimeOffset? SeedSince(DateTimeOffset now) => PeriodStart(now);

    // Slots of one day: 2 for a day (today, and yesterday's calls still arriving), 32 for a month.
    public override GroupState NewGroup() => _period == CalendarPeriod.Day ? new TallyGroup(TimeSpan.FromDays(2), 2) : new TallyGroup(TimeSpan.FromDays(32), 32);

    public override bool Counts(CallRecord r) => true;

    protected override void Observe(TallyGroup group, CallRecord r) => group.Window.Add(Ticks(r), 1, CallFacts.Cost(r), 0);

    protected override void Seed(TallyGroup group, HourlyTotals hour) => group.Window.Add(hour.Hour.UtcTicks, hour.Calls, (double)hour.CostUsd, 0);

    protected override Reading? Read(TallyGroup group, long now)
    {
        var at = new DateTimeOffset(now, TimeSpan.Zero);
        var start = PeriodStart(at);
        var end = _period == CalendarPeriod.Day ? start.AddDays(1) : start.AddMonths(1);
        var t = group.Window.SumSlots(start.UtcTicks, end.UtcTicks);
        return new Reading(t.A, Rule.Threshold, t.Calls);
    }

    private DateTimeOffset PeriodStart(DateTimeOffset now) => _period == CalendarPeriod.Day
        ? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero)
        : new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
}
