using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Tests;

/// <summary>
/// Every row of the catalogue through the evaluator on a fake clock, over synthetic calls: it fires
/// for the bad group only (groups), once (de-duplicates), holds for <c>for</c> before it fires, and
/// resolves when the calls are healthy again.
/// </summary>
public sealed class CatalogueRuleTests
{
    public static TheoryData<string> Metrics => [.. Scenario.All.Select(s => s.Metric)];

    [Fact]
    public void Every_catalogue_metric_has_a_scenario()
    {
        Assert.Equal(MetricCatalogue.All.Select(m => m.Name).Order(), Scenario.All.Select(s => s.Metric).Order());
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Fires_for_the_bad_group_once_then_resolves(string metric)
    {
        var scenario = Scenario.All.Single(s => s.Metric == metric);
        var h = scenario.Start();

        // Healthy first: nothing.
        scenario.Feed(h, aBad: false);
        Assert.Empty(h.Evaluate());

        // Group A goes bad: one firing alert, for A, with the numbers behind it.
        h.Advance(TimeSpan.FromSeconds(1));
        scenario.Feed(h, aBad: true);
        var fired = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Firing, fired.Event);
        var alert = fired.Alert;
        Assert.Equal(AlertStatuses.Firing, alert.Status);
        Assert.Equal(h.Rule.Name, alert.Rule);
        Assert.Equal(metric, alert.Metric);
        Assert.Equal([new KeyValuePair<string, string?>(scenario.Label, scenario.BadGroup)], alert.Group);
        Assert.True(h.Rule.Breaches(alert.Value, alert.Threshold), $"{alert.Value} vs {alert.Threshold}");
        Assert.Equal(h.Now, alert.StartedAt);
        Assert.Equal(h.Now, alert.FiredAt);

        // Still bad: no second notification (one per rule and group until it resolves).
        h.Advance(TimeSpan.FromSeconds(1));
        scenario.Feed(h, aBad: true);
        Assert.Empty(h.Evaluate());
        Assert.Equal(alert.Id, Assert.Single(h.Active).Id);

        // Healthy again once the bad calls leave the window: resolved, once.
        h.Advance(h.Rule.Window + TimeSpan.FromTicks(h.Rule.Window.Ticks / Measure.Slots) + TimeSpan.FromSeconds(1));
        scenario.Feed(h, aBad: false);
        var resolved = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Resolved, resolved.Event);
        Assert.Equal(alert.Id, resolved.Alert.Id);
        Assert.Equal(h.Now, resolved.Alert.EndedAt);
        Assert.Empty(h.Active);
        Assert.Empty(h.Evaluate());
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Holds_for_its_for_duration_before_it_fires(string metric)
    {
        var scenario = Scenario.All.Single(s => s.Metric == metric);
        var h = scenario.Start(@for: TimeSpan.FromMinutes(2));

        scenario.Feed(h, aBad: true);
        Assert.Empty(h.Evaluate());
        var pending = Assert.Single(h.Active);
        Assert.Equal(AlertStatuses.Pending, pending.Status);

        h.Advance(TimeSpan.FromMinutes(1));
        scenario.Feed(h, aBad: true);
        Assert.Empty(h.Evaluate());

        h.Advance(TimeSpan.FromMinutes(1));
        scenario.Feed(h, aBad: true);
        var fired = Assert.Single(h.Evaluate());
        Assert.Equal(AlertEvent.Firing, fired.Event);
        Assert.Equal(pending.Id, fired.Alert.Id);
        Assert.Equal(pending.StartedAt, fired.Alert.StartedAt);
        Assert.Equal(h.Now, fired.Alert.FiredAt);
    }
}
