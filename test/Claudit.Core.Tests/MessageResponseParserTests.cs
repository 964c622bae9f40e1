using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>Non-streaming Messages bodies: a whole message, an error body, and broken JSON.</summary>
public class MessageResponseParserTests
{
    private const string FullMessage = """
        {
          "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
          "type": "message",
          "role": "assistant",
          "model": "claude-sonnet-4-5-20250929",
          "content": [
            {"type": "thinking", "thinking": "The user wants the weather.", "signature": "EqQBCgIYAhIM"},
            {"type": "text", "text": "I'll look that up."},
            {"type": "server_tool_use", "id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "name": "web_search", "input": {"query": "San Francisco weather"}},
            {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE", "content": [{"type": "web_search_result", "url": "https://example.com", "title": "SF", "encrypted_content": "EqgfCioIARgB", "page_age": null}]},
            {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA", "unit": "celsius", "details": {"hourly": true}}},
            {"type": "some_future_block", "payload": {"type": "tool_use", "name": "not_a_tool"}}
          ],
          "stop_reason": "tool_use",
          "stop_sequence": null,
          "usage": {
            "input_tokens": 2095,
            "cache_creation_input_tokens": 3000,
            "cache_read_input_tokens": 40000,
            "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
            "output_tokens": 503,
            "output_tokens_details": {"thinking_tokens": 120},
            "server_tool_use": {"web_search_requests": 2, "web_fetch_requests": 1},
            "service_tier": "batch",
            "inference_geo": "us"
          }
        }
        """;

    private static MessageObservation Parse(string body) => MessageResponseParser.Parse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Full_message_with_text_and_tool_use()
    {
        var o = Parse(FullMessage);

        Assert.Equal("msg_01XFDUDYJgAACzvnptvVoYEL", o.MessageId);
        Assert.Equal("claude-sonnet-4-5-20250929", o.Model);
        Assert.Equal("tool_use", o.StopReason);
        Assert.Null(o.StopSequence);
        Assert.True(o.Complete);
        Assert.False(o.HasError);
        Assert.Equal(0, o.MalformedEvents);
        Assert.Equal(6, o.ContentBlocks); // unknown block types are tolerated and counted

        Assert.Collection(
            o.ToolCalls,
            search =>
            {
                Assert.Equal("web_search", search.Name);
                Assert.Equal("server_tool_use", search.Kind);
                Assert.Equal(["query"], search.InputKeys);
            },
            weather =>
            {
                Assert.Equal("get_weather", weather.Name);
                Assert.Equal("tool_use", weather.Kind);
                Assert.Equal(["location", "unit", "details"], weather.InputKeys);
            });

        var described = Observe.Describe(o);
        Assert.DoesNotContain("San Francisco", described, StringComparison.Ordinal);
        Assert.DoesNotContain("celsius", described, StringComparison.Ordinal);
        Assert.DoesNotContain("not_a_tool", described, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_message_usage_every_field()
    {
        var u = Parse(FullMessage).Usage!;

        Assert.Equal(2095, u.InputTokens);
        Assert.Equal(3000, u.CacheCreationInputTokens);
        Assert.Equal(1000, u.CacheCreation5mInputTokens);
        Assert.Equal(2000, u.CacheCreation1hInputTokens);
        Assert.Equal(40000, u.CacheReadInputTokens);
        Assert.Equal(503, u.OutputTokens);
        Assert.Equal(120, u.ThinkingTokens);
        Assert.Equal(2, u.WebSearchRequests);
        Assert.Equal(1, u.WebFetchRequests);
        Assert.Equal("batch", u.ServiceTier);
        Assert.Equal("us", u.InferenceGeo);
        Assert.Null(u.Speed);
        // Each bucket is its own: total input is their sum, nothing subtracted.
        Assert.Equal(2095 + 3000 + 40000, u.TotalInputTokens);
    }

    [Fact]
    public void Error_body()
    {
        var o = Parse("""{"type":"error","error":{"type":"not_found_error","message":"model: claude-opus-4-9"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""");

        Assert.True(o.HasError);
        Assert.Equal(ErrorTypes.NotFound, o.ErrorType);
        Assert.Equal("model: claude-opus-4-9", o.ErrorMessage);
        Assert.Equal("req_011CSHoEeqs5C35K2UUqR7Fy", o.RequestId);
        Assert.False(o.Complete);
        Assert.Null(o.Usage);
        Assert.Equal(0, o.MalformedEvents);
    }

    [Theory]
    [InlineData("invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum")]
    [InlineData("overloaded_error", "Overloaded")]
    [InlineData("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")]
    public void Error_body_types_are_kept_as_sent(string type, string message)
    {
        var o = Parse($$"""{"type":"error","error":{"message":"{{message}}","type":"{{type}}"},"request_id":"req_1"}""");

        Assert.Equal(type, o.ErrorType);
        Assert.Equal(message, o.ErrorMessage);
        Assert.Equal("req_1", o.RequestId);
    }

    [Fact]
    public void Error_body_without_a_type_is_an_api_error()
    {
        var o = Parse("""{"type":"error","error":{"message":"something"}}""");

        Assert.Equal(ErrorTypes.Api, o.ErrorType);
        Assert.Equal("something", o.ErrorMessage);
        Assert.Null(o.RequestId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"message\"")]
    [InlineData("{\"id\":\"msg_1\",\"type\":\"message\",")]
    [InlineData("{\"id\":\"msg_1\",\"type\":\"message\",\"usage\":{\"input_tokens\":12")]
    [InlineData("{\"id\":\"msg_1\" \"type\":\"message\"}")]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    public void Malformed_json_never_throws_and_is_counted(string body)
    {
        var o = Parse(body);

        Assert.True(o.MalformedEvents > 0);
        Assert.False(o.Complete);
    }

    [Fact]
    public void Null_optional_fields_read_as_absent()
    {
        var o = Parse("""{"id":"msg_2","type":"message","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":3,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"cache_creation":null,"server_tool_use":null,"service_tier":null}}""");

        Assert.True(o.Complete);
        Assert.Null(o.StopReason);
        var u = o.Usage!;
        Assert.Equal(7, u.InputTokens);
        Assert.Equal(3, u.OutputTokens);
        Assert.Equal(0, u.CacheCreationInputTokens);
        Assert.Null(u.CacheCreation5mInputTokens);
        Assert.Equal(0, u.CacheReadInputTokens);
        Assert.Equal(0, u.WebSearchRequests);
        Assert.Null(u.ServiceTier);
    }

    [Fact]
    public void A_body_that_is_not_a_message_is_not_complete()
    {
        var o = Parse("""{"input_tokens":12}""");

        Assert.False(o.Complete);
        Assert.False(o.HasError);
    }
}
