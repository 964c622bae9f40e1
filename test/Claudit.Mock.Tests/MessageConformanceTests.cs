using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Claudit.Mock.Tests;

/// <summary>
/// Non-streaming Messages against reference §2: the Message shape, usage derived from the request,
/// count_tokens, and the same usage whether the answer is streamed or not.
/// </summary>
public class MessageConformanceTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    [Fact]
    public async Task Message_has_the_reference_shape_and_headers()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("What is a message, in one paragraph?"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/json", reply.ContentType?.MediaType);
        Assert.StartsWith("req_", reply.RequestId, StringComparison.Ordinal);
        Assert.Equal(AnthropicMock.OrganizationId, reply.Header("anthropic-organization-id"));

        var m = reply.Json;
        Assert.StartsWith("msg_", m.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("message", m.GetProperty("type").GetString());
        Assert.Equal("assistant", m.GetProperty("role").GetString());
        Assert.Equal(Requests.Model, m.GetProperty("model").GetString());
        var text = Assert.Single(m.GetProperty("content").EnumerateArray());
        Assert.Equal("text", text.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(text.GetProperty("text").GetString()));
        Assert.Equal("end_turn", m.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, m.GetProperty("stop_sequence").ValueKind);

        var usage = m.GetProperty("usage");
        Assert.True(usage.GetProperty("input_tokens").GetInt64() > 0);
        Assert.True(usage.GetProperty("output_tokens").GetInt64() > 0);
        Assert.Equal(0, usage.GetProperty("cache_creation_input_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("cache_read_input_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt64());
        Assert.Equal(0, usage.GetProperty("cache_creation").GetProperty("ephemeral_1h_input_tokens").GetInt64());
        Assert.Equal("standard", usage.GetProperty("service_tier").GetString());
        Assert.False(usage.TryGetProperty("output_tokens_details", out _), "no thinking, no thinking breakdown");

        var o = reply.Parsed;
        Assert.True(o.Complete);
        Assert.False(o.HasError);
        Assert.Equal(m.GetProperty("id").GetString(), o.MessageId);
        Assert.Equal(Requests.Model, o.Model);
        Assert.Equal("end_turn", o.StopReason);
        Assert.Equal(1, o.ContentBlocks);
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64(), o.Usage!.InputTokens);
        Assert.Equal(usage.GetProperty("output_tokens").GetInt64(), o.Usage.OutputTokens);
        Assert.Equal("standard", o.Usage.ServiceTier);
    }

    [Theory]
    [InlineData("claude-opus-4-8")]
    [InlineData("claude-sonnet-4-5-20250929")]
    [InlineData("claude-haiku-4-5")]
    [InlineData("claude-3-haiku-20240307")]
    public async Task Model_id_is_echoed_as_requested(string model)
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message($"Echo test for {model}.", model));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(model, reply.Json.GetProperty("model").GetString());
        Assert.Equal(model, reply.Parsed.Model);
        Assert.Equal(model, (await mock.Client.MessagesAsync(Requests.Message($"Echo test for {model}.", model, stream: true))).Observe().Model);
    }

    [Fact]
    public async Task Input_tokens_follow_the_size_of_system_messages_and_tools_deterministically()
    {
        var plain = Requests.Message("How many tokens is this question, exactly?");
        var tokens = await InputTokens(plain);
        Assert.Equal(tokens, await InputTokens(plain)); // deterministic

        var longer = Requests.Message("How many tokens is this question, exactly? " + Requests.Filler(400, "longer"));
        var withSystem = plain.With("system", Requests.Filler(200, "system"));
        var withTools = plain.With("tools", new JsonArray(Requests.WeatherTool()));
        var withTurns = plain.With("messages", new JsonArray(
            Requests.User("First turn."), new JsonObject { ["role"] = "assistant", ["content"] = "An answer." }, Requests.User("How many tokens is this question, exactly?")));

        var longerTokens = await InputTokens(longer);
        Assert.InRange(longerTokens - tokens, 390, 410); // ~4 characters a token
        Assert.InRange(await InputTokens(withSystem) - tokens, 195, 210);
        Assert.True(await InputTokens(withTools) > tokens + 20, "a tool definition costs input tokens");
        Assert.True(await InputTokens(withTurns) > tokens + 5, "earlier turns cost input tokens");
    }

    private async Task<long> InputTokens(JsonObject body)
    {
        var reply = await mock.Client.MessagesAsync(body);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Usage.GetProperty("input_tokens").GetInt64();
    }

    [Fact]
    public async Task Max_tokens_truncates_the_answer_with_stop_reason_max_tokens()
    {
        var body = Requests.Message("Tell me everything about max_tokens truncation.", maxTokens: 3);
        var reply = await mock.Client.MessagesAsync(body);
        var m = reply.Json;
        Assert.Equal("max_tokens", m.GetProperty("stop_reason").GetString());
        Assert.Equal(3, m.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal("max_tokens", reply.Parsed.StopReason);

        // The same prompt with room to spare ends normally, longer than the cut answer.
        var full = await mock.Client.MessagesAsync(body.With("max_tokens", 4096));
        Assert.Equal("end_turn", full.Json.GetProperty("stop_reason").GetString());
        Assert.True(full.Usage.GetProperty("output_tokens").GetInt64() > 3);
        Assert.True(full.Usage.GetProperty("output_tokens").GetInt64() <= 4096);
    }

    [Fact]
    public async Task Service_tier_batch_and_inference_geo_are_echoed_in_usage()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Batch tier echo question.")
            .With("service_tier", "batch").With("inference_geo", "us"));
        var usage = reply.Usage;
        Assert.Equal("batch", usage.GetProperty("service_tier").GetString());
        Assert.Equal("us", usage.GetProperty("inference_geo").GetString());
        Assert.Equal("batch", reply.Parsed.Usage!.ServiceTier);
        Assert.Equal("us", reply.Parsed.Usage.InferenceGeo);

        var streamed = await mock.Client.MessagesAsync(Requests.Message("Batch tier echo question, streamed.", stream: true)
            .With("service_tier", "batch").With("inference_geo", "eu"));
        var o = streamed.Observe();
        Assert.Equal("batch", o.Usage!.ServiceTier);
        Assert.Equal("eu", o.Usage.InferenceGeo);
    }

    [Fact]
    public async Task Non_streaming_tool_use_block_carries_input_matching_the_schema()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Weather in Oslo, non-streaming?")
            .With("tools", new JsonArray(Requests.WeatherTool()))
            .With("tool_choice", new JsonObject { ["type"] = "tool", ["name"] = "get_weather" }));
        var m = reply.Json;
        Assert.Equal("tool_use", m.GetProperty("stop_reason").GetString());
        var tool = Assert.Single(m.GetProperty("content").EnumerateArray()); // forced: no text before the call
        Assert.Equal("tool_use", tool.GetProperty("type").GetString());
        Assert.StartsWith("toolu_", tool.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
        StreamingConformanceTests.AssertMatchesWeatherSchema(tool.GetProperty("input"));
        Assert.Equal("get_weather", Assert.Single(reply.Parsed.ToolCalls).Name);
    }

    [Fact]
    public async Task Auto_tool_choice_calls_the_tool_the_user_names()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Please call get_time for Tokyo.")
            .With("tools", new JsonArray(Requests.WeatherTool(), Requests.ClockTool())));
        Assert.Equal("tool_use", reply.Json.GetProperty("stop_reason").GetString());
        Assert.Equal("get_time", Assert.Single(reply.Parsed.ToolCalls).Name);
        // Unforced, the model may say something first; the call is the last block.
        Assert.Equal("tool_use", reply.Json.GetProperty("content")[reply.Json.GetProperty("content").GetArrayLength() - 1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Non_streaming_thinking_has_a_thinking_block_with_signature_and_thinking_tokens()
    {
        var reply = await mock.Client.MessagesAsync(Requests.Message("Think about thinking, non-streaming.", maxTokens: 3000)
            .With("thinking", new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1500 }));
        var m = reply.Json;
        var content = m.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal("thinking", content[0].GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(content[0].GetProperty("thinking").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(content[0].GetProperty("signature").GetString()));
        Assert.Equal("text", content[1].GetProperty("type").GetString());
        var usage = m.GetProperty("usage");
        var thinking = usage.GetProperty("output_tokens_details").GetProperty("thinking_tokens").GetInt64();
        Assert.InRange(thinking, 1, 1500);
        Assert.True(usage.GetProperty("output_tokens").GetInt64() > thinking);
        Assert.Equal(thinking, reply.Parsed.Usage!.ThinkingTokens);
    }

    [Fact]
    public async Task Every_message_gets_its_own_id()
    {
        var body = Requests.Message("Same question twice, for ids.")
            .With("tools", new JsonArray(Requests.WeatherTool()))
            .With("tool_choice", new JsonObject { ["type"] = "any" });
        var first = (await mock.Client.MessagesAsync(body)).Json;
        var second = (await mock.Client.MessagesAsync(body)).Json;
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.NotEqual(ToolUseId(first), ToolUseId(second));

        static string? ToolUseId(JsonElement m) =>
            m.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use").GetProperty("id").GetString();
    }

    /// <summary>The same request on two fresh servers with one seed: once whole, once streamed.</summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("thinking")]
    [InlineData("tools")]
    [InlineData("cached")]
    [InlineData("truncated")]
    [InlineData("batch")]
    public async Task Non_streaming_usage_equals_the_final_streamed_usage(string kind)
    {
        var body = kind switch
        {
            "plain" => Requests.Message("Compare whole and streamed answers."),
            "thinking" => Requests.Message("Compare, with thinking.", maxTokens: 5000).With("thinking", new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 3000 }),
            "tools" => Requests.Message("Compare, with a tool.").With("tools", new JsonArray(Requests.WeatherTool())).With("tool_choice", new JsonObject { ["type"] = "any" }),
            "cached" => Requests.CachedSystem("compare", 1500, ttl: "1h"),
            "truncated" => Requests.Message("Compare, cut short.", maxTokens: 7),
            _ => Requests.Message("Compare, batch tier.").With("service_tier", "batch").With("inference_geo", "us"),
        };

        await using var a = await MockHost.StartAsync();
        await using var b = await MockHost.StartAsync();
        var whole = await a.Client.MessagesAsync(body);
        var streamed = await b.Client.MessagesAsync(body.Streaming());
        Assert.Equal(HttpStatusCode.OK, whole.Status);
        Assert.Equal(HttpStatusCode.OK, streamed.Status);

        // Through Claudit's parsers: the same TokenUsage record, field for field.
        var parsed = whole.Parsed;
        var observed = streamed.Observe();
        Assert.True(observed.Complete);
        Assert.Equal(parsed.Usage, observed.Usage);
        Assert.Equal(parsed.StopReason, observed.StopReason);
        Assert.Equal(parsed.MessageId, observed.MessageId);
        Assert.Equal(parsed.ToolCalls.Select(c => (c.Name, c.Kind, string.Join(",", c.InputKeys))), observed.ToolCalls.Select(c => (c.Name, c.Kind, string.Join(",", c.InputKeys))));

        // On the wire: every usage field of the body equals the last value the stream sent for it.
        var events = streamed.Events;
        var wireUsage = new Dictionary<string, string>();
        foreach (var usage in new[] { events[0].Json.GetProperty("message").GetProperty("usage") }
                     .Concat(events.Where(e => e.Name == "message_delta").Select(e => e.Json.GetProperty("usage"))))
        {
            foreach (var p in usage.EnumerateObject())
            {
                wireUsage[p.Name] = p.Value.GetRawText();
            }
        }

        foreach (var p in whole.Usage.EnumerateObject())
        {
            Assert.True(wireUsage.TryGetValue(p.Name, out var value), $"the stream never sent usage.{p.Name}");
            Assert.Equal(p.Value.GetRawText(), value);
        }

        // And the content is the same: text, thinking, tool input.
        var blocks = Sse.Blocks(events);
        var content = whole.Json.GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(content.Select(c => c.GetProperty("type").GetString()), blocks.Select(x => x.Type));
        for (var i = 0; i < blocks.Count; i++)
        {
            switch (blocks[i].Type)
            {
                case "text": Assert.Equal(content[i].GetProperty("text").GetString(), blocks[i].Text.ToString()); break;
                case "thinking":
                    Assert.Equal(content[i].GetProperty("thinking").GetString(), blocks[i].Thinking.ToString());
                    Assert.Equal(content[i].GetProperty("signature").GetString(), blocks[i].Signature.ToString());
                    break;
                case "tool_use":
                    Assert.Equal(content[i].GetProperty("input").GetRawText(), string.Concat(blocks[i].PartialJson));
                    Assert.Equal(content[i].GetProperty("id").GetString(), blocks[i].Start.GetProperty("id").GetString());
                    break;
                default: Assert.Fail($"unexpected block {blocks[i].Type}"); break;
            }
        }
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("system+tools")]
    [InlineData("cached")]
    [InlineData("image")]
    public async Task Count_tokens_equals_input_plus_cache_creation_plus_cache_read(string kind)
    {
        var body = kind switch
        {
            "plain" => Requests.Message("Count my tokens, plain."),
            "system+tools" => Requests.Message("Count my tokens, with tools.").With("system", "You are terse.")
                .With("tools", new JsonArray(Requests.WeatherTool(), Requests.ClockTool())),
            "cached" => Requests.CachedSystem("count-tokens", 1400),
            _ => Requests.Message("x").With("messages", JsonNode.Parse("""
                [{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"text","text":"What is in this image?"}]}]
                """)),
        };

        var counted = await mock.Client.CountTokensAsync(body.Without("max_tokens"));
        Assert.Equal(HttpStatusCode.OK, counted.Status);
        var json = counted.Json;
        Assert.Equal(["input_tokens"], json.EnumerateObject().Select(p => p.Name));
        var n = json.GetProperty("input_tokens").GetInt64();
        Assert.True(n > 0);

        // Asked twice (the second time a cache read where there is a breakpoint), the total is the same.
        for (var i = 0; i < 2; i++)
        {
            var usage = (await mock.Client.MessagesAsync(body)).Parsed.Usage!;
            Assert.Equal(n, usage.InputTokens + usage.CacheCreationInputTokens + usage.CacheReadInputTokens);
            Assert.Equal(n, usage.TotalInputTokens);
            if (kind == "cached")
            {
                Assert.True(i == 0 ? usage.CacheCreationInputTokens > 0 : usage.CacheReadInputTokens > 0);
            }
        }

        if (kind == "image")
        {
            Assert.True(n > 1000, "an image costs far more than its few bytes of base64");
        }
    }
}
