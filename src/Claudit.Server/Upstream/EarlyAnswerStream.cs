using System.Net.Sockets;

namespace Claudit.Server.Upstream;

/// <summary>
/// The connection to the upstream, as the forwarder's HTTP client writes and reads it. An API may
/// answer before the request body is all sent — 413 for a body over its limit — and close its side;
/// the next write then fails with a reset or a broken pipe, and the HTTP client would throw away the
/// answer already on its way back (the caller got an empty 502). Here a write the peer refused ends
/// the sending only: the rest of the body is dropped, and the client goes on to read the answer the
/// upstream gave. If the upstream gave none, that read fails as before and the call is a connection error.
/// </summary>
internal sealed class EarlyAnswerStream(NetworkStream inner) : Stream
{
    private bool _peerStoppedReading;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_peerStoppedReading)
        {
            return;
        }

        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (PeerStoppedReading(ex))
        {
            _peerStoppedReading = true;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_peerStoppedReading)
        {
            return;
        }

        try
        {
            inner.Write(buffer);
        }
        catch (IOException ex) when (PeerStoppedReading(ex))
        {
            _peerStoppedReading = true;
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_peerStoppedReading)
        {
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override void Flush()
    {
        if (!_peerStoppedReading)
        {
            inner.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool PeerStoppedReading(IOException ex) =>
        ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted };
}
