namespace Claudit.Core.Reporting;

/// <summary>Percentiles by linear interpolation between closest ranks (numpy's default, "linear").</summary>
internal static class Percentiles
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

    /// <summary>
    /// p50/p95/p99/max of the values (reordered in place). Large sets use selection, O(n), instead
    /// of a full sort: a million latencies summarise in milliseconds. Same results as sorting.
    /// </summary>
    public static PercentileSummary Summarise(Span<double> values)
    {
        if (values.IsEmpty)
        {
            return PercentileSummary.Empty;
        }

        if (values.Length <= 256)
        {
            values.Sort();
            return new PercentileSummary(values.Length, Of(values, 0.50), Of(values, 0.95), Of(values, 0.99), values[^1]);
        }

        var max = double.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return new PercentileSummary(values.Length, Select(values, 0.50), Select(values, 0.95), Select(values, 0.99), max);
    }

    /// <summary>The interpolated percentile by selecting the rank's neighbours, without sorting.</summary>
    private static double Select(Span<double> values, double p)
    {
        var rank = p * (values.Length - 1);
        var lo = (int)Math.Floor(rank);
        var low = SelectInPlace(values, lo);
        if (rank == lo || lo + 1 >= values.Length)
        {
            return low;
        }

        // After selection everything right of lo is >= values[lo]: the next rank is their minimum.
        var high = double.MaxValue;
        foreach (var v in values[(lo + 1)..])
        {
            high = Math.Min(high, v);
        }

        return low + ((rank - lo) * (high - low));
    }

    /// <summary>Quickselect (median-of-three pivot): puts the k-th smallest at index k, smaller left, larger right.</summary>
    private static double SelectInPlace(Span<double> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            var mid = left + ((right - left) / 2);
            if (a[mid] < a[left]) (a[mid], a[left]) = (a[left], a[mid]);
            if (a[right] < a[left]) (a[right], a[left]) = (a[left], a[right]);
            if (a[right] < a[mid]) (a[right], a[mid]) = (a[mid], a[right]);
            var pivot = a[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return a[k];
        }

        return a[k];
    }
}

/// <summary>p50/p95/p99/max of a set of values (milliseconds in reports).</summary>
public sealed record PercentileSummary(long Count, double? P50, double? P95, double? P99, double? Max)
{
    public static PercentileSummary Empty { get; } = new(0, null, null, null, null);
}
