using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Claudit.Server.Content;

/// <summary>
/// The gateway's content capture (<c>claudit serve --capture-content</c>, off by default): a Messages call's
/// request body and answer text leave the request path here, on a bounded hand-off (Core's
/// <see cref="BatchHandOff{T}"/>, never waited for; full → dropped and counted), and one loop reads the prompt
/// out of the body, redacts prompt and answer with <see cref="ContentRedactor"/> and writes the content to the
/// store (<see cref="ICallContentStore"/>), apart from the journal. A content problem never reaches the caller
/// nor the record: it is logged (the first time, then at each power of two) and the content is let go.
/// </summary>
internal sealed class GatewayContentQueue : IAsyncDisposable
{
    /// <summary>The most of an answer's text kept; beyond, it is cut with a marker.</summary>
    public const int MaxOutputChars = 32 * 1024;

    /// <summary>The most of a prompt's text kept (all messages together); beyond, it is cut with a marker.</summary>
    public const int MaxPromptChars = 128 * 1024;

    private const int BatchSize = 256;

    private readonly BatchHandOff<PendingContent> _queue;
    private readonly ICallContentStore _store;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private long _dropped, _failed, _kept;

    public GatewayContentQueue(ICallContentStore store, int capacity, ILogger? logger = null)
    {
        _store = store;
        _logger = logger ?? NullLogger.Instance;
        _queue = new BatchHandOff<PendingContent>(capacity, HandOffLinger.Default);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Calls whose content was stored.</summary>
    public long Kept => Interlocked.Read(ref _kept);

    /// <summary>Calls whose content was dropped (queue full) or could not be stored.</summary>
    public long Lost => Interlocked.Read(ref _dropped) + Interlocked.Read(ref _failed);

    /// <summary>Hands a finished call's request body (a copy the queue now owns) and answer text over; never blocks.</summary>
    public void Offer(CallRecord record, byte[] requestBody, string? output)
    {
        if (_queue.TryAdd(new PendingContent(record.Id, record.StartTime, record.ModelUsed ?? record.ModelRequested, requestBody, output)))
        {
            return;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if ((dropped & (dropped - 1)) == 0)
        {
            GatewayLog.ContentQueueFull(_logger, dropped);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<CallContent>(BatchSize);
        while (await _queue.WaitAsync().ConfigureAwait(false))
        {
            while (_queue.TryTake(out var pending))
            {
                batch.Add(Redacted(pending));
                if (batch.Count >= BatchSize)
                {
                    await WriteAsync(batch).ConfigureAwait(false);
                }
            }

            await WriteAsync(batch).ConfigureAwait(false);
        }
    }

    /// <summary>The one content type, every text redacted before it goes anywhere.</summary>
    private static CallContent Redacted(PendingContent pending) => ContentRedactor.Redact(new CallContent
    {
        CallId = pending.CallId,
        StartTime = pending.StartTime,
        Model = pending.Model,
        Messages = MessagePromptReader.Read(pending.RequestBody, MaxPromptChars),
        Output = pending.Output,
    });

    private async Task WriteAsync(List<CallContent> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendContentAsync(batch).ConfigureAwait(false);
            Interlocked.Add(ref _kept, batch.Count);
        }
#pragma warning disable CA1031 // content is best effort: whatever the store says, the loop goes on and the calls' records are unaffected
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var before = Interlocked.Add(ref _failed, batch.Count) - batch.Count;
            if (before == 0 || (before & (before - 1)) == 0)
            {
                GatewayLog.ContentNotKept(_logger, batch.Count, ex.Message);
            }
        }

        batch.Clear();
    }

    /// <summary>Writes what is queued, then stops. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        await _loop.ConfigureAwait(false);
    }

    private sealed record PendingContent(Guid CallId, DateTimeOffset StartTime, string? Model, byte[] RequestBody, string? Output);
}
