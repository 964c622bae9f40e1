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

    public PropertyNameTable(params string[] names)
    {
        _names = names.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
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
    /// As <see cref="Find(ReadOnlySpan{byte})"/>, trying <paramref name="next"/> first: writers emit
    /// properties in a fixed order, so the name after the last one found is usually the one.
    /// </summary>
    public int Find(ReadOnlySpan<byte> name, ref int next)
    {
        if ((uint)next < (uint)_names.Length && name.SequenceEqual(_names[next]))
        {
            return next++;
        }

        var index = Find(name);
        next = index + 1;
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
