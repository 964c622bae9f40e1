using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Core.Tests;

/// <summary>From what a call shows (request, headers, body or stream, failure) to the one record.</summary>
public class CallCaptureTests
{
    private const string RequestBody =
        """{"model":"claude-sonnet-4-5","max_tokens":512,"metadata":{"user_id":"u-42"},"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}""";

    private const string StreamingRequestBody =
        """{"model":"claude-sonnet-4-5","max_tokens":512,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers) =>
        name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void Successful_message_gives_a_priced_record_with_timings_and_the_metadata_user()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(RequestBody));
        _time.Advance(TimeSpan.FromMilliseconds(800));
        capture.OnResponseHeaders(200, Headers(("request-id", "req_1"), ("anthropic-organization-id", "org_1"), ("anthropic-ratelimit-requests-remaining", "99")));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        capture.OnResponseBody(Encoding.UTF8.GetBytes(
            """{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":1000,"output_tokens":200}}"""));

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.Equal(CallStatus.Ok, r.Status);
        Assert.Equal(200, r.HttpStatus);
        Assert.Equal("claude-sonnet-4-5", r.ModelRequested);
        Assert.Equal("claude-sonnet-4-5-20250929", r.ModelUsed);
        Assert.Equal(512, r.MaxTokens);
        Assert.Equal("end_turn", r.StopReason);
        Assert.Equal(1000, r.LatencyMs);
        Assert.Equal(800, r.TtfbMs);
        Assert.Null(r.TtftMs);
        Assert.Equal(200.0, r.OutputTokensPerSecond); // 200 tokens in 1 s
        Assert.Equal("req_1", r.RequestId);
        Assert.Equal("org_1", r.OrganizationId);
        Assert.Equal("msg_1", r.MessageId);
        Assert.Equal(99, r.RateLimits!.RequestsRemaining);
        Assert.Equal("u-42", r.Tags.User);
        Assert.StartsWith("sha256:", r.PromptHash, StringComparison.Ordinal);
        // 1,000 input at $3/MTok + 200 output at $15/MTok = 0.003 + 0.003
        Assert.True(r.Cost!.Priced);
        Assert.Equal(0.006m, r.Cost.TotalUsd);
        Assert.Equal(capture.Id, r.Id);
        Assert.Equal(_time.Start, r.StartTime);
    }

    [Fact]
    public void A_user_tag_from_the_caller_wins_over_metadata()
    {
        using var capture = new CallCapture(_time, CallSource.Library);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(RequestBody));
        capture.OnResponseHeaders(500, Headers());

        Assert.Equal("from-header", CostCalculator.Default.Apply(capture.Complete(new CallTags { User = "from-header" })).Tags.User);
    }

    [Fact]
    public void Stream_gives_time_to_first_byte_first_token_and_speed_after_the_first_token()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(StreamingRequestBody));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        capture.OnResponseHeaders(200, Headers(("request-id", "req_s")));
        capture.OnStreamChunk(Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n"));
        _time.Advance(TimeSpan.FromMilliseconds(300));
        capture.OnStreamChunk(Encoding.UTF8.GetBytes(
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"));
        _time.Advance(TimeSpan.FromMilliseconds(1000));
        capture.OnStreamChunk(Encoding.UTF8.GetBytes(
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":50}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.True(r.Streaming);
        Assert.True(r.Complete);
        Assert.Equal(CallStatus.Ok, r.Status);
        Assert.Equal(100, r.TtfbMs);
        Assert.Equal(400, r.TtftMs);
        Assert.Equal(1400, r.LatencyMs);
        Assert.Equal(50.0, r.OutputTokensPerSecond); // 50 tokens over the 1 s after the first token
        Assert.Equal(50, r.Usage!.OutputTokens);
        Assert.Equal(10, r.Usage.InputTokens);
    }

    [Fact]
    public void Rate_limited_call_is_a_retryable_error_without_cost()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(RequestBody));
        capture.OnResponseHeaders(429, Headers(("request-id", "req_429"), ("retry-after", "7")));
        capture.OnResponseBody(Encoding.UTF8.GetBytes("""{"type":"error","error":{"type":"rate_limit_error","message":"slow down"},"request_id":"req_429"}"""));

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.Equal(CallStatus.Error, r.Status);
        Assert.Equal(429, r.HttpStatus);
        Assert.Equal(ErrorTypes.RateLimit, r.Error!.Type);
        Assert.True(r.Error.Retryable);
        Assert.Equal(ErrorOrigin.Api, r.Error.Origin);
        Assert.Equal(7, r.RateLimits!.RetryAfterSeconds);
        Assert.Null(r.Usage);
        Assert.Null(r.Cost);
    }

    [Fact]
    public void Mid_stream_error_keeps_the_usage_seen_and_is_an_error()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(StreamingRequestBody));
        capture.OnResponseHeaders(200, Headers());
        capture.OnStreamChunk(Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":1000,\"output_tokens\":1}}}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.Equal(CallStatus.Error, r.Status);
        Assert.Equal(200, r.HttpStatus);
        Assert.Equal(ErrorTypes.Overloaded, r.Error!.Type);
        Assert.False(r.Complete);
        Assert.Equal(1000, r.Usage!.InputTokens);
        Assert.True(r.Cost!.Priced); // the input was read and is billed
    }

    [Fact]
    public void Stream_cut_before_message_stop_is_a_truncated_stream_priced_on_what_was_seen()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(StreamingRequestBody));
        capture.OnResponseHeaders(200, Headers());
        capture.OnStreamChunk(Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":2000,\"output_tokens\":1}}}\n\n"));

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.Equal(ErrorTypes.StreamTruncated, r.Error!.Type);
        Assert.Equal(ErrorOrigin.Transport, r.Error.Origin);
        Assert.False(r.Complete);
        Assert.Equal("m", r.MessageId);
        // message_start's output_tokens (1) is a placeholder, not a count: no message_delta came, so no output is billed.
        Assert.Equal(0, r.Usage!.OutputTokens);
        // 2,000 input at $3/MTok
        Assert.Equal(0.006m, r.Cost!.TotalUsd);
    }

    private const string WholeMessage =
        """{"id":"msg_cut","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello there"}],"stop_reason":"end_turn","usage":{"input_tokens":1000,"output_tokens":200}}""";

    [Fact]
    public void A_success_whose_json_body_is_cut_is_an_error_not_ok()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(RequestBody));
        capture.OnResponseHeaders(200, Headers(("content-type", "application/json")));
        capture.OnResponseBody(Encoding.UTF8.GetBytes(WholeMessage)[..(WholeMessage.Length / 2)]);

        var r = capture.Complete(CallTags.Empty);

        Assert.Equal(CallStatus.Error, r.Status);
        Assert.Equal(ErrorTypes.BodyTruncated, r.Error!.Type);
        Assert.Equal(ErrorOrigin.Transport, r.Error.Origin);
        Assert.False(r.Error.Retryable); // an SDK fails to parse it and does not retry
        Assert.Equal(200, r.HttpStatus);
        Assert.Equal(ErrorTypes.BodyTruncated, ErrorTypes.ForMetrics(r.Error.Type));
    }

    [Fact]
    public void A_whole_body_that_is_not_a_message_and_a_compressed_body_are_not_called_cut()
    {
        using (var tokens = new CallCapture(_time, CallSource.Gateway, "/v1/messages/count_tokens"))
        {
            tokens.OnResponseHeaders(200, Headers());
            tokens.OnResponseBody("""{"input_tokens":42}"""u8);
            Assert.Equal(CallStatus.Ok, tokens.Complete(CallTags.Empty).Status);
        }

        using var gzip = new CallCapture(_time, CallSource.Gateway);
        gzip.OnResponseHeaders(200, Headers(("content-encoding", "gzip")));
        gzip.OnResponseBody([0x1f, 0x8b, 0x08, 0x00, 0x00]);
        Assert.Equal(CallStatus.Ok, gzip.Complete(CallTags.Empty).Status);
    }

    [Fact]
    public void Transport_failure_has_no_status_and_a_scrubbed_message()
    {
        using var capture = new CallCapture(_time, CallSource.Library);
        capture.OnRequestBody(Encoding.UTF8.GetBytes(RequestBody));
        _time.Advance(TimeSpan.FromSeconds(600));
        capture.OnTransportError(ErrorTypes.TransportTimeout, "timed out calling with x-api-key: sk-ant-api03-" + "abcdefghijklmnopqrstuvwxyz");

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.Null(r.HttpStatus);
        Assert.Equal(ErrorTypes.TransportTimeout, r.Error!.Type);
        Assert.Equal(ErrorOrigin.Transport, r.Error.Origin);
        Assert.True(r.Error.Retryable);
        Assert.DoesNotContain("sk-ant-api03", r.Error.Message, StringComparison.Ordinal);
        Assert.Contains(SecretScrubber.Redacted, r.Error.Message, StringComparison.Ordinal);
        Assert.Equal(600_000, r.LatencyMs);
    }

    [Fact]
    public void Malformed_request_json_is_still_a_call()
    {
        using var capture = new CallCapture(_time, CallSource.Gateway);
        capture.OnRequestBody("{not json"u8);
        capture.OnResponseHeaders(400, Headers(("request-id", "req_bad")));
        capture.OnResponseBody("""{"type":"error","error":{"type":"invalid_request_error","message":"bad json"},"request_id":"req_bad"}"""u8);

        var r = CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));

        Assert.False(capture.Request.Valid);
        Assert.Equal(ErrorTypes.InvalidRequest, r.Error!.Type);
        Assert.False(r.Error.Retryable);
        Assert.Equal("req_bad", r.RequestId);
    }

    [Fact]
    public void A_stream_closed_before_any_byte_is_incomplete_and_a_finished_one_is_not_cut()
    {
        using var unread = new CallCapture(_time, CallSource.Library);
        unread.OnRequestBody(Encoding.UTF8.GetBytes(StreamingRequestBody));
        unread.OnResponseHeaders(200, Headers(("content-type", "text/event-stream")));
        unread.OnStreamStarted();
        Assert.False(unread.StreamEnded);
        unread.OnTransportError(ErrorTypes.ClientClosed, "closed unread");
        var r = CostCalculator.Default.Apply(unread.Complete(CallTags.Empty));
        Assert.True(r.Streaming);
        Assert.False(r.Complete);
        Assert.Equal(ErrorTypes.ClientClosed, r.Error!.Type);

        using var finished = new CallCapture(_time, CallSource.Library);
        finished.OnStreamStarted();
        finished.OnStreamChunk(Encoding.UTF8.GetBytes(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        Assert.True(finished.StreamEnded);
    }
}
