using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

namespace Claudit.Mock.Tests;

/// <summary>The official Anthropic SDK (NuGet <c>Anthropic</c>) pointed at the mock sees what it expects.</summary>
public class AnthropicSdkTests(MockServerFixture mock) : IClassFixture<MockServerFixture>
{
    private const string ModelId = "claude-sonnet-4-5";

    /// <summary>Adds <c>x-mock-fault</c> and records what the SDK sent on every attempt.</summary>
    private sealed class SpyHandler(string? fault) : DelegatingHandler
    {
        public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (fault is not null)
            {
                request.Headers.TryAddWithoutValidation(MockFaults.Header, fault);
            }

            Requests.Enqueue(request);
            return base.SendAsync(request, cancellationToken);
        }

        public IEnumerable<string> Header(string name) =>
            Requests.Select(r => r.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "<absent>");
    }

    private AnthropicClient Client(SpyHandler spy, int maxRetries = 0) => new(new ClientOptions
    {
        ApiKey = "sk-ant-api03-mock",
        BaseUrl = mock.Server.BaseAddress.ToString().TrimEnd('/'),
        MaxRetries = maxRetries,
        ResponseValidation = true, // the SDK checks every response against its schema, not only the parts read
        Timeout = TimeSpan.FromSeconds(20),
        Handlers = [spy],
    });

    private static MessageCreateParams Params(string text, long maxTokens = 1024, string model = ModelId) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam { Content = text }],
    };

    [Fact]
    public async Task Non_streaming_call_sees_model_usage_and_stop_reason()
    {
        var spy = new SpyHandler(null);
        using var client = Client(spy);
        var message = await client.Messages.Create(Params("Hello from the official SDK."));

        Assert.StartsWith("msg_", message.ID, StringComparison.Ordinal);
        Assert.Equal(ModelId, message.Model.Raw());
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        var text = Assert.Single(message.Content);
        Assert.True(text.TryPickText(out var block));
        Assert.False(string.IsNullOrWhiteSpace(block!.Text));
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
        Assert.Equal(0, message.Usage.CacheReadInputTokens);
        Assert.Equal(0, message.Usage.CacheCreationInputTokens);

        // The SDK sent what the reference says SDKs send, and the mock took it.
        var sent = Assert.Single(spy.Requests);
        // This SDK sends a newer anthropic-version than the reference's 2023-06-01; the mock requires one, any date.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", Assert.Single(spy.Header("anthropic-version")));
        Assert.True(sent.Headers.Contains("x-api-key") || sent.Headers.Authorization?.Scheme == "Bearer", "the SDK authenticated");
        Assert.Equal("0", Assert.Single(spy.Header("x-stainless-retry-count")));
        Assert.EndsWith("/v1/messages", sent.RequestUri!.AbsolutePath, StringComparison.Ordinal);

        // The same request through raw HTTP counts the same input tokens.
        var counted = await mock.Client.CountTokensAsync(Requests.Message("Hello from the official SDK.").Without("max_tokens"));
        Assert.Equal(counted.Json.GetProperty("input_tokens").GetInt64(), message.Usage.InputTokens);
    }

    [Fact]
    public async Task Streaming_call_sees_the_events_usage_and_stop_reason()
    {
        var spy = new SpyHandler(null);
        using var client = Client(spy);
        var text = new StringBuilder();
        long? startInput = null, finalOutput = null, startOutput = null;
        string? model = null;
        ApiEnum<string, StopReason>? stop = null;
        var kinds = new List<string>();
        await foreach (var e in client.Messages.CreateStreaming(Params("Stream through the SDK.", maxTokens: 1024)))
        {
            if (e.TryPickStart(out var start))
            {
                kinds.Add("start");
                model = start!.Message.Model.Raw();
                startInput = start.Message.Usage.InputTokens;
                startOutput = start.Message.Usage.OutputTokens;
            }
            else if (e.TryPickContentBlockStart(out _))
            {
                kinds.Add("block_start");
            }
            else if (e.TryPickContentBlockDelta(out var delta))
            {
                kinds.Add("block_delta");
                if (delta!.Delta.TryPickText(out var t))
                {
                    text.Append(t!.Text);
                }
            }
            else if (e.TryPickContentBlockStop(out _))
            {
                kinds.Add("block_stop");
            }
            else if (e.TryPickDelta(out var messageDelta))
            {
                kinds.Add("message_delta");
                finalOutput = messageDelta!.Usage.OutputTokens;
                stop = messageDelta.Delta.StopReason;
                Assert.Equal(startInput, messageDelta.Usage.InputTokens); // cumulative, repeated
            }
            else if (e.TryPickStop(out _))
            {
                kinds.Add("stop");
            }
        }

        Assert.Equal("start", kinds[0]);
        Assert.Equal(["message_delta", "stop"], kinds[^2..]);
        Assert.Equal(ModelId, model);
        Assert.True(startInput > 0);
        Assert.True(finalOutput > startOutput, "message_start's output_tokens is a placeholder");
        Assert.Equal(StopReason.EndTurn, stop!.Value());
        Assert.False(string.IsNullOrWhiteSpace(text.ToString()));

        // Streamed and whole answers to the same prompt agree (the answer depends on the seed and the prompt).
        var whole = await client.Messages.Create(Params("Stream through the SDK.", maxTokens: 1024));
        Assert.True(whole.Content[0].TryPickText(out var wholeText));
        Assert.Equal(wholeText!.Text, text.ToString());
        Assert.Equal(finalOutput, whole.Usage.OutputTokens);
    }

    [Fact]
    public async Task Sdk_sees_cache_usage_and_the_ttl_split()
    {
        var spy = new SpyHandler(null);
        using var client = Client(spy);
        var request = Params("Question after a cached system prompt.") with
        {
            System = new List<TextBlockParam>
            {
                new() { Text = Requests.Filler(1500, "sdk-cache"), CacheControl = new CacheControlEphemeral { Ttl = Ttl.Ttl1h } },
            },
        };

        var first = await client.Messages.Create(request);
        Assert.True(first.Usage.CacheCreationInputTokens >= 1500);
        Assert.Equal(first.Usage.CacheCreationInputTokens, first.Usage.CacheCreation!.Ephemeral1hInputTokens);
        Assert.Equal(0, first.Usage.CacheCreation.Ephemeral5mInputTokens);

        var second = await client.Messages.Create(request);
        Assert.Equal(first.Usage.CacheCreationInputTokens, second.Usage.CacheReadInputTokens);
        Assert.Equal(0, second.Usage.CacheCreationInputTokens);
    }

    [Fact]
    public async Task Sdk_streams_a_forced_tool_call_and_reads_thinking()
    {
        var spy = new SpyHandler(null);
        using var client = Client(spy);
        var weather = new Tool
        {
            Name = "get_weather",
            InputSchema = new InputSchema
            {
                Properties = new Dictionary<string, System.Text.Json.JsonElement>
                {
                    ["city"] = System.Text.Json.JsonDocument.Parse("""{"type":"string"}""").RootElement,
                    ["days"] = System.Text.Json.JsonDocument.Parse("""{"type":"integer"}""").RootElement,
                },
                Required = ["city"],
            },
        };
        var toolCall = Params("Weather in Rome, via the SDK?") with { Tools = [weather], ToolChoice = new ToolChoiceTool("get_weather") };

        string? name = null;
        var json = new StringBuilder();
        ApiEnum<string, StopReason>? stop = null;
        await foreach (var e in client.Messages.CreateStreaming(toolCall))
        {
            if (e.TryPickContentBlockStart(out var start) && start!.ContentBlock.TryPickToolUse(out var use))
            {
                name = use!.Name;
            }
            else if (e.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickInputJson(out var part))
            {
                json.Append(part!.PartialJson);
            }
            else if (e.TryPickDelta(out var messageDelta))
            {
                stop = messageDelta!.Delta.StopReason;
            }
        }

        Assert.Equal("get_weather", name);
        Assert.Equal(StopReason.ToolUse, stop!.Value());
        using (var input = System.Text.Json.JsonDocument.Parse(json.ToString()))
        {
            Assert.Equal(["city", "days"], input.RootElement.EnumerateObject().Select(p => p.Name));
        }

        var thought = await client.Messages.Create(Params("Think it over, via the SDK.", maxTokens: 4000) with { Thinking = new ThinkingConfigEnabled(2000) });
        Assert.True(thought.Content[0].TryPickThinking(out var thinking));
        Assert.False(string.IsNullOrEmpty(thinking!.Signature));
        Assert.True(thought.Usage.OutputTokensDetails!.ThinkingTokens > 0);
        Assert.True(thought.Usage.OutputTokens > thought.Usage.OutputTokensDetails.ThinkingTokens);

        var signatures = 0;
        long? thinkingTokens = null;
        await foreach (var e in client.Messages.CreateStreaming(Params("Think it over, streamed via the SDK.", maxTokens: 4000) with { Thinking = new ThinkingConfigEnabled(2000) }))
        {
            if (e.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickSignature(out var signature))
            {
                Assert.False(string.IsNullOrEmpty(signature!.Signature));
                signatures++;
            }
            else if (e.TryPickDelta(out var messageDelta))
            {
                thinkingTokens = messageDelta!.Usage.OutputTokensDetails?.ThinkingTokens;
            }
        }

        Assert.Equal(1, signatures);
        Assert.True(thinkingTokens > 0);

        var counted = await client.Messages.CountTokens(new MessageCountTokensParams { Model = ModelId, Messages = toolCall.Messages, Tools = [weather] });
        var used = await client.Messages.Create(toolCall);
        Assert.Equal(counted.InputTokens, used.Usage.InputTokens);
    }

    [Fact]
    public async Task Overloaded_fault_surfaces_as_the_sdk_overloaded_exception()
    {
        var spy = new SpyHandler("overloaded");
        using var client = Client(spy);
        var ex = await Assert.ThrowsAsync<AnthropicOverloadedException>(() => client.Messages.Create(Params("Overload me.")));
        Assert.Equal(529, (int)ex.StatusCode);
        Assert.StartsWith("req_", ex.RequestID, StringComparison.Ordinal);
        Assert.Single(spy.Requests); // MaxRetries = 0
    }

    [Fact]
    public async Task Unknown_model_surfaces_as_the_sdk_not_found_exception()
    {
        var spy = new SpyHandler(null);
        using var client = Client(spy);
        var ex = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Messages.Create(Params("Who am I?", model: "claude-imaginary-9")));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.StartsWith("req_", ex.RequestID, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sdk_retries_a_retryable_fault_with_x_stainless_retry_count()
    {
        var spy = new SpyHandler("api_error");
        using var client = Client(spy, maxRetries: 2);
        var ex = await Assert.ThrowsAnyAsync<Anthropic5xxException>(() => client.Messages.Create(Params("Fail three times.")));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal(["0", "1", "2"], spy.Header("x-stainless-retry-count"));
    }

    [Fact]
    public async Task Sdk_streaming_midstream_error_surfaces_as_an_exception()
    {
        var spy = new SpyHandler("midstream_error");
        using var client = Client(spy);
        var events = 0;
        var ex = await Assert.ThrowsAnyAsync<AnthropicException>(async () =>
        {
            await foreach (var _ in client.Messages.CreateStreaming(Params("Fail while streaming.", maxTokens: 1024)))
            {
                events++;
            }
        });
        Assert.True(events > 0, "events before the error arrive first");
        Assert.Contains("overloaded", ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
