using Claudit.Alerts.Rules;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>One rule's alert for one group while it is active (pending or firing): the state machine's state.</summary>
internal sealed class AlertInstance
{
    public required Guid Id { get; init; }

    public required AlertRule Rule { get; init; }

    public required GroupKey Key { get; init; }

    public required KeyValuePair<string, string?>[] Labels { get; init; }

    public string Status { get; set; } = AlertStatuses.Pending;

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FiredAt { get; set; }

    public DateTimeOffset? LastNotifiedAt { get; set; }

    public double Value { get; set; }

    public double Threshold { get; set; }

    public long Calls { get; set; }

    public double Worst { get; set; }

    public void Update(Reading reading)
    {
        Value = reading.Value;
        Threshold = reading.Threshold;
        Calls = reading.Calls;
        Worst = Rule.Worse(Worst, reading.Value);
    }

    public StoredAlert ToStored(string status, DateTimeOffset? endedAt = null) => new()
    {
        Id = Id,
        Rule = Rule.Name,
        Metric = Rule.Info.Name,
        Severity = Rule.Severity,
        Group = Labels,
        Status = status,
        Value = Value,
        Threshold = Threshold,
        Comparison = Comparisons.Name(Rule.Comparison),
        Calls = Calls,
        Window = Rule.Window,
        StartedAt = StartedAt,
        FiredAt = FiredAt,
        EndedAt = endedAt,
        LastNotifiedAt = LastNotifiedAt,
        WorstValue = Worst,
    };

    public static AlertInstance FromStored(StoredAlert stored, AlertRule rule, GroupKey key) => new()
    {
        Id = stored.Id,
        Rule = rule,
        Key = key,
        Labels = [.. stored.Group],
        Status = stored.Status,
        StartedAt = stored.StartedAt,
        FiredAt = stored.FiredAt,
        LastNotifiedAt = stored.LastNotifiedAt,
        Value = stored.Value,
        Threshold = stored.Threshold,
        Calls = stored.Calls,
        Worst = stored.WorstValue,
    };
}
