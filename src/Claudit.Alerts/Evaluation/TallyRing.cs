namespace Claudit.Alerts.Evaluation;

/// <summary>
/// A window of <see cref="Tally"/> slots, each <c>width</c> long, reused in a ring: a call is added to
/// the slot of its time, a slot older than the ring's span is reset when its turn comes again, and a
/// call older than that is ignored. Calls may arrive out of order. Memory is fixed per group.
/// </summary>
internal sealed class TallyRing
{
    private readonly long _width;
    private readonly Tally[] _cells;
    private readonly long[] _ids;

    public TallyRing(TimeSpan span, int slots)
    {
        _width = Math.Max(1, span.Ticks / slots);
        _cells = new Tally[slots];
        _ids = new long[slots];
        Array.Fill(_ids, long.MinValue);
    }

    public long Width => _width;

    /// <summary>The ring's whole length: what a window over it can see.</summary>
    public long Span => _width * _cells.Length;

    public void Add(long ticks, long calls, double a, double b)
    {
        ref var cell = ref Cell(ticks, out var ok);
        if (ok)
        {
            cell.Calls += calls;
            cell.A += a;
            cell.B += b;
        }
    }

    /// <summary>The slot of a time, emptied first when it last held an older period; <paramref name="ok"/> is false for a time older than the ring.</summary>
    public ref Tally Cell(long ticks, out bool ok)
    {
        var id = ticks / _width;
        var i = (int)(id % _cells.Length);
        if (_ids[i] != id)
        {
            if (id < _ids[i])
            {
                ok = false;
                return ref _cells[i];
            }

            _ids[i] = id;
            _cells[i] = default;
        }

        ok = true;
        return ref _cells[i];
    }

    /// <summary>The sum of the slots of the last <see cref="Span"/> up to <paramref name="now"/>.</summary>
    public Tally Sum(long now)
    {
        var nowId = now / _width;
        var total = default(Tally);
        for (var i = 0; i < _cells.Length; i++)
        {
            if (_ids[i] > nowId - _cells.Length && _ids[i] <= nowId)
            {
                total.Add(_cells[i]);
            }
        }

        return total;
    }

    /// <summary>The largest <see cref="Tally.A"/> of the last <see cref="Span"/> (with the calls summed); A is NaN when no slot has any.</summary>
    public Tally Max(long now)
    {
        var nowId = now / _width;
        var total = new Tally { A = double.NaN };
        for (var i = 0; i < _cells.Length; i++)
        {
            if (_ids[i] > nowId - _cells.Length && _ids[i] <= nowId && _cells[i].Calls > 0)
            {
                total.Calls += _cells[i].Calls;
                total.A = double.IsNaN(total.A) ? _cells[i].A : Math.Max(total.A, _cells[i].A);
            }
        }

        return total;
    }

    /// <summary>
    /// The sum over [<paramref name="from"/>, <paramref name="to"/>), a slot that straddles an end counted
    /// for the share of it inside (its calls spread evenly over it): what hourly slots give for any range.
    /// </summary>
    public Tally SumRange(long from, long to)
    {
        var total = default(Tally);
        if (to <= from)
        {
            return total;
        }

        for (var i = 0; i < _cells.Length; i++)
        {
            if (_ids[i] == long.MinValue)
            {
                continue;
            }

            var start = _ids[i] * _width;
            var overlap = Math.Min(to, start + _width) - Math.Max(from, start);
            if (overlap <= 0)
            {
                continue;
            }

            var share = (double)overlap / _width;
            total.Calls += (long)Math.Round(_cells[i].Calls * share);
            total.A += _cells[i].A * share;
            total.B += _cells[i].B * share;
        }

        return total;
    }

    /// <summary>The sum of the whole slots that start in [<paramref name="from"/>, <paramref name="to"/>) (calendar days of a day ring).</summary>
    public Tally SumSlots(long from, long to)
    {
        var total = default(Tally);
        for (var i = 0; i < _cells.Length; i++)
        {
            var start = _ids[i] * _width;
            if (_ids[i] != long.MinValue && start >= from && start < to)
            {
                total.Add(_cells[i]);
            }
        }

        return total;
    }
}
