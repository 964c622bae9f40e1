using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>The record's JSON form: what is written reads back as the same record, under the documented names.</summary>
public class RecordJsonRoundTripTests
{
    [Fact]
    public void Fully_populated_record_round_trips_to_an_equal_record()
    {
        var record = SampleRecords.Full();

        var read = SampleRecords.Read(SampleRecords.ToLine(record));

        SampleRecords.AssertEqual(record, read);
    }

    [Fact]
    public void Round_trip_is_stable_when_written_again()
    {
        var line = SampleRecords.ToLine(SampleRecords.Full());

        var again = SampleRecords.ToLine(SampleRecords.Read(line));

        Assert.Equal(line, again);
    }

    [Fact]
    public void Minimal_record_round_trips_with_defaults()
    {
        var record = new CallRecord { Id = Guid.CreateVersion7(SampleRecords.Start), StartTime = SampleRecords.Start };

        var read = SampleRecords.Read(SampleRecords.ToLine(record));

        SampleRecords.AssertEqual(record, read);
        Assert.True(read.Complete);
        Assert.Equal(CallSource.Gateway, read.Source);
        Assert.Equal("/v1/messages", read.Endpoint);
        Assert.Null(read.Usage);
        Assert.Null(read.Cost);
        Assert.Empty(read.ToolCalls);
        Assert.Equal(CallTags.Empty, read.Tags);
    }

    [Fact]
    public void Start_time_with_an_offset_reads_as_the_same_instant_in_utc()
    {
        var record = SampleRecords.Full() with { StartTime = new DateTimeOffset(2026, 11, 1, 14, 30, 15, 123, TimeSpan.FromHours(2)) };

        var line = SampleRecords.ToLine(record);
        var read = SampleRecords.Read(line);

        Assert.Contains("\"start_time\":\"2026-11-01T12:30:15.123Z\"", line, StringComparison.Ordinal);
        Assert.Equal(record.StartTime, read.StartTime);
        Assert.Equal(TimeSpan.Zero, read.StartTime.Offset);
    }

    [Fact]
    public void A_batch_result_round_trips_with_its_kind_and_batch_and_an_old_line_gets_its_paths_kind()
    {
        var record = SampleRecords.Full() with
        {
            EndpointKind = EndpointKinds.BatchResult,
            Endpoint = "/v1/messages/batches/msgbatch_7/results",
            Source = CallSource.Otlp,
            Batch = new BatchCallInfo { Id = "msgbatch_7", CustomId = "req-3", Result = "succeeded" },
        };
        using var doc = JsonDocument.Parse(SampleRecords.ToJson(record));
        Assert.Equal(["id", "custom_id", "result"], Names(doc.RootElement.GetProperty("batch")));
        Assert.True(CallRecordJsonReader.TryRead(SampleRecords.ToJson(record), out var read, out var error), error);
        Assert.Equal((record.EndpointKind, record.Batch, record.Source), (read!.EndpointKind, read.Batch, read.Source));

        // Written before the endpoint dimension (no endpoint_kind), or with a kind no one knows: the path's kind.
        Assert.True(CallRecordJsonReader.TryRead("""{"id":"01a19467-e89c-74bb-8c50-cb6bbab3551c","start_time":"2026-11-01T00:00:00Z","endpoint":"/v1/messages/count_tokens"}"""u8, out var old, out _));
        Assert.Equal(EndpointKinds.CountTokens, old!.EndpointKind);
        Assert.True(CallRecordJsonReader.TryRead("""{"id":"01a19467-e89c-74bb-8c50-cb6bbab3551c","start_time":"2026-11-01T00:00:00Z","endpoint":"/v1/models","endpoint_kind":"user-9"}"""u8, out var odd, out _));
        Assert.Equal(EndpointKinds.Models, odd!.EndpointKind);
    }

    [Fact]
    public void Names_are_the_documented_snake_case_ones()
    {
        using var doc = JsonDocument.Parse(SampleRecords.ToJson(SampleRecords.Full()));
        var root = doc.RootElement;

        Assert.Equal(
            ["id", "start_time", "source", "endpoint", "endpoint_kind", "streaming", "model_requested", "model_used", "status", "http_status", "complete",
             "stop_reason", "max_tokens", "error", "usage", "cost", "latency_ms", "ttft_ms", "ttfb_ms", "output_tokens_per_second",
             "request_id", "message_id", "organization_id", "rate_limits", "tool_calls", "tool_results", "tool_result_errors", "tags", "prompt_hash", "quality_flags", "context_utilisation"],
            Names(root));
        Assert.Equal(["type", "message", "retryable", "origin"], Names(root.GetProperty("error")));
        Assert.Equal(
            ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens",
             "cache_read_input_tokens", "thinking_tokens", "web_search_requests", "web_fetch_requests", "service_tier", "inference_geo", "speed"],
            Names(root.GetProperty("usage")));
        Assert.Equal(
            ["priced", "total_usd", "input_usd", "cache_write_5m_usd", "cache_write_1h_usd", "cache_read_usd", "output_usd", "web_search_usd",
             "price_table_version", "pricing_model"],
            Names(root.GetProperty("cost")));
        Assert.Equal(
            ["requests_limit", "requests_remaining", "requests_reset", "tokens_limit", "tokens_remaining", "tokens_reset",
             "input_tokens_limit", "input_tokens_remaining", "input_tokens_reset", "output_tokens_limit", "output_tokens_remaining",
             "output_tokens_reset", "retry_after_s"],
            Names(root.GetProperty("rate_limits")));
        Assert.Equal(["name", "input_keys"], Names(root.GetProperty("tool_calls")[0]));
        Assert.Equal(["name", "kind", "input_keys"], Names(root.GetProperty("tool_calls")[1]));
        Assert.Equal(["user", "tenant", "feature", "session", "conversation", "trace_id", "span_id", "parent_id", "attempt", "properties"],
            Names(root.GetProperty("tags")));

