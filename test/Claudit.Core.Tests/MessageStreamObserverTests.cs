using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>What <see cref="MessageStreamObserver"/> learns from each verbatim stream in TestData/streams.</summary>
public class MessageStreamObserverTests
{
    private static MessageObservation ObserveFile(string name) => Observe.Whole(StreamFiles.Load(name));

    private static MessageObservation ObserveText(string sse) => Observe.Whole(Encoding.UTF8.GetBytes(sse));

    [Fact]
    public void Plain_text_stream_from_the_reference()
    {
        var o = ObserveFile(StreamFiles.Text);

        Assert.Equal("msg_1", o.MessageId);
        Assert.Equal("claude-opus-4-8", o.Model);
        Assert.Equal("end_turn", o.StopReason);
        Assert.Null(o.StopSequence);
        Assert.True(o.SawMessageStart);
        Assert.True(o.Complete);
        Assert.False(o.HasError);
        Assert.Null(o.ErrorType);
        Assert.Empty(o.ToolCalls);
        Assert.Equal(1, o.ContentBlocks);
        Assert.Equal(7, o.EventCount); // ping is an event too; it is counted and otherwise ignored
        Assert.Equal(0, o.MalformedEvents);

        var u = Assert.IsType<Records.TokenUsage>(o.Usage);
        Assert.Equal(25, u.InputTokens);
        // message_start's output_tokens (1) is a placeholder: the message_delta value replaces it.
        Assert.Equal(15, u.OutputTokens);
        Assert.Equal(0, u.CacheCreationInputTokens);
        Assert.Null(u.CacheCreation5mInputTokens);
        Assert.Null(u.CacheCreation1hInputTokens);
        Assert.Equal(0, u.CacheReadInputTokens);
        Assert.Equal(0, u.WebSearchRequests);
        Assert.Null(u.ThinkingTokens);
        Assert.Null(u.ServiceTier);
        Assert.Equal(25, u.TotalInputTokens);
    }

    [Fact]
    public void Tool_use_stream_keeps_tool_names_and_input_keys_never_values()
    {
        var o = ObserveFile(StreamFiles.ToolUse);

        Assert.Equal("msg_01TooLUse7Kq3", o.MessageId);
        Assert.Equal("claude-sonnet-4-5-20250929", o.Model);
        Assert.Equal("tool_use", o.StopReason);
        Assert.True(o.Complete);
        Assert.False(o.HasError);
        Assert.Equal(3, o.ContentBlocks);
        Assert.Equal(0, o.MalformedEvents);

        var u = o.Usage!;
        Assert.Equal(472, u.InputTokens);
        Assert.Equal(89, u.OutputTokens);
        Assert.Equal(0, u.CacheCreationInputTokens);
        Assert.Equal(0, u.CacheReadInputTokens);
        Assert.Equal("standard", u.ServiceTier);

        Assert.Collection(
            o.ToolCalls,
            weather =>
            {
                Assert.Equal("get_weather", weather.Name);
                Assert.Equal("tool_use", weather.Kind);
                // The fragments split "location" and "unit" mid-key; the keys are whole after concatenation.
                Assert.Equal(["location", "unit"], weather.InputKeys);
            },
            time =>
            {
                Assert.Equal("get_time", time.Name);
                Assert.Equal("tool_use", time.Kind);
                // Top-level keys only: the nested "h24" is not a key of the input.
                Assert.Equal(["timezone", "format"], time.InputKeys);
            });

        var described = Observe.Describe(o);
        Assert.DoesNotContain("Paulo", described, StringComparison.Ordinal);
        Assert.DoesNotContain("celsius", described, StringComparison.Ordinal);
        Assert.DoesNotContain("Zurich", described, StringComparison.Ordinal);
        Assert.DoesNotContain("h24", described, StringComparison.Ordinal);
    }

    [Fact]
    public void Thinking_stream_counts_thinking_inside_output_tokens()
    {
        var o = ObserveFile(StreamFiles.Thinking);

        Assert.Equal("msg_01ThinK9xQ", o.MessageId);
        Assert.Equal("claude-opus-4-8", o.Model);
        Assert.Equal("end_turn", o.StopReason);
        Assert.True(o.Complete);
        Assert.Empty(o.ToolCalls);
        Assert.Equal(2, o.ContentBlocks);
        Assert.Equal(0, o.MalformedEvents);

        var u = o.Usage!;
        Assert.Equal(85, u.InputTokens);
        Assert.Equal(312, u.OutputTokens);
        Assert.Equal(268, u.ThinkingTokens);
        Assert.Equal(0, u.CacheCreationInputTokens);
        Assert.Equal(0, u.CacheReadInputTokens);
    }

