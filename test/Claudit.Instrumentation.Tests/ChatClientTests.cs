using Anthropic;
using Anthropic.Core;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Microsoft.Extensions.AI;

namespace Claudit.Instrumentation.Tests;

/// <summary><c>UseClaudit()</c> over the SDK's <c>AsIChatClient</c>, with and without the handler underneath.</summary>
public class ChatClientTests(MockFixture mock) : IClassFixture<MockFixture>
{
    private static IChatClient Chat(Harness h, AnthropicClient client) =>
        new ChatClientBuilder(client.AsIChatClient(Harness.Model, 512)).UseClaudit().Build(h.Services);

    private AnthropicClient BareClient(Harness h, string? fault = null) => new(new ClientOptions
    {
        ApiKey = "sk-ant-api03-chat",
        BaseUrl = h.BaseUrl,
        MaxRetries = 0,
        Handlers = fault is null ? [] : [new FaultHandler(fault)],
    });

    [Fact]
    public async Task With_the_handler_underneath_one_call_is_one_record_carrying_the_middleware_tags()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        var chat = Chat(h, client);
        var response = await chat.GetResponseAsync("Hello through IChatClient.", new ChatOptions { ConversationId = "conv-42" });
        Assert.False(string.IsNullOrEmpty(response.Text));

        await h.Records.StopAsync();
        var record = Assert.Single(h.Sink.Records);
        Assert.Equal(200, record.HttpStatus); // the handler's record: it saw the HTTP exchange
        Assert.Equal("conv-42", record.Tags.Conversation);
        Assert.Equal(512, record.MaxTokens);
        Assert.Equal(response.Usage!.OutputTokenCount, record.Usage!.OutputTokens);
    }

    [Fact]
    public async Task With_the_handler_underneath_a_streamed_chat_is_one_record()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        var chat = Chat(h, client);
        var text = "";
        await foreach (var update in chat.GetStreamingResponseAsync("Stream through IChatClient.", new ChatOptions { ConversationId = "conv-7" }))
        {
            text += update.Text;
        }

        Assert.False(string.IsNullOrEmpty(text));
        await h.Records.StopAsync();
        var record = Assert.Single(h.Sink.Records);
        Assert.True(record.Streaming);
        Assert.Equal("conv-7", record.Tags.Conversation);
        Assert.NotNull(record.TtftMs);
    }

    [Fact]
    public async Task Retries_under_the_middleware_link_to_the_first_attempt()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client(maxRetries: 2, fault: "overloaded");
        var chat = Chat(h, client);
        await Assert.ThrowsAnyAsync<Exception>(() => chat.GetResponseAsync("Overloaded chat."));

        await h.Records.StopAsync();
        var records = h.Sink.Records.OrderBy(r => r.Tags.Attempt).ToList();
        Assert.Equal([0, 1, 2], records.Select(r => r.Tags.Attempt));
        Assert.All(records[1..], r => Assert.Equal(records[0].Id.ToString(), r.Tags.ParentId));
        Assert.All(records, r => Assert.Equal(ErrorTypes.Overloaded, r.Error!.Type));
    }

    [Fact]
    public async Task Without_a_handler_the_middleware_records_the_real_stop_reason_and_usage()
    {
        await using var h = Harness.Create(mock);
        using var client = BareClient(h);
        var chat = Chat(h, client);
        var response = await chat.GetResponseAsync("No handler below me.");

        await h.Records.StopAsync();
        var record = Assert.Single(h.Sink.Records);
        Assert.Null(record.HttpStatus); // no HTTP was seen
        Assert.Equal(CallSource.Library, record.Source);
        Assert.Equal("end_turn", record.StopReason);
        Assert.Equal(Harness.Model, record.ModelUsed);
        Assert.Equal(response.Usage!.InputTokenCount, record.Usage!.TotalInputTokens);
        Assert.Equal(response.Usage.OutputTokenCount, record.Usage.OutputTokens);
        Assert.True(record.Cost!.Priced);
        Assert.False(record.Streaming);
        Assert.Equal("standard", record.Usage.ServiceTier); // only the raw message has it: Core's parser read the SDK's Message
    }

    [Fact]
    public async Task Without_a_handler_a_streamed_chat_is_recorded_from_the_raw_events()
    {
        await using var h = Harness.Create(mock);
        using var client = BareClient(h);
        var chat = Chat(h, client);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("No handler, streamed."))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        await h.Records.StopAsync();
        var record = Assert.Single(h.Sink.Records);
        Assert.True(record.Streaming);
        Assert.Equal("end_turn", record.StopReason);
        Assert.Equal(response.Usage!.OutputTokenCount, record.Usage!.OutputTokens);
        Assert.Equal("standard", record.Usage.ServiceTier); // from the raw events, through Core's stream observer
        Assert.True(record.Complete);
        Assert.NotNull(record.TtftMs);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streams_the_caller_breaks_out_of_are_each_recorded_once_as_client_closed(bool handlerUnderneath)
    {
        await using var h = Harness.Create(mock);
        using var client = handlerUnderneath ? h.Client() : BareClient(h);
        var chat = Chat(h, client);
        for (var i = 0; i < 10; i++)
        {
            await foreach (var update in chat.GetStreamingResponseAsync($"Stop reading me early, call {i}.", new ChatOptions { ConversationId = $"early-{i}" }))
            {
                if (update.Text.Length > 0)
                {
                    break;
                }
            }
        }

        await h.Records.StopAsync();
        var records = h.Sink.Records.ToList();
        Assert.Equal(10, records.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"early-{i}"), records.Select(r => r.Tags.Conversation!).Order(StringComparer.Ordinal));
        Assert.All(records, r =>
        {
            Assert.Equal(ErrorTypes.ClientClosed, r.Error!.Type);
            Assert.True(r.Streaming);
            Assert.False(r.Complete);
            Assert.NotNull(r.Usage); // message_start's input counts were seen before the break
            Assert.True(r.Usage.InputTokens > 0);
            Assert.StartsWith("msg_", r.MessageId, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Without_a_handler_a_failed_chat_is_an_error_record()
    {
        await using var h = Harness.Create(mock);
        using var client = BareClient(h, fault: "rate_limit");
        var chat = Chat(h, client);
        await Assert.ThrowsAnyAsync<Exception>(() => chat.GetResponseAsync("Rate limited chat."));

        await h.Records.StopAsync();
        var record = Assert.Single(h.Sink.Records);
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Null(record.Usage);
    }
}
