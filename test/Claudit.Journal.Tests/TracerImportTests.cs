using System.Globalization;
using System.Text;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>Lines written by the widely copied tracer.py decorator read as imported records.</summary>
public class TracerImportTests
{
    // 1772356530 is 2026-03-01T09:15:30Z; .25 s on top.
    private const string OkLine =
        "{\"request_id\":\"req_tr_1\",\"caller\":\"app/jobs.py:42\",\"function\":\"summarise_ticket\",\"ts_start\":1772356530.25," +
        "\"model_requested\":\"claude-sonnet-4-5\",\"status\":\"ok\",\"error\":null,\"latency_s\":1.5,\"model_used\":\"claude-sonnet-4-5-20250929\"," +
        "\"input_tokens\":1200,\"output_tokens\":300,\"cache_creation_tokens\":400,\"cache_read_tokens\":5000,\"stop_reason\":\"end_turn\",\"cost_usd\":0.01234}";

    private static readonly DateTimeOffset OkStart = new(2026, 3, 1, 9, 15, 30, 250, TimeSpan.Zero);

    [Fact]
    public void Successful_call_maps_every_field()
    {
        var r = SampleRecords.Read(OkLine);

        Assert.Equal(CallSource.Import, r.Source);
        Assert.Equal(OkStart, r.StartTime);
        Assert.Equal("req_tr_1", r.RequestId);
        Assert.Equal("claude-sonnet-4-5", r.ModelRequested);
        Assert.Equal("claude-sonnet-4-5-20250929", r.ModelUsed);
        Assert.Equal(CallStatus.Ok, r.Status);
        Assert.Null(r.Error);
        Assert.Equal(200, r.HttpStatus);
        Assert.Equal("end_turn", r.StopReason);
        Assert.Equal(1500.0, r.LatencyMs, precision: 9);
        Assert.Equal(new TokenUsage { InputTokens = 1200, OutputTokens = 300, CacheCreationInputTokens = 400, CacheReadInputTokens = 5000 }, r.Usage);
        Assert.NotNull(r.Cost);
        Assert.True(r.Cost.Priced);
        Assert.Equal(0.01234m, r.Cost.TotalUsd);
        Assert.Equal(CallRecordJsonReader.TracerCostSource, r.Cost.PriceTableVersion);
        Assert.Equal("summarise_ticket", r.Tags.Feature);
        Assert.Equal(new Dictionary<string, string> { ["caller"] = "app/jobs.py:42" }, r.Tags.Properties);
        Assert.Null(r.Tags.User);
    }

    [Fact]
    public void Latency_seconds_become_milliseconds()
    {
        var r = SampleRecords.Read(OkLine.Replace("\"latency_s\":1.5", "\"latency_s\":0.0425", StringComparison.Ordinal));

        Assert.Equal(42.5, r.LatencyMs, precision: 9);
    }

    [Theory]
    [InlineData("\"2026-03-01T09:15:30.25Z\"")]
    [InlineData("\"2026-03-01T09:15:30.250000+00:00\"")] // Python's datetime.now(timezone.utc).isoformat()
    [InlineData("\"2026-03-01T11:15:30.250+02:00\"")]
    [InlineData("\"2026-03-01T04:15:30.25-05:00\"")]
    [InlineData("\"2026-03-01T09:15:30.250000\"")] // datetime.utcnow().isoformat(): no offset, meant as UTC
    [InlineData("\"2026-03-01 09:15:30.25\"")] // str(datetime.utcnow())
    [InlineData("\"1772356530.25\"")] // epoch seconds written as a string
    [InlineData("1772356530.25")]
    public void Start_time_reads_from_epoch_seconds_or_iso_text(string value)
    {
        var r = SampleRecords.Read(OkLine.Replace("\"ts_start\":1772356530.25", "\"ts_start\":" + value, StringComparison.Ordinal));

        Assert.Equal(OkStart, r.StartTime);
        Assert.Equal(TimeSpan.Zero, r.StartTime.Offset);
    }

    [Fact]
    public void Python_exception_names_map_to_anthropic_error_types()
    {
        Assert.Equal(("rate_limit_error", true), ErrorOf("RateLimitError", 429));
        Assert.Equal(("overloaded_error", true), ErrorOf("APIStatusError", 529));
        Assert.Equal(("overloaded_error", true), ErrorOf("OverloadedError", 529));
        Assert.Equal(("api_error", true), ErrorOf("InternalServerError", 500));
        Assert.Equal(("timeout", true), ErrorOf("APITimeoutError", null));
        Assert.Equal(("connection", true), ErrorOf("APIConnectionError", null));
        Assert.Equal(("authentication_error", false), ErrorOf("AuthenticationError", 401));
        Assert.Equal(("invalid_request_error", false), ErrorOf("BadRequestError", 400));
        Assert.Equal(("not_found_error", false), ErrorOf("NotFoundError", 404));
        // A name tracer.py may write that Claudit does not know passes through unchanged.
        Assert.Equal(("SomethingNewError", false), ErrorOf("SomethingNewError", null));
    }

