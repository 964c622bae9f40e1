namespace Claudit.Alerts.Rules;

/// <summary>Where notifications go: a generic JSON webhook or a Slack incoming webhook, with its retry policy.</summary>
public sealed record NotifyTarget
{
    public required NotifyKind Kind { get; init; }

    public required Uri Url { get; init; }

    /// <summary>Tries per notification before it counts as failed (the first included).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait before the first retry; each next wait doubles, up to five minutes.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Extra request headers (e.g. <c>Authorization</c> for a receiver that wants one).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>For logs and metrics: the kind and the host, never the path (a Slack URL's path is its secret).</summary>
    public string Describe() => $"{(Kind == NotifyKind.Slack ? "slack" : "webhook")} {Url.Host}:{Url.Port}";
}

public enum NotifyKind
{
    Webhook,
    Slack,
}