        // Enum values are the wire names, not C# names or numbers.
        Assert.Equal("library", root.GetProperty("source").GetString());
        Assert.Equal("error", root.GetProperty("status").GetString());
        Assert.Equal("transport", root.GetProperty("error").GetProperty("origin").GetString());
        Assert.Equal("server_tool_use", root.GetProperty("tool_calls")[1].GetProperty("kind").GetString());
        Assert.False(root.GetProperty("complete").GetBoolean());
        Assert.Equal(0.123456789m, root.GetProperty("cost").GetProperty("total_usd").GetDecimal());
    }

    [Fact]
    public void Null_and_empty_fields_are_omitted()
    {
        var record = new CallRecord
        {
            Id = Guid.CreateVersion7(SampleRecords.Start),
            StartTime = SampleRecords.Start,
            // Zero cache writes: the 5m/1h split is not written even when set.
            Usage = new TokenUsage { InputTokens = 10, OutputTokens = 5, CacheCreation5mInputTokens = 0, CacheCreation1hInputTokens = 0 },
            Cost = new CallCost { Priced = true, TotalUsd = 0.001m, InputUsd = 0.0005m, OutputUsd = 0.0005m },
        };

        var line = SampleRecords.ToLine(record);
        using var doc = JsonDocument.Parse(line);

        Assert.DoesNotContain("null", line, StringComparison.Ordinal);
        Assert.Equal(["id", "start_time", "source", "endpoint", "endpoint_kind", "streaming", "status", "usage", "cost", "latency_ms"], Names(doc.RootElement));
        Assert.Equal(["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"], Names(doc.RootElement.GetProperty("usage")));
        Assert.Equal(["priced", "total_usd", "input_usd", "output_usd"], Names(doc.RootElement.GetProperty("cost")));
    }

    [Fact]
    public void Unpriced_cost_writes_no_amounts()
    {
        var record = SampleRecords.Simple(1) with { Cost = new CallCost { Priced = false, UnpricedReason = "unknown_model", PriceTableVersion = "2026-08-07" } };

        using var doc = JsonDocument.Parse(SampleRecords.ToJson(record));

        Assert.Equal(["priced", "price_table_version", "unpriced_reason"], Names(doc.RootElement.GetProperty("cost")));
        Assert.Equal(record.Cost, SampleRecords.Read(SampleRecords.ToLine(record)).Cost);
    }

    [Fact]
    public void Unknown_fields_anywhere_are_ignored()
    {
        var record = SampleRecords.Full();
        var line = SampleRecords.ToLine(record);
        const string Junk = "\"future_field\":{\"nested\":[1,2,{\"x\":null,\"y\":[true,false]}],\"s\":\"text\"},\"future_number\":1e300,\"future_null\":null,";

        // A newer writer adds fields first, last and inside every object (string-valued junk cannot contain braces: the last-field edit is textual).
        var extended = line
            .Replace("}", ",\"zz_last\":[]}", StringComparison.Ordinal)
            .Replace("{\"id\":", "{" + Junk + "\"id\":", StringComparison.Ordinal)
            .Replace("\"usage\":{", "\"usage\":{" + Junk, StringComparison.Ordinal)
            .Replace("\"cost\":{", "\"cost\":{" + Junk, StringComparison.Ordinal)
            .Replace("\"error\":{", "\"error\":{" + Junk, StringComparison.Ordinal)
            .Replace("\"rate_limits\":{", "\"rate_limits\":{" + Junk, StringComparison.Ordinal)
            .Replace("\"tags\":{", "\"tags\":{" + Junk, StringComparison.Ordinal)
            .Replace("{\"name\":", "{" + Junk + "\"name\":", StringComparison.Ordinal)
            .Replace("\"properties\":{", "\"properties\":{" + Junk, StringComparison.Ordinal);
        Assert.NotEqual(line, extended);

        var read = SampleRecords.Read(extended);

        SampleRecords.AssertEqual(record, read);
    }

    private static string[] Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();
}
