namespace Claudit.Store.ReadModel;

/// <summary>One line of a <see cref="TimeSeries"/>: its key (a model, a token class, "p95"…) and a value per bucket.</summary>
public sealed record TimeSeriesLine(string Key, double?[] Values);
