namespace Claudit.Alerts.Rules;

/// <summary>
/// What <c>claudit serve --alerts FILE</c> reads (<see cref="AlertsFile"/>): how often rules are
/// evaluated, where notifications go, the rules, and the addresses messages link to. Without a file,
/// <see cref="Defaults"/>: the built-in rules, shown in the dashboard and <c>/api/alerts</c>, sent nowhere.
/// </summary>
public sealed record AlertsConfig
{
    public static AlertsConfig Defaults { get; } = new();

    public TimeSpan EvaluateEvery { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<NotifyTarget> Notify { get; init; } = [];

    public IReadOnlyList<AlertRule> Rules { get; init; } = DefaultRules.All;

    /// <summary>The dashboard links in messages start here; default: the gateway's own address.</summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>The runbook (docs/alerts.md) links in messages point here, with <c>#runbook-METRIC</c>; default: the copy the gateway serves at <c>/docs/alerts.md</c>.</summary>
    public Uri? RunbookUrl { get; init; }

    /// <summary>The file the configuration came from; null for the defaults.</summary>
    public string? Source { get; init; }
}
