using System.Buffers;

namespace Claudit.Instrumentation;

/// <summary>
/// A write-only stream that keeps a copy of a body in pooled memory, up to a cap: the target of
/// <see cref="HttpContent.CopyToAsync(Stream)"/>, which reads a buffered or in-memory content again
/// without consuming it. Past the cap the copy is dropped (half a JSON body tells nothing reliable).
/// Writes complete synchronously.
/// </summary>
internal sealed class CaptureWriteStream(long maxBytes) : Stream
{
    private byte[]? _bytes;
    private int _length;

    public bool Overflowed { get; private set; }

    public ReadOnlySpan<byte> Captured => Overflowed || _bytes is null ? default : _bytes.AsSpan(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Append(buffer);

    public override void Write(byte[] buffer, int offset, int count) => Append(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Append(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Append(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    private void Append(ReadOnlySpan<byte> chunk)
    {
        if (Overflowed || chunk.IsEmpty)
        {
            return;
        }

        if (_length + (long)chunk.Length > maxBytes)
        {
            Overflowed = true;
            Release();
            return;
        }

        if (_bytes is null || _length + chunk.Length > _bytes.Length)
        {
            var size = (int)Math.Min(maxBytes, Math.Max(_length + chunk.Length, (_bytes?.Length ?? 1024) * 2L));
            var bigger = ArrayPool<byte>.Shared.Rent(size);
            _bytes?.AsSpan(0, _length).CopyTo(bigger);
            Release();
            _bytes = bigger;
        }

        chunk.CopyTo(_bytes.AsSpan(_length));
        _length += chunk.Length;
    }

    private void Release()
    {
        if (_bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        Release();
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
