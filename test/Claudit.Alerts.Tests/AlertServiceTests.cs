using Claudit.Alerts.Rules;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store.Alerting;
using Claudit.Store.DuckDb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Alerts.Tests;

/// <summary>
/// The live service over a real DuckDB store and a real webhook receiver, on a fake clock: alerts are
/// stored as they change, a restart takes them back (no second message) and seeds its windows from the
/// stored records (the last hour is not forgotten).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class AlertServiceTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("claudit-alerts-").FullName;
    private readonly FakeTimeProvider _clock = new(Harness.Start);
    private DuckDbCallStore _store = null!;
    private WebhookListener _hooks = null!;

    public async Task InitializeAsync()
    {
        _store = DuckDbCallStore.Open(Path.Combine(_dir, DuckDbCallStore.FileName));
        _hooks = await WebhookListener.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hooks.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private AlertsConfig Config => new()
    {
        EvaluateEvery = TimeSpan.FromSeconds(5),
        Rules = [new AlertRule { Name = "errors", Metric = AlertMetric.ErrorRate, Comparison = AlertComparison.Above, Threshold = 0.05, Window = TimeSpan.FromMinutes(1), MinCalls = 10, GroupBy = [CallDimension.Model] }],
        Notify = [new NotifyTarget { Kind = NotifyKind.Webhook, Url = _hooks.Url }],
    };

    private async Task<AlertService> StartAsync()
    {
        var service = new AlertService(Config, _store, _clock, NullLogger.Instance);
        service.Start(new Uri("http://127.0.0.1:4000"));
        await service.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return service;
    }

    private static CallRecord Failed(DateTimeOffset t) => Calls.Ok(t, CallDimension.Model, "claude-a").Failed(ErrorTypes.Overloaded, 529);

    /// <summary>Records as the gateway hands them on: to the store, and to the service.</summary>
    private async Task ObserveAsync(AlertService service, IEnumerable<CallRecord> records)
    {
        var before = service.RecordsObserved;
        var list = records.ToList();
        await _store.AppendAsync(list);
        foreach (var r in list)
        {
            service.Observe(r);
        }

        await Until(() => service.RecordsObserved >= before + list.Count, "the service to take the records");
    }

    /// <summary>One evaluation period on the fake clock, and the evaluation it triggers.</summary>
    private async Task TickAsync(AlertService service)
    {
        var before = service.Evaluations;
        _clock.Advance(TimeSpan.FromSeconds(5));
        await Until(() => service.Evaluations > before, "an evaluation");
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 30 s for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Alerts_are_stored_as_they_change_and_a_restart_neither_repeats_nor_forgets_a_message()
    {
        var service = await StartAsync();
        await ObserveAsync(service, Enumerable.Range(0, 20).Select(i => Failed(_clock.GetUtcNow().AddMilliseconds(-i))));
        await TickAsync(service);
        await _hooks.WaitForAsync(h => h.Text("status") == "firing", TimeSpan.FromSeconds(10), "firing");
        var stored = Assert.Single(await _store.QueryActiveAlertsAsync());
        Assert.Equal((AlertStatuses.Firing, "errors", 1.0), (stored.Status, stored.Rule, stored.Value));
        Assert.Equal(stored.Id, Assert.Single(service.Current.Active).Id);
        await service.DisposeAsync();

        // A new gateway on the same store: the alert is still firing, and nobody is told twice.
        var restarted = await StartAsync();
        Assert.Equal(20, restarted.RecordsSeeded);
        Assert.Equal(stored.Id, Assert.Single(restarted.Current.Active).Id);
        await TickAsync(restarted);
        Assert.Single(_hooks.Received);

        // Healthy calls: resolved, once, and in the store's history.
        await ObserveAsync(restarted, Enumerable.Range(0, 400).Select(i => Calls.Ok(_clock.GetUtcNow().AddMilliseconds(-i), CallDimension.Model, "claude-a")));
        await TickAsync(restarted);
        var resolved = await _hooks.WaitForAsync(h => h.Text("status") == "resolved", TimeSpan.FromSeconds(10), "resolved");
        Assert.Equal(stored.Id.ToString(), resolved.Text("alert_id"));
        Assert.Empty(await _store.QueryActiveAlertsAsync());
        var history = Assert.Single(await _store.QueryAlertHistoryAsync(10));
        Assert.Equal((AlertStatuses.Resolved, _clock.GetUtcNow()), (history.Status, history.EndedAt));
        Assert.Equal(2, _hooks.Received.Count);
        await restarted.DisposeAsync();
    }

    [Fact]
    public async Task A_restart_seeds_its_windows_from_the_stored_records_of_the_last_hour()
    {
        // Failures stored by the previous run, 20 s ago: the new run must see them.
        await _store.AppendAsync([.. Enumerable.Range(0, 20).Select(i => Failed(_clock.GetUtcNow().AddSeconds(-20).AddMilliseconds(-i)))]);
        var service = await StartAsync();
        Assert.Equal(20, service.RecordsSeeded);

        await TickAsync(service);
        var hook = await _hooks.WaitForAsync(h => h.Text("status") == "firing", TimeSpan.FromSeconds(10), "firing from seeded records");
        Assert.Equal(20, hook.Body.GetProperty("calls").GetInt64());
        await service.DisposeAsync();
    }
}
