using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Alerts.Tests;

/// <summary>One rule in an evaluator on a fake clock, fed synthetic calls; what each evaluation sent is kept.</summary>
internal sealed class Harness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public Harness(AlertRule rule, IBudgetStatus? budgets = null, IUnrecordedSpendSource? unrecorded = null)
    {
        Rule = rule;
        Evaluator = new AlertEvaluator([rule], Clock, budgets: budgets, unrecorded: unrecorded);
    }

    public FakeTimeProvider Clock { get; } = new(Start);

    public AlertRule Rule { get; }

    public AlertEvaluator Evaluator { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public void Observe(CallRecord record) => Evaluator.Observe(record);

    /// <summary>Calls just before now, a few ms apart, made by <paramref name="make"/>.</summary>
    public void Feed(int count, Func<DateTimeOffset, int, CallRecord> make)
    {
        for (var i = 0; i < count; i++)
        {
            Observe(make(Now.AddMilliseconds(-10 * (count - i)), i));
        }
    }

    public List<AlertTransition> Evaluate() => Evaluator.Evaluate().Transitions;

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public IReadOnlyList<StoredAlert> Active => Evaluator.Snapshot(null).Active;
}
