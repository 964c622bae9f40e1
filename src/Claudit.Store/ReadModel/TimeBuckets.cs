namespace Claudit.Store.ReadModel;

/// <summary>The bucket width a range gets by default: the smallest of a few round widths that keeps it within <see cref="MaxBuckets"/>.</summary>
public static class TimeBuckets
{
    public const int MaxBuckets = 200;

    private static readonly int[] Seconds = [10, 60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400];

    public static TimeSpan Auto(DateTimeOffset since, DateTimeOffset until)
    {
        var seconds = (until - since).TotalSeconds;
        foreach (var b in Seconds)
        {
            if (seconds / b <= MaxBuckets)
            {
                return TimeSpan.FromSeconds(b);
            }
        }

        return TimeSpan.FromSeconds(Seconds[^1]);
    }
}
