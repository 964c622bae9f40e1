namespace Claudit.Store.ReadModel;

/// <summary>
/// The lines of a time series as an engine reads its rows (bucket index, line key, value), then completed and
/// ordered the one way every engine answers: percentile and token-class lines always present, in their fixed
/// order, keyed lines largest first; counts and costs start at 0 in every bucket, percentiles at null.
/// </summary>
internal sealed class SeriesLines(int count, bool percentile)
{
    /// <summary>The token classes of a cost split, in the order the dashboard stacks them.</summary>
    public static readonly string[] TokenClasses = ["input", "cache_write_5m", "cache_write_1h", "cache_read", "output", "web_search"];

    private readonly Dictionary<string, double?[]> _lines = new(StringComparer.Ordinal);

    /// <summary>How many buckets the series has.</summary>
    public int Count => count;

    /// <summary>Whether its values are percentiles (null where a bucket has no call) rather than counts or costs.</summary>
    public bool Percentile => percentile;

    /// <summary>The lines of <paramref name="query"/> over [<paramref name="since"/>, <paramref name="until"/>): a bucket per started bucket width, at most 10,000.</summary>
    public static SeriesLines For(DateTimeOffset since, DateTimeOffset until, TimeSeriesQuery query)
    {
        var span = (until - since).Ticks;
        var bucketTicks = query.Bucket.Ticks;
        var count = (int)Math.Max(1, (span / bucketTicks) + (span % bucketTicks == 0 ? 0 : 1));
        if (count > 10_000)
        {
            throw new ArgumentException($"{count} buckets is too many: widen the bucket", nameof(query));
        }

        return new SeriesLines(count, query.Metric is TimeSeriesMetric.Latency or TimeSeriesMetric.Ttft or TimeSeriesMetric.TokensPerSecond);
    }

    /// <summary>The column a percentile metric is taken over; null for counts and costs.</summary>
    public static string? ValueColumn(TimeSeriesMetric metric) => metric switch
    {
        TimeSeriesMetric.Latency => "latency_ms",
        TimeSeriesMetric.Ttft => "ttft_ms",
        TimeSeriesMetric.TokensPerSecond => "output_tokens_per_second",
        _ => null,
    };

    /// <summary>
    /// The column a series is split by, null for one line (none, or token classes), for both engines: they differ only in
    /// the billed model's column and in how a missing error type reads as <c>http_error</c>. A split the metric cannot
    /// take is an <see cref="ArgumentException"/>.
    /// </summary>
    public static string? SplitColumn(TimeSeriesQuery query, string billedModel, string errorTypeOrHttpError)
    {
        var key = query.By switch
        {
            TimeSeriesSplit.Model => billedModel,
            TimeSeriesSplit.Feature => "tag_feature",
            TimeSeriesSplit.User => "tag_user",
            TimeSeriesSplit.Tenant => "tag_tenant",
            TimeSeriesSplit.Endpoint => "endpoint_kind",
            TimeSeriesSplit.ErrorType when query.Metric == TimeSeriesMetric.Errors => errorTypeOrHttpError,
            TimeSeriesSplit.None or TimeSeriesSplit.TokenClass => null,
            _ => throw new ArgumentException($"{query.Metric} cannot be split by {query.By}", nameof(query)),
        };
        return query.By == TimeSeriesSplit.TokenClass && query.Metric != TimeSeriesMetric.Cost
            ? throw new ArgumentException("only cost can be split by token class", nameof(query))
            : key;
    }

    /// <summary>Sets bucket <paramref name="bucket"/> of line <paramref name="key"/>; a bucket outside the range is ignored.</summary>
    public void Put(long bucket, string key, double? value)
    {
        if (bucket < 0 || bucket >= count)
        {
            return;
        }

        if (!_lines.TryGetValue(key, out var values))
        {
            values = new double?[count];
            if (!percentile)
            {
                Array.Fill(values, 0);
            }

            _lines[key] = values;
        }

        values[bucket] = value;
    }

    /// <summary>The series, its buckets starting at <paramref name="since"/>; <paramref name="keyed"/> when the query splits by a key.</summary>
    public TimeSeries Build(DateTimeOffset since, TimeSeriesQuery query, bool keyed)
    {
        if (percentile && !keyed)
        {
            foreach (var p in new[] { "p50", "p95", "p99" })
            {
                _lines.TryAdd(p, new double?[count]);
            }
        }
        else if (query.By == TimeSeriesSplit.TokenClass)
        {
            foreach (var t in TokenClasses)
            {
                _lines.TryAdd(t, Zeros(count));
            }
        }
        else if (!keyed)
        {
            _lines.TryAdd("total", Zeros(count));
        }

        // Fixed orders (percentiles, token classes) stay as named; keyed lines go largest first.
        IEnumerable<KeyValuePair<string, double?[]>> ordered = keyed
            ? _lines.OrderByDescending(l => l.Value.Sum(v => v ?? 0)).ThenBy(l => l.Key, StringComparer.Ordinal)
            : _lines.OrderBy(l => Array.IndexOf(TokenClasses, l.Key)).ThenBy(l => l.Key, StringComparer.Ordinal);
        var bucketTicks = query.Bucket.Ticks;
        var buckets = Enumerable.Range(0, count).Select(i => since + TimeSpan.FromTicks(bucketTicks * i)).ToArray();
        return new TimeSeries(Name(query.Metric), Name(query.By), (int)query.Bucket.TotalSeconds, buckets,
            [.. ordered.Select(l => new TimeSeriesLine(l.Key, l.Value))]);
    }

    private static string Name<T>(T value)
        where T : struct, Enum =>
        string.Concat(value.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    private static double?[] Zeros(int count)
    {
        var values = new double?[count];
        Array.Fill(values, 0);
        return values;
    }
}
