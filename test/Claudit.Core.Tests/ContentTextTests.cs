using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Capture;
using Claudit.Core.Records;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>
/// Content capture's text (opt-in): the answer's text gathered by the one SSE parser and the one response parser
/// (bounded, marked when cut), the prompt read out of a request body, and nothing gathered unless asked.
/// </summary>
public class ContentTextTests
{
    private static MessageObservation Stream(byte[] sse, int maxChars, int chunk = 7)
    {
        using var observer = new MessageStreamObserver();
        observer.CollectText(maxChars);
        for (var i = 0; i < sse.Length; i += chunk)
        {
            observer.Feed(sse.AsSpan(i, Math.Min(chunk, sse.Length - i)));
        }

        return observer.Complete();
    }

    [Fact]
    public void A_streamed_answer_is_its_text_deltas_in_order_with_tool_calls_marked()
    {
        var o = Stream(StreamFiles.Load(StreamFiles.ToolUse), 10_000);

        Assert.Equal("Okay, let's check the weather in São Paulo — and Zürich: \n[tool_use: get_weather]\n[tool_use: get_time]", o.Text!.Text);
    }

    [Fact]
    public void Thinking_is_not_output_text()
    {
        var o = Stream(StreamFiles.Load(StreamFiles.Thinking), 10_000);

        Assert.Equal("The greatest common divisor of 1071 and 462 is **21**.", o.Text!.Text);
    }

    [Fact]
    public void Text_past_the_cap_is_cut_with_a_marker_and_the_stream_is_still_read_whole()
    {
        var o = Stream(StreamFiles.Load(StreamFiles.ToolUse), 12);

        Assert.Equal("Okay, let's " + OutputTextCollector.TruncationMarker, o.Text!.Text);
        Assert.Equal(2, o.ToolCalls.Count);
        Assert.True(o.Complete);
    }

    [Fact]
    public void Nothing_is_gathered_unless_asked()
    {
        using var capture = new CallCapture(TimeProvider.System, CallSource.Gateway);
        capture.OnStreamChunk(StreamFiles.Load(StreamFiles.ToolUse));
        capture.Complete(new CallTags());

        Assert.Null(capture.OutputText);
        Assert.Null(MessageResponseParser.Parse(Encoding.UTF8.GetBytes("""{"type":"message","content":[{"type":"text","text":"hi"}]}""")).Text);
    }

    [Fact]
    public void A_whole_answer_is_its_text_blocks_with_tool_calls_marked()
    {
        using var capture = new CallCapture(TimeProvider.System, CallSource.Gateway) { CollectOutputChars = 1000 };
        capture.OnResponseHeaders(200, _ => null);
        capture.OnResponseBody(Encoding.UTF8.GetBytes("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[
              {"type":"thinking","thinking":"hmm","signature":"x"},
              {"type":"text","text":"First line.\nSecond."},
              {"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"a"}},
              {"type":"text","text":"Done."}],
             "stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}}
            """));
        var record = capture.Complete(new CallTags());

        Assert.Equal("First line.\nSecond.\n[tool_use: lookup]\nDone.", capture.OutputText);
        Assert.Equal(CallStatus.Ok, record.Status);
    }

    [Fact]
    public void A_prompt_is_its_system_and_messages_with_tool_traffic_summarised()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"model":"claude-haiku-4-5","max_tokens":10,
             "system":[{"type":"text","text":"Be terse."},{"type":"text","text":"Answer in English."}],
             "messages":[
               {"role":"user","content":"What is the weather?"},
               {"role":"assistant","content":[{"type":"text","text":"Checking."},{"type":"tool_use","id":"t1","name":"get_weather","input":{"city":"Oslo"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":[{"type":"text","text":"timeout"}]},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},{"type":"text","text":"Try again?"}]}]}
            """);

        var messages = MessagePromptReader.Read(body, 10_000);

        Assert.Equal(
            [
                new ContentMessage("system", "Be terse.\nAnswer in English."),
                new ContentMessage("user", "What is the weather?"),
                new ContentMessage("assistant", "Checking.\n[tool_use get_weather: {\"city\":\"Oslo\"}]"),
                new ContentMessage("user", "[tool_result error] timeout\n[image]\nTry again?"),
            ],
            messages);
    }

    [Fact]
    public void A_long_prompt_is_cut_at_the_cap_and_a_body_that_is_not_json_has_none()
    {
        var body = Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":"0123456789"},{"role":"assistant","content":"abcdefghij"},{"role":"user","content":"later"}]}""");

        var messages = MessagePromptReader.Read(body, 15);

        Assert.Equal(new ContentMessage("user", "0123456789"), messages[0]);
        Assert.Equal(new ContentMessage("assistant", "abcde" + OutputTextCollector.TruncationMarker), messages[1]);
        Assert.Equal(3, messages.Count); // the rest is one marker, not dropped silently
        Assert.Empty(MessagePromptReader.Read("not json"u8, 100));
    }

    [Fact]
    public void Content_is_redacted_in_every_message_and_the_output()
    {
        var key = "sk-ant-api03-" + "contentkey0123456789abcdefghij";
        var content = ContentRedactor.Redact(new CallContent
        {
            CallId = Guid.NewGuid(),
            StartTime = DateTimeOffset.UnixEpoch,
            Messages = [new ContentMessage("system", $"key {key}"), new ContentMessage("user", "mail jane@example.com")],
            Output = "call +44 20 7946 0958",
        });

        Assert.Equal("key [REDACTED]", content.Messages[0].Text);
        Assert.Equal("mail [EMAIL]", content.Messages[1].Text);
        Assert.Equal("call [PHONE]", content.Output);
    }
}