    [Fact]
    public void Web_search_stream_assigns_cumulative_usage_from_the_last_message_delta()
    {
        var o = ObserveFile(StreamFiles.WebSearch);

        Assert.Equal("msg_01WebSrch4Rt", o.MessageId);
        Assert.Equal("claude-opus-4-8", o.Model);
        // The first message_delta's null stop_reason does not hide the final one.
        Assert.Equal("end_turn", o.StopReason);
        Assert.True(o.Complete);
        Assert.Equal(6, o.ContentBlocks);
        Assert.Equal(0, o.MalformedEvents);

        var u = o.Usage!;
        // Last message_delta values, not sums: message_start said 2679/300/1200, the first delta
        // repeated them with 1 search, the last says 10682/300/1200 with 2 searches.
        Assert.Equal(10682, u.InputTokens);
        Assert.Equal(300, u.CacheCreationInputTokens);
        Assert.Equal(1200, u.CacheReadInputTokens);
        Assert.Equal(510, u.OutputTokens);
        Assert.Equal(2, u.WebSearchRequests);
        Assert.Equal(0, u.WebFetchRequests);
        Assert.Equal(10682 + 300 + 1200, u.TotalInputTokens);
        // Only message_start carried service_tier; later usage objects without it keep it.
        Assert.Equal("standard", u.ServiceTier);

        Assert.Equal(2, o.ToolCalls.Count);
        Assert.All(o.ToolCalls, call =>
        {
            Assert.Equal("web_search", call.Name);
            Assert.Equal("server_tool_use", call.Kind);
            Assert.Equal(["query"], call.InputKeys);
        });
        Assert.DoesNotContain("NYC", Observe.Describe(o), StringComparison.Ordinal);
    }

    [Fact]
    public void Mid_stream_overloaded_error_after_http_200()
    {
        var o = ObserveFile(StreamFiles.ErrorOverloaded);

        Assert.True(o.HasError);
        Assert.Equal(ErrorTypes.Overloaded, o.ErrorType);
        Assert.Equal("overloaded_error", o.ErrorType);
        Assert.Equal("Overloaded", o.ErrorMessage);
        Assert.False(o.Complete);
        Assert.True(o.SawMessageStart);
        Assert.Equal("msg_01OvrLd2Tz", o.MessageId);
        Assert.Equal("claude-opus-4-8", o.Model);
        Assert.Null(o.StopReason);
        Assert.Equal(4, o.EventCount);
        Assert.Equal(0, o.MalformedEvents);

        var u = o.Usage!;
        Assert.Equal(1520, u.InputTokens);
        Assert.Equal(0, u.OutputTokens); // only message_start's placeholder (1) was sent: no output was reported
    }

