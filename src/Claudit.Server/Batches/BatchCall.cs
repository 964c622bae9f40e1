using Claudit.Core.Capture;
using Claudit.Core.Records;

namespace Claudit.Server.Batches;

/// <summary>
/// The gateway's part in one Message Batches call (<c>/v1/messages/batches…</c>): answers are held and
/// their <c>results_url</c> pointed at the gateway (<see cref="BatchAnswerRewriter"/>), the batches they show
/// go into the <see cref="BatchTracker"/>, and a results download is read line by line as it passes
/// (<see cref="JsonLinesTap"/>), each line becoming a <c>batch_result</c> record through the finisher.
/// </summary>
internal sealed class BatchCall(HttpContext context, BatchTracker tracker, CallFinisher finisher, ILogger logger, string? batchId, bool isResults, bool isCreate) : IDisposable
{
    private const string Prefix = "/v1/messages/batches";

    private BatchAnswerRewriter? _rewriter;
    private JsonLinesTap? _results;
    private BatchResultContext _resultContext;
    private long _recorded, _skipped;
    private string? _firstProblem;

    /// <summary>A results download: its body is a JSON Lines file, not an answer to parse as a Message.</summary>
    public bool IsResults => isResults;

    /// <summary>The call's part, for a Batches call; null for any other.</summary>
    public static async Task<BatchCall?> BeginAsync(HttpContext context, CallCapture capture, CallTags tags, BatchTracker tracker, CallFinisher finisher, ILogger logger, TimeProvider time)
    {
        if (capture.EndpointKind != EndpointKinds.Batches)
        {
            return null;
        }

        var rest = capture.Endpoint.AsSpan(Prefix.Length).Trim('/');
        var slash = rest.IndexOf('/');
        var batchId = rest.IsEmpty ? null : (slash < 0 ? rest : rest[..slash]).ToString();
        var isResults = batchId is not null && slash >= 0 && rest[(slash + 1)..].SequenceEqual("results")
            && HttpMethods.IsGet(context.Request.Method);
        var call = new BatchCall(context, tracker, finisher, logger, batchId, isResults, batchId is null && HttpMethods.IsPost(context.Request.Method));
        // The answer is read here (rewritten, or split into results): it must come as plain bytes.
        context.Request.Headers.AcceptEncoding = default;
        if (batchId is not null)
        {
            capture.Batch = new BatchCallInfo { Id = batchId };
        }

        if (isResults)
        {
            var known = await tracker.FindAsync(batchId!, context.RequestAborted).ConfigureAwait(false);
            var ended = known?.Batch.EndedAt;
            var created = known?.Batch.CreatedAt;
            call._resultContext = new BatchResultContext(
                batchId!,
                capture.Endpoint,
                ended ?? created ?? time.GetUtcNow(),
                // A result's latency is its batch's turnaround, when the gateway saw both ends.
                ended is { } e && created is { } c && e > c ? (e - c).TotalMilliseconds : 0,
                known is { CreatedThroughGateway: true } ? known.Tags : tags,
                CallSource.Gateway);
        }

        return call;
    }

    /// <summary>The stream the proxy writes the answer to, in front of <paramref name="body"/>.</summary>
    public Stream Wrap(Stream body, long maxBytes)
    {
        if (IsResults)
        {
            _results = new JsonLinesTap(body, maxBytes, OnResultLine);
            return _results;
        }

        _rewriter = new BatchAnswerRewriter(body, context.Response, maxBytes);
        return _rewriter;
    }

    /// <summary>
    /// The proxy is done: the held answer goes on rewritten, its batches (or the results read) go into the
    /// ledger, and the call's own record learns its batch.
    /// </summary>
    public async Task EndAsync(CallCapture capture, CallTags tags, CancellationToken cancellationToken)
    {
        var ok = context.Response.StatusCode is >= 200 and < 300;
        if (_rewriter is not null)
        {
            var request = context.Request;
            await _rewriter.CompleteAsync($"{request.Scheme}://{request.Host}{request.PathBase}", cancellationToken).ConfigureAwait(false);
            if (ok && _rewriter.Batches.Count > 0)
            {
                if (_rewriter.Batches.Count == 1 && _rewriter.Batches[0] is var b && (batchId is null ? isCreate : b.Id == batchId))
                {
                    capture.Batch = new BatchCallInfo { Id = b.Id, ProcessingStatus = b.ProcessingStatus, RequestCount = b.RequestCount };
                }

                await tracker.ObserveAsync(_rewriter.Batches, isCreate && _rewriter.Batches.Count == 1 ? (capture.Id, tags) : null, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_results is not null)
        {
            _results.Finish();
            if (_skipped + _results.Oversized > 0)
            {
                BatchLog.LinesSkipped(logger, batchId!, _skipped + _results.Oversized, _firstProblem ?? "a line over the capture cap");
            }

            if (ok)
            {
                await tracker.ResultsReadAsync(batchId!, _recorded, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OnResultLine(ReadOnlySpan<byte> line)
    {
        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            return; // an error body, not results
        }

        if (BatchResultRecords.Read(line, _resultContext, out var problem) is not { } record)
        {
            _skipped++;
            _firstProblem ??= problem;
            return;
        }

        // The results of one batch are not attempts of one another: no retry linking.
        finisher.Finish(record, new CallContext { Tags = record.Tags, ParentKnown = true });
        _recorded++;
    }

    public void Dispose()
    {
        _rewriter?.Dispose();
        _results?.Dispose();
    }
}
