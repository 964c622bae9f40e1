using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Notifications;
using Claudit.Alerts.Rules;
using Claudit.Core.Reconcile;

namespace Claudit.Alerts.Tests;

/// <summary>
/// <c>unrecorded_spend</c> over a reconciliation source: it fires for the last finished UTC day whose unseen share
/// passes the threshold, labelled with the day, resolves when the share drops or a new day takes its place, and
/// stays quiet without a source, without a reconciled day, or when nothing was billed.
/// </summary>
public sealed class UnrecordedSpendRuleTests
{
    private static readonly AlertRule Rule = DefaultRules.All.Single(r => r.Name == "unrecorded_spend");

    [Fact]
    public void Fires_for_the_day_above_the_threshold_and_resolves_when_the_share_drops()
    {
        var source = new FakeUnrecordedSpend { Current = FakeUnrecordedSpend.Of(0.05m) };
        var h = new Harness(Rule, unrecorded: source);

        var fired = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Firing, fired.Event);
        Assert.Equal("unrecorded_spend", fired.Alert.Metric);
        Assert.Equal([new KeyValuePair<string, string?>("day", "2026-11-19")], fired.Alert.Group);
        Assert.Equal(0.05, fired.Alert.Value, 9);
        Assert.Equal(0.02, fired.Alert.Threshold);
        Assert.Equal("share of billed cost Claudit did not see 5% > 2%, day=2026-11-19", AlertText.Summary(fired.Alert));

        // Still above: no second notification.
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(h.Evaluate());

        // A later pass of the reconciliation finds most of it after all: resolved, once.
        source.Current = FakeUnrecordedSpend.Of(0.01m);
        h.Advance(TimeSpan.FromMinutes(1));
        var resolved = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Resolved, resolved.Event);
        Assert.Equal(fired.Alert.Id, resolved.Alert.Id);
        Assert.Empty(h.Active);
    }

    [Fact]
    public void A_new_finished_day_resolves_the_last_ones_alert_and_is_judged_on_its_own()
    {
        var source = new FakeUnrecordedSpend { Current = FakeUnrecordedSpend.Of(0.05m) };
        var h = new Harness(Rule, unrecorded: source);
        var first = Assert.Single(h.Evaluate()).Alert;

        h.Advance(TimeSpan.FromDays(1));
        source.Current = FakeUnrecordedSpend.Of(0.30m, FakeUnrecordedSpend.Day.AddDays(1));
        var transitions = h.Evaluate();

        Assert.Equal(2, transitions.Count);
        var resolved = Assert.Single(transitions, t => t.Event == AlertEvent.Resolved);
        Assert.Equal(first.Id, resolved.Alert.Id);
        var fired = Assert.Single(transitions, t => t.Event == AlertEvent.Firing);
        Assert.Equal([new KeyValuePair<string, string?>("day", "2026-11-20")], fired.Alert.Group);
        Assert.Equal(0.30, fired.Alert.Value, 9);
    }

    public static TheoryData<string, UnrecordedSpend?> Quiet => new()
    {
        { "at the threshold (above, not at)", FakeUnrecordedSpend.Of(0.02m) },
        { "below it", FakeUnrecordedSpend.Of(0.001m) },
        { "all seen", FakeUnrecordedSpend.Of(0m) },
        { "nothing billed", FakeUnrecordedSpend.Of(0m, billedUsd: 0m) },
        { "not reconciled (yet)", null },
    };

    [Theory]
    [MemberData(nameof(Quiet))]
    public void Stays_quiet(string why, UnrecordedSpend? latest)
    {
        var h = new Harness(Rule, unrecorded: new FakeUnrecordedSpend { Current = latest });

        Assert.True(h.Evaluate().Count == 0, why);
        Assert.Empty(h.Active);
    }

    [Fact]
    public void Stays_quiet_without_a_source()
    {
        var h = new Harness(Rule);

        Assert.Empty(h.Evaluate());
        Assert.Equal(0, Assert.Single(h.Evaluator.Snapshot(null).Rules).Groups);
    }

    [Fact]
    public void A_restart_takes_its_firing_alert_back_without_notifying_again()
    {
        var source = new FakeUnrecordedSpend { Current = FakeUnrecordedSpend.Of(0.05m) };
        var before = new Harness(Rule, unrecorded: source);
        var fired = Assert.Single(before.Evaluate()).Alert;

        var after = new Harness(Rule, unrecorded: source);
        Assert.Empty(after.Evaluator.Restore([fired]));
        Assert.Empty(after.Evaluate());
        Assert.Equal(fired.Id, Assert.Single(after.Active).Id);
    }
}
