using System.Buffers;

namespace Claudit.Core.Capture;

/// <summary>
/// A copy of a body for the record, grown from the shared pool up to a cap. Past the cap the copy is
/// dropped (and the memory returned) rather than truncated: half a JSON body tells nothing reliable.
/// The gateway and the in-process handler both keep their body copies in one.
/// </summary>
internal sealed class CaptureBuffer(long maxBytes) : IDisposable
{
    private byte[]? _bytes;
    private int _length;

    /// <summary>The body was larger than the cap: its content was not kept.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Bytes kept so far (0 once overflowed).</summary>
    public int Length => Overflowed ? 0 : _length;

    public ReadOnlySpan<byte> Span => Overflowed || _bytes is null ? default : _bytes.AsSpan(0, _length);

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (Overflowed || chunk.IsEmpty)
        {
            return;
        }

        if (_length + (long)chunk.Length > maxBytes)
        {
            Overflowed = true;
            Dispose();
            return;
        }

        if (_bytes is null || _length + chunk.Length > _bytes.Length)
        {
            var size = Math.Min(maxBytes, Math.Max(_length + chunk.Length, (_bytes?.Length ?? 2048) * 2L));
            var bigger = ArrayPool<byte>.Shared.Rent((int)size);
            _bytes?.AsSpan(0, _length).CopyTo(bigger);
            Dispose();
            _bytes = bigger;
        }

        chunk.CopyTo(_bytes.AsSpan(_length));
        _length += chunk.Length;
    }

    /// <summary>Empties the copy for the next body, keeping its memory (a reader of many lines reuses one).</summary>
    public void Clear()
    {
        _length = 0;
        Overflowed = false;
    }

    public void Dispose()
    {
        if (_bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = null;
        }
    }
}
