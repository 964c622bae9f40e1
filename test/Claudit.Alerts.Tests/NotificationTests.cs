using System.Text.Json;
using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Notifications;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Alerts.Tests;

/// <summary>Notifications to a real HTTP receiver: the webhook body, Slack's message, retries with back-off, and failures counted.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class NotificationTests
{
    private static readonly AlertLinks Links = new(new Uri("http://claudit.example:4000/"), new Uri("https://docs.example/alerts.md"));

    private static StoredAlert Alert(string status = AlertStatuses.Firing, DateTimeOffset? ended = null) => new()
    {
        Id = Guid.Parse("0190a000-0000-7000-8000-000000000001"),
        Rule = "errors",
        Metric = "error_rate",
        Severity = "critical",
        Group = [new("model", "claude-haiku-4-5")],
        Status = status,
        Value = 0.4,
        Threshold = 0.05,
        Comparison = "above",
        Calls = 25,
        Window = TimeSpan.FromSeconds(30),
        StartedAt = new DateTimeOffset(2026, 11, 20, 12, 0, 3, TimeSpan.Zero),
        FiredAt = new DateTimeOffset(2026, 11, 20, 12, 0, 3, TimeSpan.Zero),
        EndedAt = ended,
        WorstValue = 0.5,
    };

    private static AlertNotifier Notifier(WebhookListener listener, NotifyKind kind = NotifyKind.Webhook, int attempts = 6) =>
        new([new NotifyTarget { Kind = kind, Url = listener.Url, MaxAttempts = attempts, Backoff = TimeSpan.FromMilliseconds(50), Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer hook-token" } }],
            Links, new HttpClient(), TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task The_webhook_body_carries_the_status_rule_group_numbers_times_and_links()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var notifier = Notifier(listener);

        notifier.Notify(new AlertTransition(AlertEvent.Firing, Alert()));
        var hook = await listener.WaitForAsync(_ => true, TimeSpan.FromSeconds(10), "webhook");

        var b = hook.Body;
        Assert.Equal("firing", b.GetProperty("status").GetString());
        Assert.Equal("errors", b.GetProperty("rule").GetString());
        Assert.Equal("error_rate", b.GetProperty("metric").GetString());
        Assert.Equal("critical", b.GetProperty("severity").GetString());
        Assert.Equal("claude-haiku-4-5", b.GetProperty("group").GetProperty("model").GetString());
        Assert.Equal(0.4, b.GetProperty("value").GetDouble());
        Assert.Equal(0.05, b.GetProperty("threshold").GetDouble());
        Assert.Equal(25, b.GetProperty("calls").GetInt64());
        Assert.Equal("30s", b.GetProperty("window").GetString());
        Assert.Equal("2026-11-20T12:00:03Z", b.GetProperty("started_at").GetString());
        Assert.Equal(JsonValueKind.Null, b.GetProperty("ended_at").ValueKind);
        Assert.Equal("error rate 40% > 5% over 30s (25 calls), model=claude-haiku-4-5", b.GetProperty("summary").GetString());
        Assert.Equal("http://claudit.example:4000/?view=errors&range=custom&since=2026-11-20T11%3A59%3A33Z&until=2026-11-20T12%3A00%3A33Z&model=claude-haiku-4-5", b.GetProperty("dashboard_url").GetString());
        Assert.Equal("http://claudit.example:4000/?view=alerts&alert=0190a000-0000-7000-8000-000000000001", b.GetProperty("alert_url").GetString());
        Assert.Equal("https://docs.example/alerts.md#runbook-error_rate", b.GetProperty("runbook_url").GetString());
        Assert.Equal("Bearer hook-token", hook.Headers["Authorization"]);
        Assert.StartsWith("application/json", hook.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firing_then_resolved_arrive_in_that_order()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var notifier = Notifier(listener);
        var ended = new DateTimeOffset(2026, 11, 20, 12, 5, 0, TimeSpan.Zero);

        notifier.Notify(new AlertTransition(AlertEvent.Firing, Alert()));
        notifier.Notify(new AlertTransition(AlertEvent.Resolved, Alert(AlertStatuses.Resolved, ended)));
        await listener.WaitForAsync(h => h.Text("status") == "resolved", TimeSpan.FromSeconds(10), "resolved");

        Assert.Equal(["firing", "resolved"], listener.Received.Select(h => h.Text("status")));
        Assert.Equal("2026-11-20T12:05:00Z", listener.Received[1].Text("ended_at"));
        Assert.Equal(2, notifier.Sent);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_back_off_until_it_takes_the_message()
    {
        await using var listener = await WebhookListener.StartAsync(attempt => attempt <= 2 ? 503 : 200);
        await using var notifier = Notifier(listener);

        notifier.Notify(new AlertTransition(AlertEvent.Firing, Alert()));
        var hook = await listener.WaitForAsync(_ => true, TimeSpan.FromSeconds(10), "webhook after retries");

        Assert.Equal(3, hook.Attempt);
        Assert.Equal((1L, 0L, 2L), (notifier.Sent, notifier.Failed, notifier.Retries));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_on_and_counted()
    {
        await using var listener = await WebhookListener.StartAsync(_ => 500);
        await using var notifier = Notifier(listener, attempts: 3);

        notifier.Notify(new AlertTransition(AlertEvent.Firing, Alert()));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (notifier.Failed == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal((0L, 1L, 2L, 3), (notifier.Sent, notifier.Failed, notifier.Retries, listener.Attempts));
    }

    [Fact]
    public async Task A_refusal_that_resending_cannot_fix_is_not_retried()
    {
        await using var listener = await WebhookListener.StartAsync(_ => 400);
        await using var notifier = Notifier(listener);

        notifier.Notify(new AlertTransition(AlertEvent.Firing, Alert()));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (notifier.Failed == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal((1L, 0L, 1), (notifier.Failed, notifier.Retries, listener.Attempts));
    }

    [Fact]
    public async Task Slack_gets_a_text_with_the_numbers_the_threshold_and_links()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var notifier = Notifier(listener, NotifyKind.Slack);

        notifier.Notify(new AlertTransition(AlertEvent.Firing, Alert()));
        var hook = await listener.WaitForAsync(_ => true, TimeSpan.FromSeconds(10), "slack message");

        var text = hook.Text("text")!;
        Assert.Single(hook.Body.EnumerateObject());
        Assert.StartsWith(":rotating_light: *[FIRING] errors* (critical): error rate 40% &gt; 5% over 30s (25 calls), model=claude-haiku-4-5, since 2026-11-20 12:00:03Z", text, StringComparison.Ordinal);
        Assert.Contains("<http://claudit.example:4000/?view=errors&range=custom", text, StringComparison.Ordinal);
        Assert.Contains("|The calls behind it>", text, StringComparison.Ordinal);
        Assert.Contains("<https://docs.example/alerts.md#runbook-error_rate|Runbook>", text, StringComparison.Ordinal);
    }
}
