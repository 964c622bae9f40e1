using System.Globalization;
using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Notifications;

/// <summary>An alert in words, with its numbers as a person reads them: "error rate 40.0% &gt; 5.0% over 30s (25 calls), model=claude-haiku-4-5".</summary>
public static class AlertText
{
    public static string Summary(StoredAlert alert)
    {
        var known = MetricCatalogue.TryFind(alert.Metric, out var info);
        var unit = known ? info.Unit : MetricUnit.Count;
        var title = known ? info.Title : alert.Metric;
        var over = known && info.Calendar is { } calendar ? (calendar == CalendarPeriod.Day ? " today (UTC)" : " this month (UTC)")
            : known && info.Pulled ? ""
            : $" over {DurationText.Format(alert.Window)}";
        var calls = alert.Calls > 0 ? $" ({alert.Calls.ToString("N0", CultureInfo.InvariantCulture)} {(alert.Metric == "turns_per_conversation" ? "conversations" : alert.Metric == "tool_error_rate" ? "calls with tool results" : "calls")})" : "";
        var group = alert.Group.Count == 0 ? "" : ", " + Group(alert.Group);
        // A resolved alert's last value no longer breaches: the threshold is said apart.
        var against = alert.Status == AlertStatuses.Resolved
            ? $"{Value(alert.Value, unit)} (threshold {Comparisons.Symbol(alert.Comparison)} {Value(alert.Threshold, unit)})"
            : $"{Value(alert.Value, unit)} {Comparisons.Symbol(alert.Comparison)} {Value(alert.Threshold, unit)}";
        return $"{title} {against}{over}{calls}{group}";
    }

    /// <summary><c>model=claude-haiku-4-5 feature=chat</c>; a missing tag shows as <c>(none)</c>.</summary>
    public static string Group(IReadOnlyList<KeyValuePair<string, string?>> group) =>
        string.Join(' ', group.Select(l => $"{l.Key}={l.Value ?? "(none)"}"));

    public static string Value(double value, MetricUnit unit) => unit switch
    {
        MetricUnit.Ratio => (value * 100).ToString(value * 100 < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + "%",
        MetricUnit.Seconds => value.ToString(value < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + " s",
        MetricUnit.Usd => "$" + value.ToString(value < 1 ? "0.####" : "N2", CultureInfo.InvariantCulture),
        MetricUnit.TokensPerSecond => value.ToString("N0", CultureInfo.InvariantCulture) + " tokens/s",
        MetricUnit.Turns => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
