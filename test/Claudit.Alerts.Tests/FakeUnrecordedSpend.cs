using Claudit.Alerts.Evaluation;
using Claudit.Core.Reconcile;

namespace Claudit.Alerts.Tests;

/// <summary>The reconciliation of one finished day as a test sets it: $100 billed, of which a share Claudit did not see.</summary>
internal sealed class FakeUnrecordedSpend : IUnrecordedSpendSource
{
    /// <summary>The day before <see cref="Harness.Start"/>: the last finished UTC day then.</summary>
    public static readonly DateTimeOffset Day = new(2026, 11, 19, 0, 0, 0, TimeSpan.Zero);

    public const string DayLabel = "2026-11-19";

    /// <summary>What <see cref="Latest"/> answers.</summary>
    public UnrecordedSpend? Current { get; set; }

    /// <summary>10% of the bill unseen when bad, 1% when not (the seed threshold is 2%).</summary>
    public void Set(bool bad) => Current = Of(bad ? 0.10m : 0.01m);

    public UnrecordedSpend? Latest(DateTimeOffset now) => Current;

    public static UnrecordedSpend Of(decimal share, DateTimeOffset? day = null, decimal billedUsd = 100m) =>
        new(day ?? Day, billedUsd, billedUsd * share, (day ?? Day).AddDays(1).AddHours(2));
}
