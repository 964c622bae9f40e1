using Claudit.Core.Anthropic;
using Claudit.Core.Capture;

namespace Claudit.Instrumentation.Implementation;

/// <summary>
/// One HTTP attempt as the handler sees it: Core's <see cref="CallCapture"/> plus what the record needs
/// from the caller's flow (<see cref="CallContext"/>: tags, the retry link, the SDK's span), taken when
/// the attempt starts. A stream may end on any thread, once: <see cref="Finish"/> runs exactly once,
/// and hands the capture to Core's <see cref="CallFinisher"/>.
/// </summary>
internal sealed class ObservedCall(CallFinisher finisher, CallCapture capture, CallContext context, ChatCallMarker? chat)
{
    private CallContext _context = context;
    private int _finished;

    public CallCapture Capture => capture;

    public bool Finished => Volatile.Read(ref _finished) != 0;

    /// <summary>What the pre-flight found: the model's window and the input's estimated share of it.</summary>
    public void PreFlight(long contextWindow, double estimatedUtilisation) =>
        _context = _context with { ContextWindow = contextWindow, EstimatedUtilisation = estimatedUtilisation };

    public void OnChunk(ReadOnlySpan<byte> chunk)
    {
        if (!Finished)
        {
            capture.OnStreamChunk(chunk);
        }
    }

    /// <summary>The transport failed (or the caller cancelled) after the response had started.</summary>
    public void Fail(string type, string? message)
    {
        if (!Finished)
        {
            capture.OnTransportError(type, message);
            Finish();
        }
    }

    /// <summary>The application let go of the stream before its end; after <c>message_stop</c> or an error event that is not an early end.</summary>
    public void Abandon()
    {
        if (!Finished)
        {
            if (!capture.StreamEnded)
            {
                capture.OnTransportError(ErrorTypes.ClientClosed, "the application closed the stream before it ended");
            }

            Finish();
        }
    }

    public void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        var record = finisher.Finish(capture, _context);
        capture.Dispose();
        chat?.Recorded(record.Id);
    }
}