    [Fact]
    public void Error_line_keeps_its_message_and_has_no_usage_or_cost()
    {
        const string line =
            "{\"request_id\":null,\"caller\":\"app/chat.py:10\",\"function\":\"answer\",\"ts_start\":1772356560.5,\"model_requested\":\"claude-opus-4-8\"," +
            "\"status\":\"error\",\"error\":{\"type\":\"RateLimitError\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\",\"status_code\":429}," +
            "\"latency_s\":0.2,\"model_used\":null,\"input_tokens\":null,\"output_tokens\":null,\"cache_creation_tokens\":null,\"cache_read_tokens\":null," +
            "\"stop_reason\":null,\"cost_usd\":null}";

        var r = SampleRecords.Read(line);

        Assert.Equal(CallSource.Import, r.Source);
        Assert.Equal(CallStatus.Error, r.Status);
        Assert.True(r.IsError);
        Assert.NotNull(r.Error);
        Assert.Equal("rate_limit_error", r.Error.Type);
        Assert.Equal("Number of request tokens has exceeded your per-minute rate limit", r.Error.Message);
        Assert.Null(r.Usage);
        Assert.Null(r.Cost);
        Assert.Null(r.ModelUsed);
        Assert.Equal("claude-opus-4-8", r.PricedModel);
        Assert.Null(r.RequestId);
        Assert.Equal(200.0, r.LatencyMs, precision: 9);
        Assert.Equal("answer", r.Tags.Feature);
    }

    [Fact]
    public void Error_status_without_an_error_object_still_counts_as_an_error()
    {
        var r = SampleRecords.Read(OkLine.Replace("\"status\":\"ok\",\"error\":null", "\"status\":\"error\"", StringComparison.Ordinal));

        Assert.Equal(CallStatus.Error, r.Status);
        Assert.Equal("http_error", r.Error?.Type);
    }

    [Fact]
    public void Reading_the_same_line_twice_gives_the_same_id()
    {
        var first = SampleRecords.Read(OkLine);
        var second = SampleRecords.Read(OkLine);

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(Guid.Empty, first.Id);
    }

    [Fact]
    public void Id_is_a_uuid_v7_of_the_start_time_that_differs_between_lines()
    {
        var r = SampleRecords.Read(OkLine);
        var other = SampleRecords.Read(OkLine.Replace("\"input_tokens\":1200", "\"input_tokens\":1201", StringComparison.Ordinal));

        Assert.Equal(7, r.Id.Version);
        // The first 48 bits are the Unix time in milliseconds, so imported ids sort by start time.
        Assert.Equal(OkStart.ToUnixTimeMilliseconds().ToString("x12", CultureInfo.InvariantCulture), r.Id.ToString("N")[..12]);
        Assert.Equal(r.StartTime, other.StartTime);
        Assert.NotEqual(r.Id, other.Id);
    }

    [Fact]
    public void Tracer_line_without_usage_fields_has_no_usage()
    {
        const string line = "{\"caller\":\"x.py:1\",\"function\":\"f\",\"ts_start\":1772356530.25,\"model_requested\":\"claude-haiku-4-5\",\"status\":\"ok\",\"latency_s\":0.1}";

        var r = SampleRecords.Read(line);

        Assert.Equal(CallSource.Import, r.Source);
        Assert.Null(r.Usage);
        Assert.Null(r.Cost);
    }

    private static (string Type, bool Retryable) ErrorOf(string pythonName, int? statusCode)
    {
        var status = statusCode is { } s ? $",\"status_code\":{s}" : "";
        var line = $"{{\"caller\":\"a.py:1\",\"function\":\"f\",\"ts_start\":1772356530.25,\"model_requested\":\"claude-opus-4-8\",\"status\":\"error\"," +
            $"\"error\":{{\"type\":\"{pythonName}\",\"message\":\"m\"{status}}},\"latency_s\":0.5}}";
        Assert.True(CallRecordJsonReader.TryRead(Encoding.UTF8.GetBytes(line), out var record, out var error), error);
        Assert.Equal(CallSource.Import, record!.Source);
        Assert.Equal(CallStatus.Error, record.Status);
        return (record.Error!.Type, record.Error.Retryable);
    }

    [Fact]
    public void Error_status_code_becomes_the_http_status()
    {
        var r = SampleRecords.Read(
            "{\"request_id\":\"req_tr_9\",\"ts_start\":1772356530,\"model_requested\":\"claude-haiku-4-5\",\"status\":\"error\"," +
            "\"error\":{\"type\":\"RateLimitError\",\"message\":\"rate limited\",\"status_code\":429},\"latency_s\":0.2}");

        Assert.Equal(429, r.HttpStatus);
        Assert.Equal("rate_limit_error", r.Error!.Type);
    }

    [Fact]
    public void A_number_too_large_for_a_double_is_no_measurement()
    {
        var r = SampleRecords.Read("{\"request_id\":\"req_tr_10\",\"ts_start\":1772356530,\"status\":\"ok\",\"latency_s\":1e400}");

        Assert.Equal(0, r.LatencyMs);
    }
}
