using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>A change people are told about: an alert fired, is still firing (a repeat), or resolved. <see cref="Alert"/> is the alert as of that moment.</summary>
public sealed record AlertTransition(AlertEvent Event, StoredAlert Alert);

public enum AlertEvent
{
    Firing,

    /// <summary>Still firing after the rule's repeat_every: sent again.</summary>
    Repeat,

    Resolved,
}
