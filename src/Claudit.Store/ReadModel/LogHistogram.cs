namespace Claudit.Store.ReadModel;

/// <summary>
/// The log-scale buckets the stores keep latencies in (docs/store.md, "Latency histograms"): bucket <c>i</c> holds the
/// values in (γ^(i−1), γ^i] with γ = 1.02, and stands for 2γ^i/(γ+1), which is within (γ−1)/(γ+1) &lt; 1% of
/// every value in it; values ≤ 0 share one bucket that stands for 0. A percentile read from the counts is
/// <c>quantile_cont</c>'s (the raw path's) interpolation between the representatives of the two ranks it falls
/// between, so it is within 1% of the exact percentile.
/// </summary>
internal static class LogHistogram
{
    public const double Gamma = 1.02;

    /// <summary>The bucket of the values ≤ 0.</summary>
    public const int NonPositive = -32768;

    /// <summary>The bucket of a value in SQL (DuckDB and ClickHouse alike), for a finite non-null <paramref name="column"/>.</summary>
    public static string BucketSql(string column) =>
        $"CASE WHEN {column} <= 0 THEN {NonPositive} ELSE CAST(ceil(ln({column}) / ln({Gamma.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})) AS INTEGER) END";

    public static double Representative(int bucket) => bucket == NonPositive ? 0 : 2 * Math.Pow(Gamma, bucket) / (Gamma + 1);

    /// <summary>
    /// The percentiles <paramref name="probabilities"/> of the values counted in <paramref name="counts"/>
    /// (bucket → count, any order); null each when there is none.
    /// </summary>
    public static double?[] Quantiles(IReadOnlyCollection<KeyValuePair<int, long>> counts, IReadOnlyList<double> probabilities)
    {
        var answer = new double?[probabilities.Count];
        var sorted = counts.Where(c => c.Value > 0).OrderBy(c => c.Key).ToArray();
        var total = sorted.Sum(c => c.Value);
        if (total == 0)
        {
            return answer;
        }

        for (var i = 0; i < probabilities.Count; i++)
        {
            var rank = probabilities[i] * (total - 1);
            var lo = (long)Math.Floor(rank);
            var hi = Math.Min(lo + 1, total - 1);
            var low = ValueAt(lo);
            answer[i] = low + ((rank - lo) * (ValueAt(hi) - low));
        }

        return answer;

        // The representative of the bucket holding the value of 0-based rank `rank` in the sorted values.
        double ValueAt(long rank)
        {
            var seen = 0L;
            foreach (var (bucket, count) in sorted)
            {
                seen += count;
                if (rank < seen)
                {
                    return Representative(bucket);
                }
            }

            return Representative(sorted[^1].Key);
        }
    }
}
