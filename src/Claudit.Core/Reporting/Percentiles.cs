namespace Claudit.Core.Reporting;

/// <summary>Percentiles by linear interpolation between closest ranks (numpy's default, "linear").</summary>
public static class Percentiles
{
    /// <summary><paramref name="sorted"/> ascending; <paramref name="p"/> in [0, 1]. NaN when empty.</summary>
    public static double Of(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((rank - lo) * (sorted[hi] - sorted[lo]));
    }

    public static PercentileSummary Summarise(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return PercentileSummary.Empty;
        }

        values.Sort();
        return new PercentileSummary(values.Length, Of(values, 0.50), Of(values, 0.95), Of(values, 0.99), values[^1]);
    }
}

/// <summary>p50/p95/p99/max of a set of values (milliseconds in reports).</summary>
public sealed record PercentileSummary(long Count, double? P50, double? P95, double? P99, double? Max)
{
    public static PercentileSummary Empty { get; } = new(0, null, null, null, null);
}
