using System.Text;
using Claudit.Core.Anthropic;

namespace Claudit.Core.Tests;

/// <summary>The fields of a Messages request body that a record needs, and the prompt hash.</summary>
public class MessageRequestParserTests
{
    private const string System = "\"You are a terse assistant.\"";
    private const string Messages = """[{"role":"user","content":"What is the weather in Paris?"},{"role":"assistant","content":"Let me check."},{"role":"user","content":[{"type":"text","text":"Thanks"}]}]""";
    private const string Tools = """[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}},{"type":"web_search_20250305","name":"web_search","max_uses":5},{"name":"get_time","input_schema":{"type":"object"}}]""";

    private static MessageRequestInfo Parse(string body) => MessageRequestParser.Parse(Encoding.UTF8.GetBytes(body));

    private static string Body(string model = "claude-opus-4-8", int maxTokens = 1024, string system = System, string messages = Messages, string tools = Tools) =>
        $$"""{"model":"{{model}}","max_tokens":{{maxTokens}},"system":{{system}},"messages":{{messages}},"tools":{{tools}},"stream":true}""";

    [Fact]
    public void Every_recorded_field()
    {
        var info = Parse($$"""
            {
              "model": "claude-opus-4-8",
              "max_tokens": 4096,
              "stream": true,
              "system": {{System}},
              "messages": {{Messages}},
              "tools": {{Tools}},
              "tool_choice": {"type": "auto"},
              "thinking": {"type": "enabled", "budget_tokens": 2048},
              "metadata": {"user_id": "user-7f3a"},
              "service_tier": "standard_only",
              "inference_geo": "us",
              "speed": "fast"
            }
            """);

        Assert.True(info.Valid);
        Assert.Equal("claude-opus-4-8", info.Model);
        Assert.True(info.Stream);
        Assert.Equal(4096, info.MaxTokens);
        Assert.Equal(3, info.ToolCount);
        Assert.Equal("user-7f3a", info.MetadataUserId);
        Assert.Equal("standard_only", info.ServiceTier);
        Assert.Equal("us", info.InferenceGeo);
        Assert.Equal("fast", info.Speed);
        Assert.Matches("^sha256:[0-9a-f]{32}$", info.PromptHash);
    }

