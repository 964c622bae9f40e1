namespace Claudit.Core.Serialization;

/// <summary>
/// Maps a UTF-8 JSON property name to a small integer with one hash and one comparison, instead of a
/// chain of string compares: the record reader meets ~25 names per line, a million lines a second.
/// </summary>
internal sealed class PropertyNameTable
{
    private readonly byte[][] _names;
    private readonly int[] _slots;
    private readonly int _mask;

    // _follows[i + 1]: the name found after name i the last time (_follows[0]: the first name); at first, the list's order.
    private readonly int[] _follows;

    public PropertyNameTable(params string[] names)
    {
        _names = names.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        _follows = Enumerable.Range(0, names.Length + 1).ToArray();
        var size = 1;
        while (size < names.Length * 4)
        {
            size <<= 1;
        }

        // Grow until every name has a slot of its own: lookups then never probe.
        while (true)
        {
            _slots = new int[size];
            Array.Fill(_slots, -1);
            var clean = true;
            for (var i = 0; i < _names.Length && clean; i++)
            {
                var slot = Hash(_names[i]) & (size - 1);
                clean = _slots[slot] < 0;
                _slots[slot] = i;
            }

            if (clean)
            {
                _mask = size - 1;
                return;
            }

            size <<= 1;
            if (size > 1 << 16)
            {
                throw new InvalidOperationException("Property names collide at every table size.");
            }
        }
    }

    /// <summary>
    /// As <see cref="Find(ReadOnlySpan{byte})"/>, trying first the name that followed <paramref name="last"/> (the
    /// previous name found in this object; -1 before the first) the last time: writers emit properties in a fixed
    /// order (Claudit's, tracer.py's, another's), which the table learns, so a line's names are found by one
    /// comparison each. The order is shared by every reader of the table; threads that race over it only make a
    /// prediction miss (an int is written whole), never a wrong answer.
    /// </summary>
    public int Find(ReadOnlySpan<byte> name, ref int last)
    {
        var slot = last + 1;
        var predicted = _follows[slot];
        if ((uint)predicted < (uint)_names.Length && name.SequenceEqual(_names[predicted]))
        {
            last = predicted;
            return predicted;
        }

        var index = Find(name);
        if (index >= 0)
        {
            _follows[slot] = index;
            last = index;
        }

        return index;
    }

    /// <summary>The index of the name in the constructor's list, or -1.</summary>
    public int Find(ReadOnlySpan<byte> name)
    {
        var index = _slots[Hash(name) & _mask];
        return index >= 0 && name.SequenceEqual(_names[index]) ? index : -1;
    }

    private static int Hash(ReadOnlySpan<byte> name)
    {
        // FNV-1a: names are short, and a full hash cannot confuse requests_limit with requests_reset.
        var h = 2166136261u;
        foreach (var b in name)
        {
            h = (h ^ b) * 16777619u;
        }

        return (int)(h ^ (h >> 16));
    }
}
