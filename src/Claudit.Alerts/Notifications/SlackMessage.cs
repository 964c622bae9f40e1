using System.Text.Json;
using Claudit.Alerts.Evaluation;

namespace Claudit.Alerts.Notifications;

/// <summary>
/// A transition as a Slack incoming-webhook message (<c>{"text": …}</c>, mrkdwn): what fired, the
/// numbers against the threshold, since when, and links to the dashboard view of the cause, the calls
/// behind it and the rule's runbook.
/// </summary>
public static class SlackMessage
{
    public static void Write(Utf8JsonWriter w, AlertTransition transition, AlertLinks links)
    {
        var a = transition.Alert;
        var (mark, word) = transition.Event switch
        {
            AlertEvent.Resolved => (":white_check_mark:", "RESOLVED"),
            AlertEvent.Repeat => (":rotating_light:", "STILL FIRING"),
            _ => (":rotating_light:", "FIRING"),
        };
        var when = transition.Event == AlertEvent.Resolved && a.EndedAt is { } ended
            ? $"from {AlertText.Time(a.StartedAt)} to {AlertText.Time(ended)}"
            : $"since {AlertText.Time(a.StartedAt)}";
        var text = $"{mark} *[{word}] {Escape(a.Rule)}* ({Escape(a.Severity)}): {Escape(AlertText.Summary(a))}, {when}\n"
            + $"<{links.Dashboard(a)}|Open the {Escape(a.Metric)} view> · <{links.Alert(a)}|The calls behind it> · <{links.Runbook(a.Metric)}|Runbook>";
        w.WriteStartObject();
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    /// <summary>Slack's three control characters in text.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
