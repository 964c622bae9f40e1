namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Log-spaced buckets for durations in milliseconds: each bucket is 5% wider than the one below, from
/// 1 ms to about 3 hours, so a percentile read from them is within ±2.5% of the true one whatever the
/// scale, in a fixed 332 counters.
/// </summary>
internal static class LatencyHistogram
{
    private const double Gamma = 1.05;
    private static readonly double LogGamma = Math.Log(Gamma);

    public const int Buckets = 332;

    /// <summary>The bucket of <paramref name="ms"/>: 0 for 1 ms or less, the last for anything past the range.</summary>
    public static int Index(double ms) => ms <= 1 ? 0 : Math.Min(Buckets - 1, 1 + (int)(Math.Log(ms) / LogGamma));

    /// <summary>The value a bucket stands for: the geometric middle of its range.</summary>
    public static double Value(int index) => index == 0 ? 1 : Math.Pow(Gamma, index - 0.5);

    /// <summary>The nearest-rank <paramref name="q"/> quantile of <paramref name="counts"/> (of <paramref name="total"/> values) in milliseconds.</summary>
    public static double Quantile(ReadOnlySpan<long> counts, long total, double q)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Value(i);
            }
        }

        return Value(counts.Length - 1);
    }
}
