namespace Claudit.Alerts.Evaluation;

/// <summary>
/// A window of <see cref="LatencyHistogram"/> slots in a ring, as <see cref="TallyRing"/> keeps tallies:
/// a percentile over any window in bounded memory. A slot's counters are allocated when it first gets a value.
/// </summary>
internal sealed class HistogramRing
{
    private readonly long _width;
    private readonly int[]?[] _cells;
    private readonly long[] _counts;
    private readonly long[] _ids;

    public HistogramRing(TimeSpan span, int slots)
    {
        _width = Math.Max(1, span.Ticks / slots);
        _cells = new int[]?[slots];
        _counts = new long[slots];
        _ids = new long[slots];
        Array.Fill(_ids, long.MinValue);
    }

    public void Add(long ticks, double ms)
    {
        var id = ticks / _width;
        var i = (int)(id % _cells.Length);
        if (_ids[i] != id)
        {
            if (id < _ids[i])
            {
                return;
            }

            _ids[i] = id;
            _counts[i] = 0;
            if (_cells[i] is { } old)
            {
                Array.Clear(old);
            }
        }

        (_cells[i] ??= new int[LatencyHistogram.Buckets])[LatencyHistogram.Index(ms)]++;
        _counts[i]++;
    }

    /// <summary>The <paramref name="q"/> quantile (ms) over the ring's span up to <paramref name="now"/>, and how many values it is of; NaN when none.</summary>
    public double Quantile(long now, double q, out long count)
    {
        var nowId = now / _width;
        Span<long> merged = stackalloc long[LatencyHistogram.Buckets];
        count = 0;
        for (var i = 0; i < _cells.Length; i++)
        {
            if (_ids[i] > nowId - _cells.Length && _ids[i] <= nowId && _cells[i] is { } cell && _counts[i] > 0)
            {
                count += _counts[i];
                for (var b = 0; b < cell.Length; b++)
                {
                    merged[b] += cell[b];
                }
            }
        }

        return count == 0 ? double.NaN : LatencyHistogram.Quantile(merged, count, q);
    }
}
