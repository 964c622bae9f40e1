using System.Diagnostics;
using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Core.Tests;

/// <summary>The one place a call is finished: priced, linked, guarded, its span emitted, queued.</summary>
public sealed class CallFinisherTests : IDisposable
{
    private const string Request = """{"model":"claude-sonnet-4-5","max_tokens":512,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string Answer = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello"}],"stop_reason":"max_tokens","usage":{"input_tokens":1000,"output_tokens":200}}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
    private readonly ListRecordQueue _queue = new();
    private readonly CallTelemetry _telemetry = new();

    public void Dispose() => _telemetry.Dispose();

    private CallFinisher Finisher(CallGuards guards = default, RetryLinker? retries = null) =>
        new(CostCalculator.Default, retries ?? new RetryLinker(_time), _telemetry, _queue, guards);

    private CallCapture Answered(string body = Answer, int status = 200)
    {
        var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(Request));
        capture.OnResponseHeaders(status, _ => null);
        capture.OnResponseBody(Encoding.UTF8.GetBytes(body));
        return capture;
    }

    [Fact]
    public void The_record_is_priced_with_the_billed_model_and_queued_as_returned()
    {
        using var capture = Answered();
        var record = Finisher().Finish(capture, new CallContext { Tags = new CallTags { Feature = "chat" } });

        Assert.Same(record, Assert.Single(_queue.Records));
        Assert.True(record.Cost!.Priced);
        Assert.Equal("claude-sonnet-4-5", record.Cost.PricingModel); // the model used, a dated snapshot, maps to its family
        Assert.Equal(0.006m, record.Cost.TotalUsd); // 1000 x $3 + 200 x $15, per million
        Assert.Equal(PriceTable.Default.Version, record.Cost.PriceTableVersion);
        Assert.Equal("chat", record.Tags.Feature);
    }

    [Fact]
    public void A_failure_before_any_usage_has_no_cost_at_all()
    {
        using var capture = Answered("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", status: 529);
        var record = Finisher().Finish(capture, default);

        Assert.True(record.IsError);
        Assert.Null(record.Cost);
    }

    [Fact]
    public void A_retry_is_linked_by_the_finishers_linker_unless_the_way_in_knew_the_parent()
    {
        var finisher = Finisher();
        using var first = Answered("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", status: 529);
        var failed = finisher.Finish(first, new CallContext { Tags = new CallTags { Attempt = 0 }, Credential = 7 });
        using var retry = Answered();
        var linked = finisher.Finish(retry, new CallContext { Tags = new CallTags { Attempt = 1 }, Credential = 7 });
        Assert.Equal(failed.Id.ToString(), linked.Tags.ParentId);

        var known = Guid.CreateVersion7();
        using var exact = Answered();
        Assert.Equal(known.ToString(), finisher.Finish(exact, new CallContext { Tags = new CallTags { Attempt = 1 }, Credential = 7, ParentKnown = true, Parent = known }).Tags.ParentId);
    }

    [Fact]
    public void Guards_run_only_when_switched_on()
    {
        using (var plain = Answered())
        {
            var record = Finisher().Finish(plain, default);
            Assert.Empty(record.QualityFlags);
            Assert.Null(record.ContextUtilisation);
        }

        using var guarded = Answered();
        var flagged = Finisher(new CallGuards { QualityFlags = true, RecordContextUtilisation = true }).Finish(guarded, default);
        Assert.Equal([QualityFlags.MaxTokens], flagged.QualityFlags);
        Assert.Equal(1000.0 / 200_000, flagged.ContextUtilisation); // sonnet-4-5's window, from the price table
    }

    [Fact]
    public void The_span_goes_onto_a_live_span_of_the_call_instead_of_a_second_one()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is ClauditTracing.SourceName or "Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var sdk = new ActivitySource("Sdk");

        using (var capture = Answered())
        {
            Finisher().Finish(capture, default);
        }

        var own = Assert.Single(spans);
        Assert.Equal(ClauditTracing.SourceName, own.Source.Name);

        using (var live = sdk.StartActivity("anthropic.messages.create"))
        using (var capture = Answered())
        {
            var record = Finisher().Finish(capture, new CallContext { LiveSpan = live });
            Assert.Equal(record.Id.ToString(), live!.GetTagItem(ClauditAttributes.CallId));
        }

        Assert.Equal(2, spans.Count); // the SDK's span, and no second Claudit span
        Assert.Equal("Sdk", spans[1].Source.Name);
    }

    [Fact]
    public void Accept_queues_a_record_finished_elsewhere_unchanged()
    {
        var elsewhere = new CallRecord { Id = Guid.CreateVersion7(), StartTime = _time.GetUtcNow(), Source = CallSource.Ingest, Cost = new CallCost { Priced = true, TotalUsd = 1.25m } };
        Assert.True(Finisher().Accept(elsewhere));
        Assert.Same(elsewhere, Assert.Single(_queue.Records));
    }

    [Fact]
    public void A_credential_fingerprint_tells_keys_apart_and_prefers_the_api_key()
    {
        Assert.Equal(CredentialFingerprint.Of("sk-1", null), CredentialFingerprint.Of("sk-1", "Bearer other"));
        Assert.NotEqual(CredentialFingerprint.Of("sk-1", null), CredentialFingerprint.Of("sk-2", null));
        Assert.Equal(CredentialFingerprint.Of(null, "Bearer t"), CredentialFingerprint.Of("", "Bearer t"));
    }

    [Fact]
    public void A_call_the_gateway_refused_is_recorded_with_its_type_and_no_cost_and_what_was_held_is_settled_once()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(Request));
        capture.OnRefused(ErrorTypes.BudgetExceeded, "Claudit budget 'b' is used up");
        capture.OnResponseHeaders(429, _ => null);
        capture.OnResponseBody("""{"type":"error","error":{"type":"rate_limit_error","message":"Claudit budget 'b' is used up"}}"""u8);
        var settled = new List<CallRecord>();

        var record = Finisher().Finish(capture, new CallContext { Settlement = new CollectingSettlement(settled) });

        Assert.Equal(ErrorTypes.BudgetExceeded, record.Error!.Type); // not the body's rate_limit_error
        Assert.Equal(ErrorOrigin.Gateway, record.Error.Origin);
        Assert.False(record.Error.Retryable);
        Assert.Null(record.Cost); // nothing was billed
        Assert.Equal(429, record.HttpStatus);
        Assert.Same(record, Assert.Single(settled)); // the settlement sees the record as queued, priced
        Assert.Same(record, Assert.Single(_queue.Records));
        Assert.Equal(ErrorTypes.BudgetExceeded, ErrorTypes.ForMetrics(ErrorTypes.BudgetExceeded));
        Assert.Equal(ErrorTypes.RateLimitedByPolicy, ErrorTypes.ForMetrics(ErrorTypes.RateLimitedByPolicy));
    }

    [Fact]
    public void An_answered_call_settles_with_its_priced_record()
    {
        using var capture = Answered();
        var settled = new List<CallRecord>();
        var record = Finisher().Finish(capture, new CallContext { Settlement = new CollectingSettlement(settled) });

        Assert.Equal(0.006m, Assert.Single(settled).Cost!.TotalUsd);
        Assert.Same(record, settled[0]);
    }

    private sealed class CollectingSettlement(List<CallRecord> settled) : ICallSettlement
    {
        public void Settle(CallRecord record) => settled.Add(record);
    }
}
