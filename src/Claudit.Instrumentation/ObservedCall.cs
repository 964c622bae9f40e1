using System.Diagnostics;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;

namespace Claudit.Instrumentation;

/// <summary>
/// One HTTP attempt as the handler sees it: Core's <see cref="CallCapture"/> plus what the record
/// needs from the caller's flow (tags, the chat middleware's marker, the SDK's span), taken when the
/// attempt starts. A stream may end on any thread, once: <see cref="Finish"/> runs exactly once.
/// </summary>
internal sealed class ObservedCall(ClauditRecorder recorder, CallCapture capture, CallTags tags, ChatCallMarker? chat,
    Activity? sdkSpan, AttemptLink link, ulong credential, string? serverAddress, int? serverPort)
{
    private int _finished;

    public CallCapture Capture => capture;

    /// <summary>The model's context window, when the pre-flight looked it up.</summary>
    public long? ContextWindow { get; set; }

    public double? EstimatedUtilisation { get; set; }

    public bool Finished => Volatile.Read(ref _finished) != 0;

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

        var record = capture.Complete(tags, recorder.Options.Pricing);
        capture.Dispose();
        if (Parent(record) is { } parent)
        {
            record = record with { Tags = record.Tags with { ParentId = parent.ToString() } };
        }

        record = Guards(record);
        chat?.Recorded(record.Id);
        recorder.Finish(record, sdkSpan, serverAddress, serverPort);
    }

    /// <summary>The opt-in checks: context utilisation (actual input when reported, else the estimate) and quality flags.</summary>
    private CallRecord Guards(CallRecord record)
    {
        var options = recorder.Options;
        if (options.RecordContextUtilisation && ContextWindow is { } window)
        {
            record = record with { ContextUtilisation = record.Usage is { } u ? (double)u.TotalInputTokens / window : EstimatedUtilisation };
        }

        if (options.QualityFlags)
        {
            record = record with { QualityFlags = QualityFlags.Evaluate(record) };
        }

        return record;
    }

    /// <summary>The first attempt's id for a retry: known exactly at the start (<see cref="AttemptLink"/>), else matched by Core's <see cref="RetryLinker"/>.</summary>
    private Guid? Parent(CallRecord record)
    {
        if (link.Exact)
        {
            return link.Parent;
        }

        return recorder.Retries.Link(record.Id, record.Tags.Attempt, record.IsError, credential, record.PromptHash, record.ModelRequested);
    }
}
