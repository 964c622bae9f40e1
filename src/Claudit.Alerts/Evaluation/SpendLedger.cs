using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// What every call cost, per hour, over the last 33 days: today's and this month's spend and the
/// rolling 24 hours, for the budgets. Fed by the evaluator with every record, seeded from the store's
/// hourly totals when it starts.
/// </summary>
public sealed class SpendLedger
{
    private readonly TallyRing _hours = new(TimeSpan.FromDays(33), 33 * 24);

    /// <summary>How far back the ledger needs the store's totals at start: the start of the month or 24 hours ago, whichever is earlier.</summary>
    public static DateTimeOffset MemoryStart(DateTimeOffset now)
    {
        var month = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return month < now.AddDays(-1) ? month : now.AddDays(-1);
    }

    public void Observe(CallRecord record)
    {
        if (record.Cost is { Priced: true } cost)
        {
            _hours.Add(record.StartTime.UtcTicks, 1, (double)cost.TotalUsd, 0);
        }
    }

    public void Seed(HourlyTotals hour) => _hours.Add(hour.Hour.UtcTicks, hour.Calls, (double)hour.CostUsd, 0);

    /// <summary>Spend in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public decimal Spent(DateTimeOffset from, DateTimeOffset to) => (decimal)_hours.SumRange(from.UtcTicks, to.UtcTicks).A;

    public decimal Today(DateTimeOffset now) => Spent(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero), now.AddTicks(1));

    public decimal ThisMonth(DateTimeOffset now) => Spent(new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero), now.AddTicks(1));

    public decimal Last24Hours(DateTimeOffset now) => Spent(now.AddDays(-1), now.AddTicks(1));
}
