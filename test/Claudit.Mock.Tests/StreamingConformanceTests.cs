using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Claudit.Mock.Tests;

/// <summary>
/// <c>"stream": true</c> against reference §3: event order, framing, cumulative usage, delta types,
/// checked on the raw wire and through Claudit's own <see cref="Core.Anthropic.MessageStreamObserver"/>.
/// </summary>
public class StreamingConformanceTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    private static readonly string[] StopReasons = ["end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"];

    /// <summary>
    /// message_start → per block (start, deltas, stop, indexes 0..n-1 in order) → message_delta(s) → message_stop;
    /// pings may appear anywhere and are skipped here.
    /// </summary>
    internal static void AssertEventOrder(IReadOnlyList<SseEvent> all)
    {
        var e = all.Where(x => x.Name != "ping").ToList();
        Assert.Equal("message_start", all[0].Name);
        Assert.Equal("message_stop", all[^1].Name);
        var i = 1;
        var index = 0;
        while (e[i].Name == "content_block_start")
        {
            Assert.Equal(index, e[i].Index);
            i++;
            while (e[i].Name == "content_block_delta")
            {
                Assert.Equal(index, e[i].Index);
                i++;
            }

            Assert.Equal("content_block_stop", e[i].Name);
            Assert.Equal(index, e[i].Index);
            i++;
            index++;
        }

        Assert.True(index > 0, "a message has at least one content block");
        Assert.Equal("message_delta", e[i].Name);
        while (e[i].Name == "message_delta")
        {
            i++;
        }

        Assert.Equal(e.Count - 1, i);
        Assert.Single(e, x => x.Name == "message_start");
        Assert.Single(e, x => x.Name == "message_stop");
    }

    [Fact]
    public async Task Text_stream_is_framed_and_ordered_like_the_reference()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Stream me a short answer about wire formats.", stream: true));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("text/event-stream", reply.ContentType?.MediaType);
        Assert.StartsWith("req_", reply.RequestId, StringComparison.Ordinal);
        Assert.Equal(AnthropicMock.OrganizationId, reply.Header("anthropic-organization-id"));

        var events = reply.Events;
        AssertEventOrder(events);
        Assert.Contains(events, e => e.Name == "ping");
        var ping = Assert.Single(events, e => e.Name == "ping");
        Assert.Equal("ping", ping.Json.GetProperty("type").GetString());

        var start = events[0].Json.GetProperty("message");
        Assert.StartsWith("msg_", start.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("message", start.GetProperty("type").GetString());
        Assert.Equal("assistant", start.GetProperty("role").GetString());
        Assert.Equal(Requests.Model, start.GetProperty("model").GetString());
        Assert.Equal(0, start.GetProperty("content").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, start.GetProperty("stop_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, start.GetProperty("stop_sequence").ValueKind);

        var block = Assert.Single(Sse.Blocks(events));
        Assert.Equal("text", block.Type);
        Assert.Equal("", block.Start.GetProperty("text").GetString());
        Assert.All(block.DeltaTypes, t => Assert.Equal("text_delta", t));
        Assert.False(string.IsNullOrWhiteSpace(block.Text.ToString()));

        var delta = events.Single(e => e.Name == "message_delta").Json;
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, delta.GetProperty("delta").GetProperty("stop_sequence").ValueKind);
    }

    [Fact]
    public async Task Message_start_output_tokens_is_a_placeholder_and_message_delta_carries_cumulative_usage()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message(Requests.Filler(300, nameof(Message_start_output_tokens_is_a_placeholder_and_message_delta_carries_cumulative_usage)), stream: true));
        var events = reply.Events;

        var startUsage = events[0].Json.GetProperty("message").GetProperty("usage");
        var finalUsage = events.Last(e => e.Name == "message_delta").Json.GetProperty("usage");
        var placeholder = startUsage.GetProperty("output_tokens").GetInt64();
        var output = finalUsage.GetProperty("output_tokens").GetInt64();
        Assert.True(output > placeholder, $"final output_tokens {output} should exceed the placeholder {placeholder}");

        // Cumulative: input and cache counts are repeated, equal to message_start's, never increments.
        Assert.True(startUsage.GetProperty("input_tokens").GetInt64() > 300);
        foreach (var field in new[] { "input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens" })
        {
            Assert.Equal(startUsage.GetProperty(field).GetInt64(), finalUsage.GetProperty(field).GetInt64());
        }

        // Claudit's observer assigns (never adds) and lands on the final values, whatever the chunking.
        foreach (var chunk in new[] { 1, 7, 64, 4096 })
        {
            var o = reply.Observe(chunk);
            Assert.True(o.Complete);
            Assert.Equal(0, o.MalformedEvents);
            Assert.True(o.SawMessageStart);
            Assert.Equal(output, o.Usage!.OutputTokens);
            Assert.Equal(startUsage.GetProperty("input_tokens").GetInt64(), o.Usage.InputTokens);
            Assert.Equal("end_turn", o.StopReason);
            Assert.Equal(Requests.Model, o.Model);
            Assert.Equal(events[0].Json.GetProperty("message").GetProperty("id").GetString(), o.MessageId);
            Assert.Equal(1, o.ContentBlocks);
            Assert.Equal(events.Count, o.EventCount);
            Assert.NotNull(o.FirstContentDeltaTimestamp);
            // Timestamps here are byte offsets: fed byte by byte, message_start is whole before the first delta.
            Assert.True(chunk > 1 ? o.FirstContentDeltaTimestamp >= o.FirstEventTimestamp : o.FirstContentDeltaTimestamp > o.FirstEventTimestamp);
        }
    }

    [Fact]
    public async Task Every_stop_reason_is_one_the_reference_lists()
    {
        var bodies = new[]
        {
            Requests.Message("Plain question about stop reasons.", stream: true),
            Requests.Message("Short budget question about stop reasons.", maxTokens: 4, stream: true),
            Requests.Message("Tool question about stop reasons.", stream: true)
                .With("tools", new JsonArray(Requests.WeatherTool()))
                .With("tool_choice", new JsonObject { ["type"] = "any" }),
        };
        var seen = new List<string>();
        foreach (var body in bodies)
        {
            var events = (await mock.Client.MessagesAsync(body)).Events;
            AssertEventOrder(events);
            var reason = events.Single(e => e.Name == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString()!;
            Assert.Contains(reason, StopReasons);
            seen.Add(reason);
        }

        Assert.Equal(["end_turn", "max_tokens", "tool_use"], seen);
    }

    [Fact]
    public async Task Tool_use_streams_input_json_delta_fragments_that_concatenate_to_input_matching_the_schema()
    {
        var body = Requests.Message("Should I take an umbrella in Lisbon?", stream: true)
            .With("tools", new JsonArray(Requests.WeatherTool(), Requests.ClockTool()))
            .With("tool_choice", new JsonObject { ["type"] = "tool", ["name"] = "get_weather" });
        var reply = await mock.Client.MessagesAsync(body);
        var events = reply.Events;
        AssertEventOrder(events);

        // A forced tool choice prefills the turn: the tool_use block comes alone, with no text before it.
        var tool = Assert.Single(Sse.Blocks(events));
        Assert.Equal("tool_use", tool.Type);
        Assert.StartsWith("toolu_", tool.Start.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", tool.Start.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, tool.Start.GetProperty("input").ValueKind);
        Assert.Empty(tool.Start.GetProperty("input").EnumerateObject());
        Assert.All(tool.DeltaTypes, t => Assert.Equal("input_json_delta", t));
        Assert.True(tool.PartialJson.Count > 1, "input arrives in several fragments");
        // Fragments are cut anywhere: at least one is not valid JSON on its own.
        Assert.Contains(tool.PartialJson, IsNotJson);

        using var input = JsonDocument.Parse(string.Concat(tool.PartialJson));
        AssertMatchesWeatherSchema(input.RootElement);

        Assert.Equal("tool_use", events.Single(e => e.Name == "message_delta").Json.GetProperty("delta").GetProperty("stop_reason").GetString());

        var o = reply.Observe(13);
        Assert.True(o.Complete);
        Assert.Equal("tool_use", o.StopReason);
        var call = Assert.Single(o.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal(input.RootElement.EnumerateObject().Select(p => p.Name).Order(), call.InputKeys.Order());
    }

    internal static void AssertMatchesWeatherSchema(JsonElement input)
    {
        Assert.Equal(JsonValueKind.Object, input.ValueKind);
        Assert.Equal(JsonValueKind.String, input.GetProperty("city").ValueKind); // required
        Assert.Contains(input.GetProperty("unit").GetString(), new[] { "celsius", "fahrenheit" });
        Assert.True(input.GetProperty("days").TryGetInt32(out _));
        Assert.Contains(input.GetProperty("detailed").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.All(input.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "city", "unit", "days", "detailed" }));
    }

    private static bool IsNotJson(string fragment)
    {
        try
        {
            using var _ = JsonDocument.Parse(fragment);
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    [Fact]
    public async Task Tool_choice_any_calls_one_of_the_tools_and_none_calls_none()
    {
        var tools = new JsonArray(Requests.WeatherTool(), Requests.ClockTool());
        var any = await mock.Client.MessagesAsync(Requests.Message("Something about tools, choice any.", stream: true)
            .With("tools", tools.DeepClone()).With("tool_choice", new JsonObject { ["type"] = "any" }));
        var called = Assert.Single(Sse.Blocks(any.Events));
        Assert.Equal("tool_use", called.Type);
        Assert.Contains(called.Start.GetProperty("name").GetString(), new[] { "get_weather", "get_time" });
        using (JsonDocument.Parse(string.Concat(called.PartialJson)))
        {
        }

        // "none" never calls a tool, even when the user names one.
        var none = await mock.Client.MessagesAsync(Requests.Message("Use get_weather for Paris, choice none.", stream: true)
            .With("tools", tools.DeepClone()).With("tool_choice", new JsonObject { ["type"] = "none" }));
        Assert.DoesNotContain(Sse.Blocks(none.Events), b => b.Type == "tool_use");
        Assert.Equal("end_turn", none.Observe().StopReason);
    }

    [Fact]
    public async Task Thinking_streams_thinking_deltas_then_a_signature_delta_and_reports_thinking_tokens()
    {
        var body = Requests.Message("Think before answering about streams.", maxTokens: 4000, stream: true)
            .With("thinking", new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 2000 });
        var reply = await mock.Client.MessagesAsync(body);
        var events = reply.Events;
        AssertEventOrder(events);

        var blocks = Sse.Blocks(events);
        Assert.Equal(["thinking", "text"], blocks.Select(b => b.Type));
        var thinking = blocks[0];
        Assert.Equal("", thinking.Start.GetProperty("thinking").GetString());
        Assert.True(thinking.DeltaTypes.Count >= 2);
        Assert.All(thinking.DeltaTypes.SkipLast(1), t => Assert.Equal("thinking_delta", t));
        Assert.Equal("signature_delta", thinking.DeltaTypes[^1]);
        Assert.False(string.IsNullOrWhiteSpace(thinking.Thinking.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(thinking.Signature.ToString()));

        var final = events.Single(e => e.Name == "message_delta").Json.GetProperty("usage");
        var thinkingTokens = final.GetProperty("output_tokens_details").GetProperty("thinking_tokens").GetInt64();
        Assert.True(thinkingTokens > 0);
        Assert.True(final.GetProperty("output_tokens").GetInt64() > thinkingTokens, "output_tokens includes thinking and the text");

        var o = reply.Observe();
        Assert.True(o.Complete);
        Assert.Equal(thinkingTokens, o.Usage!.ThinkingTokens);
        Assert.Equal(final.GetProperty("output_tokens").GetInt64(), o.Usage.OutputTokens);
    }

    [Fact]
    public async Task Max_tokens_cuts_the_stream_with_stop_reason_max_tokens()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("A question whose answer is long, streamed.", maxTokens: 5, stream: true));
        var events = reply.Events;
        AssertEventOrder(events);
        var delta = events.Single(e => e.Name == "message_delta").Json;
        Assert.Equal("max_tokens", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(5, delta.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        var o = reply.Observe();
        Assert.Equal("max_tokens", o.StopReason);
        Assert.Equal(5, o.Usage!.OutputTokens);
    }
}