    [Fact]
    public void Minimal_body_defaults()
    {
        var info = Parse("""{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.True(info.Valid);
        Assert.Equal("claude-haiku-4-5", info.Model);
        Assert.False(info.Stream);
        Assert.Equal(10, info.MaxTokens);
        Assert.Equal(0, info.ToolCount);
        Assert.Null(info.MetadataUserId);
        Assert.Null(info.ServiceTier);
        Assert.Null(info.InferenceGeo);
        Assert.Null(info.Speed);
        Assert.NotNull(info.PromptHash);
    }

    [Fact]
    public void Stream_false_is_not_streaming()
    {
        Assert.False(Parse("""{"model":"m","stream":false,"messages":[]}""").Stream);
    }

    [Fact]
    public void Metadata_without_user_id()
    {
        var info = Parse("""{"model":"m","metadata":{"other":"x"},"messages":[]}""");

        Assert.True(info.Valid);
        Assert.Null(info.MetadataUserId);
    }

    [Fact]
    public void Prompt_hash_is_equal_for_identical_prompts_whatever_model_and_max_tokens()
    {
        var a = Parse(Body(model: "claude-opus-4-8", maxTokens: 1024)).PromptHash;
        var b = Parse(Body(model: "claude-haiku-4-5", maxTokens: 64)).PromptHash;
        var c = Parse($$"""{"messages":{{Messages}},"stream":false,"system":{{System}},"tools":{{Tools}},"metadata":{"user_id":"u"},"max_tokens":5,"model":"claude-sonnet-4-6"}""").PromptHash;

        Assert.NotNull(a);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
    }

    [Fact]
    public void Prompt_hash_changes_when_a_message_changes()
    {
        var a = Parse(Body()).PromptHash;
        var changed = Parse(Body(messages: Messages.Replace("Paris", "Lyon", StringComparison.Ordinal))).PromptHash;
        var fewer = Parse(Body(messages: """[{"role":"user","content":"What is the weather in Paris?"}]""")).PromptHash;

        Assert.NotEqual(a, changed);
        Assert.NotEqual(a, fewer);
    }

    [Fact]
    public void Prompt_hash_changes_when_system_or_tools_change()
    {
        var a = Parse(Body()).PromptHash;

        Assert.NotEqual(a, Parse(Body(system: "\"You are a verbose assistant.\"")).PromptHash);
        Assert.NotEqual(a, Parse(Body(tools: "[]")).PromptHash);
    }

    [Fact]
    public void Prompt_hash_tells_system_apart_from_messages()
    {
        var asSystem = Parse("""{"system":"x","messages":[]}""").PromptHash;
        var asMessages = Parse("""{"system":[],"messages":"x"}""").PromptHash;

        Assert.NotEqual(asSystem, asMessages);
    }

    [Fact]
    public void No_prompt_hash_without_system_messages_or_tools()
    {
        var info = Parse("""{"model":"claude-opus-4-8","max_tokens":1}""");

        Assert.True(info.Valid);
        Assert.Null(info.PromptHash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[{\"model\":\"claude-opus-4-8\"}]")]
    [InlineData("\"claude-opus-4-8\"")]
    [InlineData("{\"model\":\"claude-opus-4-8\",")]
    [InlineData("{\"model\":\"claude-opus-4-8\",\"messages\":[{\"role\":\"user\"")]
    [InlineData("{\"model\":\"claude-opus-4-8\" \"max_tokens\":1}")]
    [InlineData("{\"model\":\"claude-opus-4-8\",\"max_tokens\":1}}")]
    [InlineData("{\"model\":\"claude-opus-4-8\"} trailing")]
    public void Malformed_json_is_not_valid(string body)
    {
        Assert.False(Parse(body).Valid);
    }

    [Fact]
    public void Whitespace_after_the_body_is_still_valid()
    {
        Assert.True(Parse("{\"model\":\"claude-opus-4-8\",\"messages\":[]}\r\n  ").Valid);
    }

    [Fact]
    public void Malformed_body_keeps_what_was_read_before_the_break()
    {
        var info = Parse("""{"model":"claude-opus-4-8","max_tokens":512,"stream":true,"messages":[{"role":"user","content":"hi""");

        Assert.False(info.Valid);
        Assert.Equal("claude-opus-4-8", info.Model);
        Assert.Equal(512, info.MaxTokens);
        Assert.True(info.Stream);
    }

    [Fact]
    public void Wrong_value_types_do_not_derail_the_fields_after_them()
    {
        var info = Parse("""{"stream":{"model":"not-this"},"max_tokens":"many","metadata":"x","tools":{"a":1},"model":"claude-opus-4-8","speed":"fast"}""");

        Assert.True(info.Valid);
        Assert.Equal("claude-opus-4-8", info.Model);
        Assert.False(info.Stream);
        Assert.Null(info.MaxTokens);
        Assert.Equal(0, info.ToolCount);
        Assert.Equal("fast", info.Speed);
    }

    [Fact]
    public void Tool_results_are_counted_from_the_last_user_message_with_their_errors()
    {
        const string Loop = """
            [{"role":"user","content":"Look these up"},
             {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{}},{"type":"tool_use","id":"t2","name":"lookup","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"},{"type":"tool_result","tool_use_id":"t2","is_error":true,"content":"timeout"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"t3","name":"lookup","input":{}},{"type":"tool_use","id":"t4","name":"search","input":{}},{"type":"tool_use","id":"t5","name":"lookup","input":{}}]},
             {"role":"user","content":[{"is_error":true,"type":"tool_result","tool_use_id":"t3","content":[{"type":"text","text":"not found"}]},
                                       {"type":"tool_result","tool_use_id":"t4","is_error":false,"content":"ok"},
                                       {"type":"tool_result","tool_use_id":"t5","is_error":true},
                                       {"type":"text","text":"is_error: true"}]}]
            """;
        var info = Parse(Body(messages: Loop));

        // The earlier round's results are history: only the results this request sends back count.
        Assert.Equal((3, 2), (info.ToolResults, info.ToolResultErrors));
        Assert.True(info.Valid);
        Assert.Equal(Parse(Body(messages: Loop)).PromptHash, info.PromptHash);
    }

    [Theory]
    [InlineData(Messages)]
    [InlineData("""[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]},{"role":"assistant","content":"prefill"}]""")]
    [InlineData("""[{"content":[{"type":"tool_result","tool_use_id":"t1"}],"role":"user"},{"role":"user","content":"plain text"}]""")]
    [InlineData("""{"not":"a list"}""")]
    public void No_tool_results_unless_the_last_user_message_sends_some(string messages)
    {
        var last = Parse(Body(messages: messages));
        var expected = messages.Contains("prefill", StringComparison.Ordinal) ? (1, 0) : (0, 0);
        Assert.Equal(expected, (last.ToolResults, last.ToolResultErrors));
    }
}
