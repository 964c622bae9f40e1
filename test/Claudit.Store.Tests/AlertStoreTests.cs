using Claudit.Core.Reporting;
using Claudit.Store.Alerting;

namespace Claudit.Store.Tests;

/// <summary>The alert evaluator's side of the store: alerts saved, replaced and deleted; records streamed in time order; hourly totals equal to sums over the records.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public class AlertStoreTests
{
    private static StoredAlert Alert(int n, string status, DateTimeOffset started) => new()
    {
        Id = Guid.CreateVersion7(started),
        Rule = $"rule-{n}",
        Metric = "error_rate",
        Severity = "critical",
        Group = [new("model", "claude-haiku-4-5"), new("feature", null)],
        Status = status,
        Value = 0.25,
        Threshold = 0.05,
        Comparison = "above",
        Calls = 40,
        Window = TimeSpan.FromMinutes(5),
        StartedAt = started,
        FiredAt = status == AlertStatuses.Pending ? null : started.AddMinutes(1),
        LastNotifiedAt = status == AlertStatuses.Pending ? null : started.AddMinutes(1),
        WorstValue = 0.5,
    };

    [Fact]
    public async Task Alerts_are_saved_replaced_deleted_and_read_back_field_by_field()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var pending = Alert(1, AlertStatuses.Pending, TestRecords.Start);
        var firing = Alert(2, AlertStatuses.Firing, TestRecords.Start.AddMinutes(1));
        var old = Alert(3, AlertStatuses.Resolved, TestRecords.Start.AddMinutes(-60)) with { EndedAt = TestRecords.Start.AddMinutes(-30) };
        await store.SaveAlertsAsync([pending, firing, old], []);

        var active = await store.QueryActiveAlertsAsync();
        Assert.Equal([pending.Id, firing.Id], active.Select(a => a.Id));
        var back = active[1];
        Assert.Equal(firing with { Group = [] }, back with { Group = [] });
        Assert.Equal(firing.Group, back.Group);
        Assert.Equal([firing.Id, old.Id], (await store.QueryAlertHistoryAsync(10)).Select(a => a.Id));

        // The firing one resolves, the pending one clears: one transaction.
        var resolved = firing with { Status = AlertStatuses.Resolved, EndedAt = TestRecords.Start.AddMinutes(9), Value = 0.01 };
        await store.SaveAlertsAsync([resolved], [pending.Id]);
        Assert.Empty(await store.QueryActiveAlertsAsync());
        var history = await store.QueryAlertHistoryAsync(10);
        Assert.Equal(2, history.Length);
        Assert.Equal(resolved with { Group = [] }, history[0] with { Group = [] });
        Assert.Equal(resolved, await store.GetAlertAsync(resolved.Id) is { } got ? got with { Group = resolved.Group } : null);
        Assert.Null(await store.GetAlertAsync(pending.Id));
        Assert.Single(await store.QueryAlertHistoryAsync(1));
    }

    [Fact]
    public async Task Records_stream_in_time_order_and_hourly_totals_are_the_sums_of_their_records()
    {
        using var dir = new TempStore();
        await using var store = dir.Open();
        var records = await TestRecords.MixAsync(3000, seed: 4);
        await store.AppendAsync(records);
        var filter = new RecordFilter { Since = TestRecords.Start.AddMinutes(1), Until = TestRecords.Start.AddDays(2), Model = "claude-sonnet" };

        var streamed = new List<Core.Records.CallRecord>();
        await foreach (var r in store.ReadCallsAsync(filter))
        {
            streamed.Add(r);
        }

        var expected = records.Where(filter.Matches).OrderBy(r => r.StartTime).ThenBy(r => r.Id).ToList();
        Assert.True(expected.Count > 100, $"{expected.Count} records in the filter");
        Assert.Equal(expected.Select(r => r.Id), streamed.Select(r => r.Id));

        var hours = await store.QueryHourlyTotalsAsync(filter, null, [CallDimension.Feature]);
        var byHand = expected.GroupBy(r => (Hour: r.StartTime.UtcTicks / TimeSpan.TicksPerHour, r.Tags.Feature))
            .ToDictionary(g => g.Key, g => (Calls: (long)g.Count(), Cost: g.Sum(r => r.Cost is { Priced: true } c ? c.TotalUsd : 0m),
                Input: g.Sum(r => r.Usage?.TotalInputTokens ?? 0), Read: g.Sum(r => r.Usage?.CacheReadInputTokens ?? 0), Output: g.Sum(r => r.Usage?.OutputTokens ?? 0)));
        Assert.Equal(byHand.Count, hours.Length);
        foreach (var h in hours)
        {
            var e = byHand[(h.Hour.UtcTicks / TimeSpan.TicksPerHour, h.Group[0])];
            Assert.Equal(e, (h.Calls, h.CostUsd, h.InputTokens, h.CacheReadTokens, h.OutputTokens));
        }

        var messages = await store.QueryHourlyTotalsAsync(new RecordFilter(), "/v1/messages/count_tokens", []);
        Assert.Equal(records.Count(r => r.Endpoint == "/v1/messages/count_tokens"), messages.Sum(h => h.Calls));
    }
}
