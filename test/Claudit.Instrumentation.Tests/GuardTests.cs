using Microsoft.Extensions.DependencyInjection;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Microsoft.Extensions.AI;

namespace Claudit.Instrumentation.Tests;

/// <summary>The opt-in guards: context-window pre-flight and utilisation, quality flags.</summary>
public class GuardTests(MockFixture mock) : IClassFixture<MockFixture>
{
    [Fact]
    public async Task Guards_are_off_by_default()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        await client.Messages.Create(Harness.Params("Cut me short, please.", maxTokens: 5));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal("max_tokens", record.StopReason);
        Assert.Empty(record.QualityFlags);
        Assert.Null(record.ContextUtilisation);
    }

    [Fact]
    public async Task Truncation_is_flagged_and_utilisation_is_the_actual_input_over_the_window()
    {
        await using var h = Harness.Create(mock, options: o => { o.QualityFlags = true; o.RecordContextUtilisation = true; });
        using var client = h.Client();
        await client.Messages.Create(Harness.Params("Cut me short, please.", maxTokens: 5));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal([QualityFlags.MaxTokens], record.QualityFlags);
        var window = h.Services.GetRequiredService<PriceTable>().FindModel(Harness.Model)!.ContextWindow!.Value;
        Assert.Equal((double)record.Usage!.TotalInputTokens / window, record.ContextUtilisation);
    }

    [Fact]
    public async Task A_call_over_the_configured_share_is_refused_before_it_is_sent()
    {
        await using var h = Harness.Create(mock, options: o => o.RefuseAboveContextShare = 0.001);
        using var client = h.Client();
        var big = string.Join(' ', Enumerable.Repeat("context", 400)); // ~3 KB, ~800 tokens: over 0.1% of a 200K window; "small" is well under
        var ex = await Assert.ThrowsAsync<ClauditContextWindowException>(() => client.Messages.Create(Harness.Params(big)));
        Assert.Equal(Harness.Model, ex.Model);
        Assert.True(ex.EstimatedInputTokens > 600);
        Assert.Contains("context window", ex.Message, StringComparison.Ordinal);

        await client.Messages.Create(Harness.Params("small")); // a call under the share goes through
        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(CallStatus.Ok, record.Status);
    }

    [Fact]
    public async Task Chat_middleware_flags_a_repetitive_text_when_it_records_the_call_itself()
    {
        await using var h = Harness.Create(mock, options: o => o.QualityFlags = true);
        var chat = new ChatClientBuilder(new RepeatingChatClient()).UseClaudit().Build(h.Services);
        await chat.GetResponseAsync("Say it again.");

        await h.Records.StopAsync();
        var record = Assert.Single(h.Sink.Records);
        Assert.Contains(QualityFlags.LowUniqueness, record.QualityFlags);
        Assert.Equal("end_turn", record.StopReason);
    }

    /// <summary>A chat client that is not Anthropic's (no raw message): the middleware works from the abstractions alone.</summary>
    private sealed class RepeatingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Join(' ', Enumerable.Repeat("same words", 40))))
            {
                ModelId = Harness.Model,
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 80 },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
