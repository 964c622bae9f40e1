namespace Claudit.Store.Alerting;

/// <summary>The states of an alert (docs/alerts.md, "How a rule fires").</summary>
public static class AlertStatuses
{
    /// <summary>The condition holds, not yet for the rule's <c>for</c>: nobody has been told.</summary>
    public const string Pending = "pending";

    /// <summary>The condition has held for <c>for</c>: the firing notification went out.</summary>
    public const string Firing = "firing";

    /// <summary>The condition no longer holds: the resolved notification went out; the alert is history.</summary>
    public const string Resolved = "resolved";
}
