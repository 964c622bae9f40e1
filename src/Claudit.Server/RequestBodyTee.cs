using System.Buffers;
using Claudit.Core.Capture;

namespace Claudit.Server;

/// <summary>
/// Stands in for the request body while the proxy reads it: bytes go to the upstream as they come,
/// and a copy (up to a cap) is kept for the record. Nothing is read ahead of the proxy, so the
/// request is not delayed by capture and a body of any size is forwarded; past the cap the copy is
/// dropped and the record says only what the headers tell.
/// </summary>
internal sealed class RequestBodyTee(Stream inner, long maxCaptureBytes) : StandInStream(readable: true)
{
    private readonly CaptureBuffer _copy = new(maxCaptureBytes);
    private bool _ended;

    /// <summary>The body was larger than the cap: its content was not kept.</summary>
    public bool Overflowed => _copy.Overflowed;

    /// <summary>The whole body when the proxy read it to its end within the cap; empty otherwise.</summary>
    public ReadOnlySpan<byte> Captured => _ended ? _copy.Span : default;

    public bool Ended => _ended;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Keep(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Keep(buffer.AsSpan(offset, read));
        return read;
    }

    /// <summary>
    /// When the proxy gave up before the end (the upstream failed first), reads what is left, within
    /// the cap, so the record still knows the model.
    /// </summary>
    public async Task ReadRestAsync(CancellationToken cancellationToken)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (!_ended && !Overflowed)
            {
                await ReadAsync(scratch.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client is gone or the body was already consumed: record what was seen.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void Keep(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            _ended = true;
        }

        _copy.Append(chunk);
    }

    protected override void Dispose(bool disposing)
    {
        // The request owns the inner stream; only the copy is ours.
        _copy.Dispose();
        base.Dispose(disposing);
    }
}
