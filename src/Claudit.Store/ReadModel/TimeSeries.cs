namespace Claudit.Store.ReadModel;

/// <summary>
/// Lines over shared buckets: <see cref="Buckets"/> are the buckets' start times, and each series has one
/// value per bucket. Counts and costs are 0 in an empty bucket; percentiles are null there.
/// </summary>
public sealed record TimeSeries(string Metric, string By, int BucketSeconds, DateTimeOffset[] Buckets, TimeSeriesLine[] Series);
