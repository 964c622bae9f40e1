namespace Claudit.Store.Alerting;

/// <summary>
/// One alert as the store keeps it (the <c>alerts</c> table): a rule's condition holding for one group,
/// from when it began to hold to when it cleared. <see cref="Status"/> is <c>pending</c>, <c>firing</c>
/// or <c>resolved</c>; the shape is the evaluator's, kept here so the store needs no alerting code.
/// </summary>
public sealed record StoredAlert
{
    public required Guid Id { get; init; }

    public required string Rule { get; init; }

    public required string Metric { get; init; }

    public string Severity { get; init; } = "warning";

    /// <summary>The rule's group_by labels and this alert's values, in the rule's order (empty when ungrouped); null: the call had no such tag.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Group { get; init; } = [];

    public required string Status { get; init; }

    public double Value { get; init; }

    public double Threshold { get; init; }

    /// <summary><c>above</c>, <c>at_least</c> or <c>below</c>.</summary>
    public required string Comparison { get; init; }

    /// <summary>The calls the value was computed over (or the items, for a metric over items).</summary>
    public long Calls { get; init; }

    /// <summary>The window the value was computed over (a day or a month for the calendar metrics).</summary>
    public TimeSpan Window { get; init; }

    /// <summary>When the condition began to hold (the start of pending).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FiredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset? LastNotifiedAt { get; init; }

    /// <summary>The value furthest past the threshold while the alert was active.</summary>
    public double WorstValue { get; init; }
}
