using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Telemetry;

namespace Claudit.Core.Capture;

/// <summary>
/// The one place a call is finished, whichever way it came in (the gateway, the in-process handler,
/// the chat middleware, ingest): the capture's result becomes a record, priced by the one pricing
/// engine, linked to the attempt it retries, checked by the opt-in guards, turned into metrics and a
/// span, and handed to the record queue; what the way in held for the call (a budget reservation) is
/// settled with the priced record. The ways in keep only what is truly theirs: how they observe
/// the bytes and what they know of the caller (<see cref="CallContext"/>).
/// </summary>
public sealed class CallFinisher(CostCalculator pricing, RetryLinker retries, CallTelemetry telemetry, IRecordQueue queue, CallGuards guards = default)
{
    public CostCalculator Pricing => pricing;

    public CallGuards Guards => guards;

    /// <summary>Completes the capture and finishes its record.</summary>
    public CallRecord Finish(CallCapture capture, in CallContext context) => FinishPriced(capture.Complete(context.Tags, pricing), context);

    /// <summary>
    /// <see cref="Finish(CallCapture, in CallContext)"/> for a way in that can wait: a retry whose first attempt failed in
    /// another process (another gateway of the fleet) is first looked up in the shared table (<see cref="RetryLinker.FindElsewhereAsync"/>),
    /// which answers at once for every call but such retries, and within its bound for those.
    /// </summary>
    public async ValueTask<CallRecord> FinishAsync(CallCapture capture, CallContext context, CancellationToken cancellationToken = default)
    {
        var observed = capture.Complete(context.Tags); // the call's latency ends here, not after the lookup
        if (!context.ParentKnown
            && await retries.FindElsewhereAsync(observed.Tags.Attempt, context.Credential, observed.PromptHash, observed.ModelRequested, cancellationToken).ConfigureAwait(false) is { } parent)
        {
            context = context with { ParentKnown = true, Parent = parent };
        }

        return Finish(observed, context);
    }

    /// <summary>
    /// Finishes a record built from what a way in observed (a capture, a span): prices it, links it, runs
    /// the guards, settles what was held for it, emits its telemetry and queues it. Returns the record as queued.
    /// </summary>
    public CallRecord Finish(CallRecord observed, in CallContext context) => FinishPriced(pricing.Apply(observed), context);

    private CallRecord FinishPriced(CallRecord priced, in CallContext context)
    {
        var record = priced;
        var parent = context.ParentKnown
            ? context.Parent
            : retries.Link(record.Id, record.Tags.Attempt, record.IsError, context.Credential, record.PromptHash, record.ModelRequested);
        if (parent is { } p)
        {
            record = record with { Tags = record.Tags with { ParentId = p.ToString() } };
        }

        record = Guard(record, context);
        context.Settlement?.Settle(record);
        if (context.SpanElsewhere)
        {
            telemetry.RecordMetrics(record);
        }
        else
        {
            telemetry.Record(record, context.LiveSpan, context.ServerAddress, context.ServerPort);
        }

        queue.TryEnqueue(record);
        return record;
    }

    /// <summary>A record finished elsewhere (the in-process library's, sent to ingest): its metrics here, then the queue.</summary>
    public bool Accept(CallRecord finished)
    {
        telemetry.RecordMetrics(finished);
        return queue.TryEnqueue(finished);
    }

    /// <summary>The opt-in checks: context utilisation (actual input when reported, else the estimate) and quality flags.</summary>
    private CallRecord Guard(CallRecord record, in CallContext context)
    {
        if (guards.RecordContextUtilisation
            && (context.ContextWindow ?? pricing.Table.FindModel(record.PricedModel)?.ContextWindow) is > 0 and var window)
        {
            var utilisation = record.Usage is { } u ? (double)u.TotalInputTokens / window : context.EstimatedUtilisation;
            record = record with { ContextUtilisation = utilisation };
        }

        if (guards.QualityFlags)
        {
            record = record with { QualityFlags = Records.QualityFlags.Evaluate(record, context.OutputText) };
        }

        return record;
    }
}
