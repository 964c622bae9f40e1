using Claudit.Core.Capture;

namespace Claudit.Server;

/// <summary>
/// The base of the gateway's streams that stand in front of a client's response body: every byte goes on
/// unchanged and at once, after <see cref="Observe"/> has seen it (the capture's observer, the batch results tap).
/// </summary>
internal abstract class TappedWriteStream(Stream inner) : StandInStream(readable: false)
{
    /// <summary>Sees a chunk on its way to the client; it must not keep the span.</summary>
    protected abstract void Observe(ReadOnlySpan<byte> chunk);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        Observe(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();
}
