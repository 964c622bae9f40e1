namespace Claudit.Core.Reconcile;

/// <summary>The bucket a reconciliation compares in: a UTC day or a UTC hour (<c>--by day|hour</c>).</summary>
public enum ReconcileWidth
{
    Day,
    Hour,
}

/// <summary>UTC bucket edges: a bucket starts at a whole UTC day or hour, whatever the offset of the time it holds.</summary>
public static class ReconcileBuckets
{
    public static TimeSpan Step(ReconcileWidth width) => width == ReconcileWidth.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    /// <summary>The start (UTC) of the bucket holding <paramref name="time"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, ReconcileWidth width)
    {
        var step = Step(width).Ticks;
        return new DateTimeOffset(time.UtcTicks - (time.UtcTicks % step), TimeSpan.Zero);
    }

    /// <summary>The first bucket edge at or after <paramref name="time"/>.</summary>
    public static DateTimeOffset Ceil(DateTimeOffset time, ReconcileWidth width)
    {
        var floor = Floor(time, width);
        return floor == time ? floor : floor + Step(width);
    }

    /// <summary>
    /// Usage appears in the reports minutes after a call ends, sometimes later (reference §5): without an explicit
    /// end, a reconciliation stops this long before now.
    /// </summary>
    public static TimeSpan Settling { get; } = TimeSpan.FromHours(1);

    /// <summary>The end a reconciliation takes when none is given: now less <see cref="Settling"/>.</summary>
    public static DateTimeOffset DefaultUntil(DateTimeOffset now) => now - Settling;

    /// <summary>The end of the finished UTC days at <paramref name="now"/>: a day is finished <see cref="Settling"/> after it ends.</summary>
    public static DateTimeOffset FinishedDaysUntil(DateTimeOffset now) => Floor(DefaultUntil(now), ReconcileWidth.Day);

    /// <summary>
    /// The whole buckets of [<paramref name="since"/>, <paramref name="until"/>): the usage report lists only buckets
    /// that lie wholly in its range, so both sides compare whole buckets. Empty when none fits.
    /// </summary>
    public static (DateTimeOffset Since, DateTimeOffset Until) Whole(DateTimeOffset since, DateTimeOffset until, ReconcileWidth width)
    {
        var from = Ceil(since, width);
        var to = Floor(until, width);
        return (from, to < from ? from : to);
    }

    /// <summary>The usage report's name of the width: <c>1d</c> or <c>1h</c>.</summary>
    public static string ApiName(ReconcileWidth width) => width == ReconcileWidth.Hour ? "1h" : "1d";
}
