using Claudit.Core.Capture;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// A write-only stream that keeps a copy of a body in pooled memory, up to a cap: the target of
/// <see cref="HttpContent.CopyToAsync(Stream)"/>, which reads a buffered or in-memory content again
/// without consuming it. Past the cap the copy is dropped (half a JSON body tells nothing reliable).
/// Writes complete synchronously.
/// </summary>
internal sealed class CaptureWriteStream(long maxBytes) : StandInStream(readable: false)
{
    private readonly CaptureBuffer _copy = new(maxBytes);

    public bool Overflowed => _copy.Overflowed;

    public ReadOnlySpan<byte> Captured => _copy.Span;
    public override void Write(ReadOnlySpan<byte> buffer) => _copy.Append(buffer);

    public override void Write(byte[] buffer, int offset, int count) => _copy.Append(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _copy.Append(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _copy.Append(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        _copy.Dispose();
        base.Dispose(disposing);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
