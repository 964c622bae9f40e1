namespace Claudit.Mock;

/// <summary>A report's time bucket: UTC minute, hour or day (<c>1m</c>, <c>1h</c>, <c>1d</c>).</summary>
internal enum BucketWidth
{
    Minute,
    Hour,
    Day,
}

internal static class Buckets
{
    public static bool TryParse(string? text, out BucketWidth width)
    {
        (var ok, width) = text switch
        {
            "1m" => (true, BucketWidth.Minute),
            "1h" => (true, BucketWidth.Hour),
            "1d" => (true, BucketWidth.Day),
            _ => (false, BucketWidth.Day),
        };
        return ok;
    }

    public static TimeSpan Step(BucketWidth width) => width switch
    {
        BucketWidth.Minute => TimeSpan.FromMinutes(1),
        BucketWidth.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The start of the bucket holding <paramref name="t"/> (edges are UTC: ticks count from a UTC midnight).</summary>
    public static DateTimeOffset Floor(DateTimeOffset t, BucketWidth width) =>
        new(t.UtcTicks - (t.UtcTicks % Step(width).Ticks), TimeSpan.Zero);

    /// <summary>The first bucket edge at or after <paramref name="t"/>.</summary>
    public static DateTimeOffset Ceil(DateTimeOffset t, BucketWidth width)
    {
        var floor = Floor(t, width);
        return floor == t ? floor : floor + Step(width);
    }
}
