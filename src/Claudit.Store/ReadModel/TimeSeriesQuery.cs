namespace Claudit.Store.ReadModel;

/// <summary>A time series to compute: the metric, its split, the bucket width and (for percentiles split by a key) which percentile.</summary>
public sealed record TimeSeriesQuery(TimeSeriesMetric Metric, TimeSeriesSplit By, TimeSpan Bucket, double Percentile = 0.95);
