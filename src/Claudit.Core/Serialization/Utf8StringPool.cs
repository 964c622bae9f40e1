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

        var slot = Slot(utf8);
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

    /// <summary>
    /// A cheap hash of the length and the first and last eight bytes: the values pooled (model ids, tags) differ
    /// there, and a collision costs only an allocation. Reports call this several times a line.
    /// </summary>
    private static int Slot(ReadOnlySpan<byte> utf8)
    {
        ulong head, tail;
        if (utf8.Length >= 8)
        {
            head = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..]);
        }
        else
        {
            head = 0;
            foreach (var b in utf8)
            {
                head = (head << 8) | b;
            }

            tail = 0;
        }

        var h = (head ^ ulong.RotateLeft(tail * 0xC2B2AE3D27D4EB4FUL, 31) ^ (ulong)utf8.Length) * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 50) & (Size - 1);
    }
}
