using System.Net.Sockets;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// The response stream of a streamed call as the application reads it: each read is passed through
/// unchanged and shown to the capture, nothing is read ahead. The call ends with the stream: at its
/// end (a read of 0), when a read fails, or when the application disposes it early.
/// </summary>
internal sealed class ObservingReadStream(Stream inner, ObservedCall call) : StandInStream(readable: true)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Failed(ex, cancellationToken))
        {
            throw;
        }

        Observed(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception ex) when (Failed(ex, CancellationToken.None))
        {
            throw;
        }

        Observed(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void Observed(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            call.Finish();
        }
        else
        {
            call.OnChunk(chunk);
        }
    }

    /// <summary>Records the failure (an exception filter: the stack is not unwound first) and lets it propagate.</summary>
    private bool Failed(Exception ex, CancellationToken cancellationToken)
    {
        call.Fail(ErrorType(ex, cancellationToken), ex.Message);
        return false;
    }

    internal static string ErrorType(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => ErrorTypes.Canceled,
        TaskCanceledException { InnerException: TimeoutException } => ErrorTypes.TransportTimeout,
        OperationCanceledException => ErrorTypes.Canceled,
        TimeoutException => ErrorTypes.TransportTimeout,
        HttpRequestException or IOException or SocketException => ErrorTypes.Connection,
        _ => ErrorTypes.Connection,
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            call.Abandon();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
