using System.Text.Json;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Notifications;

/// <summary>
/// An alert as JSON: the webhook body (docs/alerts.md, "Notifications") and each alert of
/// <c>/api/alerts</c>, one writer for both so that they never drift apart.
/// </summary>
public static class AlertJson
{
    /// <summary>
    /// Writes <paramref name="a"/> with its links; <paramref name="status"/> overrides the alert's own
    /// status, and <paramref name="repeat"/> marks a firing message that repeats an earlier one.
    /// </summary>
    public static void Write(Utf8JsonWriter w, StoredAlert a, AlertLinks links, string? status = null, bool repeat = false)
    {
        w.WriteStartObject();
        w.WriteString("status"u8, status ?? a.Status);
        w.WriteString("rule"u8, a.Rule);
        w.WriteString("metric"u8, a.Metric);
        w.WriteString("severity"u8, a.Severity);
        w.WriteStartObject("group"u8);
        foreach (var (label, value) in a.Group)
        {
            if (value is null)
            {
                w.WriteNull(label);
            }
            else
            {
                w.WriteString(label, value);
            }
        }

        w.WriteEndObject();
        Number(w, "value"u8, a.Value);
        Number(w, "threshold"u8, a.Threshold);
        w.WriteString("comparison"u8, a.Comparison);
        w.WriteNumber("calls"u8, a.Calls);
        w.WriteString("window"u8, DurationText.Format(a.Window));
        w.WriteNumber("window_seconds"u8, a.Window.TotalSeconds);
        w.WriteString("started_at"u8, a.StartedAt.UtcDateTime);
        Time(w, "fired_at"u8, a.FiredAt);
        Time(w, "ended_at"u8, a.EndedAt);
        Number(w, "worst_value"u8, a.WorstValue);
        w.WriteString("summary"u8, AlertText.Summary(a));
        w.WriteString("dashboard_url"u8, links.Dashboard(a));
        w.WriteString("alert_url"u8, links.Alert(a));
        w.WriteString("runbook_url"u8, links.Runbook(a.Metric));
        w.WriteString("alert_id"u8, a.Id);
        if (repeat)
        {
            w.WriteBoolean("repeat"u8, true);
        }

        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, ReadOnlySpan<byte> name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            w.WriteString(name, v.UtcDateTime);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
