using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>
/// MessageResponseParser, UsageParser and MessageRequestParser see whatever a client or upstream
/// sends: on random or mutated input they must return, never throw. Seeds are fixed.
/// </summary>
public class JsonParserFuzzTests
{
    private const int Iterations = 2_000;

    private static readonly byte[][] Responses =
    [
        Encoding.UTF8.GetBytes("""{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hi \u00e9"},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris","unit":"c"}},{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":3,"cache_creation":{"ephemeral_5m_input_tokens":2,"ephemeral_1h_input_tokens":3},"output_tokens":7,"server_tool_use":{"web_search_requests":1},"service_tier":"batch","inference_geo":"us"}}"""),
        Encoding.UTF8.GetBytes("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"""),
    ];

    private static readonly byte[] Usage = Encoding.UTF8.GetBytes(
        """{"input_tokens":50,"cache_creation_input_tokens":700,"cache_read_input_tokens":9000,"cache_creation":{"ephemeral_5m_input_tokens":300,"ephemeral_1h_input_tokens":400},"output_tokens":250,"output_tokens_details":{"thinking_tokens":90},"server_tool_use":{"web_search_requests":3,"web_fetch_requests":2},"service_tier":"priority","inference_geo":"us"}""");

    private static readonly byte[] Request = Encoding.UTF8.GetBytes(
        """{"model":"claude-opus-4-8","max_tokens":1024,"stream":true,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hello"}],"tools":[{"name":"a","input_schema":{"type":"object"}},{"name":"b","input_schema":{"type":"object"}}],"metadata":{"user_id":"u1"},"service_tier":"auto","inference_geo":"us","speed":"fast"}""");

    private static IEnumerable<byte[]> Inputs(int seed, params byte[][] valid)
    {
        var random = new Mutator(seed);
        for (var i = 0; i < Iterations; i++)
        {
            yield return (i % 3) switch
            {
                0 => random.RandomBytes(400),
                1 => random.Mutate(valid[i % valid.Length]),
                _ => random.Mutate(random.Mutate(valid[i % valid.Length])),
            };
        }
    }

    [Fact]
    public void Response_parser_never_throws()
    {
        foreach (var input in Inputs(101, Responses))
        {
            var o = MessageResponseParser.Parse(input);
            _ = Observe.Describe(o);
            Assert.False(o.Complete && o.HasError);
            Assert.False(o.Complete && o.MalformedEvents > 0);
        }
    }

    [Fact]
    public void Usage_parser_never_throws()
    {
        foreach (var input in Inputs(202, Usage))
        {
            var u = UsageParser.Parse(input, "fast");
            if (u is not null)
            {
                Assert.True(u.InputTokens >= 0 && u.OutputTokens >= 0 && u.CacheCreationInputTokens >= 0 && u.CacheReadInputTokens >= 0);
                Assert.Equal("fast", u.Speed);
            }
        }
    }

    [Fact]
    public void Request_parser_never_throws()
    {
        foreach (var input in Inputs(303, Request))
        {
            var info = MessageRequestParser.Parse(input);
            Assert.True(info.ToolCount >= 0);
            if (info.PromptHash is { } hash)
            {
                Assert.Matches("^sha256:[0-9a-f]{32}$", hash);
            }
        }
    }

    [Fact]
    public void Wrong_value_types_never_throw()
    {
        // Structurally valid JSON with every known field given every kind of value.
        string[] values = ["null", "0", "-3", "2.5", "1e30", "true", "\"x\"", "\"message\"", "[]", "[{\"type\":\"tool_use\"}]", "{}", "{\"type\":\"tool_use\",\"name\":1,\"input\":[]}"];
        string[] fields =
        [
            "id", "type", "model", "content", "stop_reason", "stop_sequence", "usage", "error", "request_id",
            "input_tokens", "output_tokens", "cache_creation", "cache_creation_input_tokens", "server_tool_use", "service_tier",
            "stream", "max_tokens", "system", "messages", "tools", "metadata", "inference_geo", "speed",
        ];
        var random = new Mutator(404);
        for (var i = 0; i < Iterations; i++)
        {
            var body = Encoding.UTF8.GetBytes("{" + string.Join(",", Enumerable.Range(0, 1 + random.Next(6))
                .Select(_ => $"\"{fields[random.Next(fields.Length)]}\":{values[random.Next(values.Length)]}")) + "}");

            _ = Observe.Describe(MessageResponseParser.Parse(body));
            _ = UsageParser.Parse(body);
            Assert.True(MessageRequestParser.Parse(body).Valid);
        }
    }
}
