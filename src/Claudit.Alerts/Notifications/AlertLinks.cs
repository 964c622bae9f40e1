using System.Globalization;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Notifications;

/// <summary>
/// Where a message sends a person: the dashboard view that shows the cause (the metric's view, over the
/// alert's time, filtered to its group), the alert in the dashboard's Alerts view (with the calls
/// behind it), and the rule's runbook section in docs/alerts.md.
/// </summary>
public sealed class AlertLinks
{
    private readonly string _dashboard;
    private readonly string _runbook;

    public AlertLinks(Uri dashboard, Uri runbook)
    {
        _dashboard = dashboard.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _runbook = runbook.GetLeftPart(UriPartial.Query);
    }

    /// <summary>The runbook section of a metric: <c>…/alerts.md#runbook-error_rate</c>.</summary>
    public string Runbook(string metric) => $"{_runbook}#runbook-{metric}";

    /// <summary>The alert in the dashboard's Alerts view, which lists the calls behind it.</summary>
    public string Alert(StoredAlert alert) => $"{_dashboard}/?view=alerts&alert={alert.Id}";

    /// <summary>The metric's dashboard view over the alert's window before it began until a window after it (or its end), filtered to its group.</summary>
    public string Dashboard(StoredAlert alert)
    {
        var view = MetricCatalogue.TryFind(alert.Metric, out var info) ? info.View : "overview";
        var window = alert.Window > TimeSpan.Zero ? alert.Window : TimeSpan.FromMinutes(5);
        var since = alert.StartedAt - window;
        var until = (alert.EndedAt ?? alert.StartedAt) + window;
        var query = new List<string> { $"range=custom&since={Time(since)}&until={Time(until)}" };
        foreach (var (label, value) in alert.Group)
        {
            if (value is null)
            {
                continue;
            }

            switch (label)
            {
                case "model" or "feature" or "user" or "tenant":
                    query.Add($"{label}={Uri.EscapeDataString(value)}");
                    break;
                case "session":
                    return $"{_dashboard}/?session={Uri.EscapeDataString(value)}";
            }
        }

        return $"{_dashboard}/?view={view}&{string.Join('&', query)}";
    }

    private static string Time(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
