using System.Text;

namespace Claudit.Core.Serialization;

/// <summary>
/// Reuses the string for UTF-8 values seen before (model ids, feature names, stop reasons), so
/// reading a million records does not allocate a million copies of <c>"claude-sonnet-4-5"</c>.
/// A fixed-size, direct-mapped table: bounded memory, a collision just allocates. Not thread-safe:
/// one per reading thread.
/// </summary>
internal sealed class Utf8StringPool
{
    private const int Size = 16384;
    private const int MaxPooledBytes = 96;
    private readonly byte[]?[] _keys = new byte[]?[Size];
    private readonly string?[] _values = new string?[Size];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (Size - 1);
        var key = _keys[slot];
        if (key is not null && utf8.SequenceEqual(key))
        {
            return _values[slot]!;
        }

        var value = Encoding.UTF8.GetString(utf8);
        _keys[slot] = utf8.ToArray();
        _values[slot] = value;
        return value;
    }
}
