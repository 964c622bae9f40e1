using System.Buffers;
using System.Text.Json;
using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;
using Microsoft.Extensions.Logging;

namespace Claudit.Alerts.Notifications;

/// <summary>
/// Turns transitions into messages for every notify target (a JSON webhook body, or a Slack message)
/// and hands them to each target's own queue (<see cref="NotificationChannel"/>): sending never
/// blocks the evaluator, and a slow or failing target delays only itself.
/// </summary>
public sealed class AlertNotifier : IAsyncDisposable
{
    private readonly NotificationChannel[] _channels;

    public AlertNotifier(IReadOnlyList<NotifyTarget> targets, AlertLinks links, HttpClient http, TimeProvider time, ILogger logger)
    {
        Links = links;
        _channels = [.. targets.Select(t => new NotificationChannel(t, http, time, logger))];
    }

    public AlertLinks Links { get; }

    public int Targets => _channels.Length;

    public long Sent => _channels.Sum(c => c.Sent);

    public long Failed => _channels.Sum(c => c.Failed);

    public long Retries => _channels.Sum(c => c.Retries);

    public int Queued => _channels.Sum(c => c.Queued);

    public void Notify(AlertTransition transition)
    {
        var status = transition.Event == AlertEvent.Resolved ? AlertStatuses.Resolved : AlertStatuses.Firing;
        byte[]? webhook = null, slack = null;
        foreach (var channel in _channels)
        {
            var body = channel.Target.Kind == NotifyKind.Slack
                ? slack ??= Json(w => SlackMessage.Write(w, transition, Links))
                : webhook ??= Json(w => AlertJson.Write(w, transition.Alert, Links, status, transition.Event == AlertEvent.Repeat));
            channel.Enqueue(new Notification(body, transition.Alert.Rule, status));
        }
    }

    /// <summary>The webhook body of a transition, as a target would receive it.</summary>
    public byte[] WebhookBody(AlertTransition transition) =>
        Json(w => AlertJson.Write(w, transition.Alert, Links, transition.Event == AlertEvent.Resolved ? AlertStatuses.Resolved : AlertStatuses.Firing, transition.Event == AlertEvent.Repeat));

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Gives queued messages up to <paramref name="grace"/> to go out, then stops.</summary>
    public async ValueTask StopAsync(TimeSpan grace)
    {
        await Task.WhenAll(_channels.Select(c => c.StopAsync(grace).AsTask())).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }
}