    [Fact]
    public void Message_stop_after_an_error_does_not_make_the_stream_complete()
    {
        var o = ObserveText(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_e\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        Assert.False(o.Complete);
        Assert.True(o.HasError);
        Assert.Equal(ErrorTypes.Api, o.ErrorType);
        Assert.Equal("Internal server error", o.ErrorMessage);
    }

    [Fact]
    public void Truncated_stream_is_not_complete_and_keeps_the_usage_seen()
    {
        var bytes = StreamFiles.Load(StreamFiles.Truncated);
        Assert.DoesNotContain("\"type\":\"message_stop\"", StreamFiles.Utf8(bytes), StringComparison.Ordinal);

        var o = Observe.Whole(bytes);

        Assert.False(o.Complete);
        Assert.False(o.HasError); // the observer saw no error event; the caller names the truncation
        Assert.Equal("msg_01TrUnc8Ax", o.MessageId);
        Assert.Equal("claude-haiku-4-5-20251001", o.Model);
        Assert.Equal("end_turn", o.StopReason);
        Assert.Equal(5, o.EventCount); // the half-sent message_stop is never dispatched
        Assert.Equal(0, o.MalformedEvents);

        var u = o.Usage!;
        Assert.Equal(640, u.InputTokens);
        Assert.Equal(2048, u.CacheReadInputTokens);
        Assert.Equal(0, u.CacheCreationInputTokens);
        Assert.Equal(42, u.OutputTokens);
    }

    [Fact]
    public void Truncated_tool_use_block_is_still_reported_by_name()
    {
        var o = ObserveText(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_t\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"search_docs\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"ha\"}}\n\n");

        Assert.False(o.Complete);
        var call = Assert.Single(o.ToolCalls);
        Assert.Equal("search_docs", call.Name);
        Assert.Equal(9, o.Usage!.InputTokens);
    }

    [Fact]
    public void Cache_creation_split_from_message_start_survives_deltas_without_it()
    {
        var o = ObserveFile(StreamFiles.CacheSplit);

        Assert.Equal("msg_01CacHe5m1h", o.MessageId);
        Assert.Equal("claude-sonnet-4-6", o.Model);
        Assert.Equal("stop_sequence", o.StopReason);
        Assert.Equal("END", o.StopSequence);
        Assert.True(o.Complete);
        Assert.Empty(o.ToolCalls);

        var u = o.Usage!;
        Assert.Equal(12, u.InputTokens);
        Assert.Equal(2500, u.CacheCreationInputTokens);
        Assert.Equal(500, u.CacheCreation5mInputTokens);
        Assert.Equal(2000, u.CacheCreation1hInputTokens);
        Assert.Equal(500, u.EffectiveCacheWrite5m);
        Assert.Equal(2000, u.EffectiveCacheWrite1h);
        Assert.Equal(18000, u.CacheReadInputTokens);
        Assert.Equal(64, u.OutputTokens);
        Assert.Equal(12 + 2500 + 18000, u.TotalInputTokens);
        Assert.Equal("standard", u.ServiceTier);
    }

    [Fact]
    public void Crlf_stream_with_pings_a_comment_and_an_unknown_event()
    {
        var bytes = StreamFiles.Load(StreamFiles.CrlfPingUnknown);
        var text = StreamFiles.Utf8(bytes);
        // Guard against the capture being normalised to LF by a checkout.
        Assert.Contains("\r\n\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", text, StringComparison.Ordinal);

        var o = Observe.Whole(bytes);

        Assert.Equal("msg_01CrLfPiNg", o.MessageId);
        Assert.Equal("claude-opus-4-6", o.Model);
        Assert.Equal("max_tokens", o.StopReason);
        Assert.True(o.Complete);
        Assert.False(o.HasError);
        Assert.Equal(1, o.ContentBlocks);
        Assert.Equal(10, o.EventCount); // 3 pings + 1 unknown + 6 message events; the comment is no event
        Assert.Equal(0, o.MalformedEvents);

        var u = o.Usage!;
        Assert.Equal(310, u.InputTokens);
        // The unknown event's nested usage (999999) is ignored.
        Assert.Equal(20, u.OutputTokens);
        Assert.Equal(0, u.CacheCreationInputTokens); // null in message_start
        Assert.Equal(0, u.CacheReadInputTokens);
    }

    [Theory]
    [MemberData(nameof(StreamFiles.All), MemberType = typeof(StreamFiles))]
    public void Time_to_first_token_is_the_chunk_carrying_the_first_content_delta(string name)
    {
        var pieces = StreamFiles.SplitAfterEvents(StreamFiles.Load(name));
        static long At(int i) => 1_000 + (i * 10);

        // Worked out from the bytes, independently of the parser: the first piece holding a content
        // delta other than a signature, and the last piece that completes an event.
        var firstDelta = pieces.FindIndex(p =>
        {
            var s = StreamFiles.Utf8(p);
            return s.Contains("\"type\":\"content_block_delta\"", StringComparison.Ordinal)
                && !s.Contains("signature_delta", StringComparison.Ordinal);
        });
        var lastEvent = pieces.FindLastIndex(p => StreamFiles.Utf8(p).Contains("\ndata:", StringComparison.Ordinal)
            && (StreamFiles.Utf8(p).EndsWith("\n\n", StringComparison.Ordinal) || StreamFiles.Utf8(p).EndsWith("\r\n\r\n", StringComparison.Ordinal)));
        Assert.True(firstDelta > 0, "every capture has a content delta after its first event");

        var o = Observe.Pieces(pieces, At);

        Assert.Equal(At(0), o.FirstByteTimestamp);
        Assert.Equal(At(0), o.FirstEventTimestamp);
        Assert.Equal(At(firstDelta), o.FirstContentDeltaTimestamp);
        Assert.NotEqual(o.FirstEventTimestamp, o.FirstContentDeltaTimestamp);
        Assert.Equal(At(lastEvent), o.LastEventTimestamp);
    }

    [Fact]
    public void First_event_and_first_content_delta_are_distinct_markers()
    {
        var pieces = StreamFiles.SplitAfterEvents(StreamFiles.Load(StreamFiles.Text));
        var o = Observe.Pieces(pieces, i => 100 * (i + 1));

        Assert.Equal(100, o.FirstEventTimestamp);        // message_start
        Assert.Equal(400, o.FirstContentDeltaTimestamp); // start, block start, ping, then the delta
        Assert.Equal(700, o.LastEventTimestamp);          // message_stop
    }

    [Fact]
    public void Signature_delta_is_not_a_first_token()
    {
        // A thinking block whose only delta is its signature (thinking not displayed), then text.
        var events = new[]
        {
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}\n\n",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        };

        var o = Observe.Pieces(events.Select(Encoding.UTF8.GetBytes).ToList(), i => 10 * (i + 1));

        Assert.Equal(10, o.FirstEventTimestamp);
        Assert.Equal(60, o.FirstContentDeltaTimestamp);
        Assert.True(o.Complete);
    }

    [Fact]
    public void An_event_split_across_chunks_counts_when_its_last_chunk_arrives()
    {
        var stream = StreamFiles.Load(StreamFiles.Text);
        var text = StreamFiles.Utf8(stream);
        var cut = text.IndexOf("\"text_delta\"", StringComparison.Ordinal); // inside the first delta's JSON
        var pieces = new List<byte[]> { stream[..cut], stream[cut..] };

        var o = Observe.Pieces(pieces, i => i == 0 ? 111 : 222);

        Assert.Equal(111, o.FirstByteTimestamp);
        Assert.Equal(111, o.FirstEventTimestamp);
        Assert.Equal(222, o.FirstContentDeltaTimestamp);
    }

    [Fact]
    public void Null_usage_fields_in_a_message_delta_keep_the_earlier_values()
    {
        var o = ObserveText(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_n\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":40,\"cache_read_input_tokens\":300,\"cache_creation_input_tokens\":70,\"cache_creation\":{\"ephemeral_5m_input_tokens\":20,\"ephemeral_1h_input_tokens\":50},\"output_tokens\":1,\"service_tier\":\"priority\"}}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":null,\"cache_read_input_tokens\":null,\"cache_creation_input_tokens\":null,\"cache_creation\":null,\"output_tokens\":33,\"server_tool_use\":null,\"service_tier\":null}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        var u = o.Usage!;
        Assert.Equal(40, u.InputTokens);
        Assert.Equal(300, u.CacheReadInputTokens);
        Assert.Equal(70, u.CacheCreationInputTokens);
        Assert.Equal(20, u.CacheCreation5mInputTokens);
        Assert.Equal(50, u.CacheCreation1hInputTokens);
        Assert.Equal(33, u.OutputTokens);
        Assert.Equal("priority", u.ServiceTier);
    }

    [Fact]
    public void Output_tokens_are_assigned_from_each_message_delta_never_added()
    {
        var o = ObserveText(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_c\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},\"usage\":{\"output_tokens\":20}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"pause_turn\"},\"usage\":{\"output_tokens\":50}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        Assert.Equal(50, o.Usage!.OutputTokens);
        Assert.Equal(10, o.Usage.InputTokens);
        Assert.Equal("pause_turn", o.StopReason);
    }

    [Fact]
    public void A_non_object_delta_does_not_hide_the_usage_after_it()
    {
        var o = ObserveText(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_d\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":null,\"usage\":{\"output_tokens\":77}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        Assert.Equal(77, o.Usage!.OutputTokens);
        Assert.True(o.Complete);
    }

    [Fact]
    public void Unknown_stop_reason_is_kept_as_an_open_string()
    {
        var o = ObserveText(
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"model_context_window_exceeded\"},\"usage\":{\"output_tokens\":2}}\n\n");

        Assert.Equal("model_context_window_exceeded", o.StopReason);
    }

    [Fact]
    public void Malformed_event_data_is_counted_and_skipped()
    {
        var o = ObserveText(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_m\",\"model\":\"claude-opus-4-8\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n" +
            "event: message_delta\ndata: not json at all\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":4}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

        Assert.Equal(2, o.MalformedEvents);
        Assert.Equal(5, o.EventCount);
        Assert.Equal(4, o.Usage!.OutputTokens);
        Assert.True(o.Complete);
    }

    [Fact]
    public void No_usage_before_any_usage_arrives()
    {
        using var observer = new MessageStreamObserver();
        var o = observer.Complete();

        Assert.Null(o.Usage);
        Assert.False(o.Complete);
        Assert.False(o.SawMessageStart);
        Assert.Null(o.FirstByteTimestamp);
        Assert.Null(o.FirstContentDeltaTimestamp);
    }

    [Fact]
    public void Usage_with_speed_carries_the_request_speed()
    {
        var o = ObserveFile(StreamFiles.Text);

        Assert.Equal("fast", o.UsageWithSpeed("fast")!.Speed);
        Assert.Null(o.Usage!.Speed);
        Assert.Equal(15, o.UsageWithSpeed("fast")!.OutputTokens);
    }
}
