namespace Claudit.Alerts.Evaluation;

/// <summary>A clock that reads whatever time it was last set to: a backtest moves it along the records' own times.</summary>
public sealed class ReplayClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;
}
