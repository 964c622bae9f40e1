using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Anthropic.Models.Messages.Batches;
using Anthropic.Models.Models;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Mock.Tests;

/// <summary>
/// The official Anthropic SDK (NuGet <c>Anthropic</c>, response validation on) against the mock's Models and
/// Message Batches APIs: listing and resolving models, and a batch from creation to its streamed results.
/// </summary>
public class AnthropicSdkBatchesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 9, 3, 12, 0, 0, TimeSpan.Zero));

    private async Task<(MockHost Host, AnthropicClient Client)> StartAsync()
    {
        var host = await MockHost.StartAsync(o => o with { TimeProvider = _time, BatchProcessingTime = TimeSpan.FromSeconds(30) });
        var client = new AnthropicClient(new ClientOptions
        {
            ApiKey = "sk-ant-api03-sdk",
            BaseUrl = host.Server.BaseAddress.ToString().TrimEnd('/'),
            MaxRetries = 0,
            ResponseValidation = true,
            Timeout = TimeSpan.FromSeconds(20),
        });
        return (host, client);
    }

    private static Request BatchRequest(string customId, string text, string model = "claude-sonnet-4-5") => new()
    {
        CustomID = customId,
        Params = new Params { Model = model, MaxTokens = 512, Messages = [new UserMessageParam { Content = text }] },
    };

    [Fact]
    public async Task Sdk_lists_every_model_across_pages_and_resolves_an_alias()
    {
        var (host, client) = await StartAsync();
        await using var hostScope = host;
        using var clientScope = client;

        var first = await client.Models.List(new ModelListParams { Limit = 4 });
        Assert.Equal(4, first.Items.Count);
        var ids = new List<string>();
        await foreach (var model in first.Paginate())
        {
            ids.Add(model.ID);
            Assert.StartsWith("Claude ", model.DisplayName, StringComparison.Ordinal);
        }

        var raw = (await host.Client.GetAsync("/v1/models?limit=1000")).Json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(raw, ids);

        var sonnet = await client.Models.Retrieve("claude-sonnet-4-5");
        Assert.Equal("claude-sonnet-4-5-20250929", sonnet.ID);
        Assert.Equal(new DateTimeOffset(2025, 9, 29, 0, 0, 0, TimeSpan.Zero), sonnet.CreatedAt);
        Assert.Equal(200_000, sonnet.MaxInputTokens);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Models.Retrieve("claude-imaginary-9"));
    }

    [Fact]
    public async Task Sdk_creates_polls_and_streams_the_results_of_a_batch()
    {
        var (host, client) = await StartAsync();
        await using var hostScope = host;
        using var clientScope = client;

        var created = await client.Messages.Batches.Create(new BatchCreateParams
        {
            Requests =
            [
                BatchRequest("sdk-one", "First batch request from the SDK."),
                BatchRequest("sdk-two", "Second batch request from the SDK.", "claude-haiku-4-5"),
                new Request
                {
                    CustomID = "sdk-fails",
                    Params = new Params
                    {
                        Model = "claude-sonnet-4-5", MaxTokens = 64, Messages = [new UserMessageParam { Content = "Fail." }],
                        Metadata = new Metadata { UserID = "mock-batch-error" },
                    },
                },
            ],
        });
        Assert.StartsWith("msgbatch_", created.ID, StringComparison.Ordinal);
        Assert.Equal(ProcessingStatus.InProgress, created.ProcessingStatus.Value());
        Assert.Equal(3, created.RequestCounts.Processing);
        Assert.Null(created.ResultsUrl);

        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(ProcessingStatus.InProgress, (await client.Messages.Batches.Retrieve(created.ID)).ProcessingStatus.Value());
        _time.Advance(TimeSpan.FromSeconds(15));
        var ended = await client.Messages.Batches.Retrieve(created.ID);
        Assert.Equal(ProcessingStatus.Ended, ended.ProcessingStatus.Value());
        Assert.Equal(2, ended.RequestCounts.Succeeded);
        Assert.Equal(1, ended.RequestCounts.Errored);
        Assert.Equal(created.CreatedAt.AddSeconds(30), ended.EndedAt);
        Assert.StartsWith(host.Server.BaseAddress.ToString().TrimEnd('/') + "/v1/messages/batches/", ended.ResultsUrl, StringComparison.Ordinal);

        var results = new Dictionary<string, MessageBatchResult>();
        await foreach (var line in client.Messages.Batches.ResultsStreaming(created.ID))
        {
            results[line.CustomID] = line.Result;
        }

        Assert.Equal(["sdk-one", "sdk-two", "sdk-fails"], results.Keys);
        Assert.True(results["sdk-one"].TryPickSucceeded(out var one));
        Assert.Equal("batch", one!.Message.Usage.ServiceTier!.Raw());
        Assert.True(one.Message.Usage.InputTokens > 0);
        Assert.True(results["sdk-two"].TryPickSucceeded(out var two));
        Assert.Equal("claude-haiku-4-5", two!.Message.Model.Raw());
        Assert.True(results["sdk-fails"].TryPickErrored(out var failed));
        Assert.Equal("req_", failed!.Error.RequestID![..4]);

        var listed = await client.Messages.Batches.List();
        Assert.Equal(created.ID, Assert.Single(listed.Items).ID);
        var deleted = await client.Messages.Batches.Delete(created.ID);
        Assert.Equal(created.ID, deleted.ID);
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Messages.Batches.Retrieve(created.ID));
    }

    [Fact]
    public async Task Sdk_cancels_a_batch_and_sees_canceled_results()
    {
        var (host, client) = await StartAsync();
        await using var hostScope = host;
        using var clientScope = client;

        var created = await client.Messages.Batches.Create(new BatchCreateParams { Requests = [BatchRequest("c1", "Cancel one."), BatchRequest("c2", "Cancel two.")] });
        _time.Advance(TimeSpan.FromSeconds(20)); // c1 processed at 15 s, c2 due at 30 s
        var canceling = await client.Messages.Batches.Cancel(created.ID);
        Assert.Equal(ProcessingStatus.Canceling, canceling.ProcessingStatus.Value());
        Assert.NotNull(canceling.CancelInitiatedAt);
        await Assert.ThrowsAnyAsync<AnthropicException>(() => client.Messages.Batches.Delete(created.ID));

        _time.Advance(TimeSpan.FromSeconds(5));
        var ended = await client.Messages.Batches.Retrieve(created.ID);
        Assert.Equal(ProcessingStatus.Ended, ended.ProcessingStatus.Value());
        Assert.Equal((1L, 1L), (ended.RequestCounts.Succeeded, ended.RequestCounts.Canceled));
        var kinds = new List<string>();
        await foreach (var line in client.Messages.Batches.ResultsStreaming(created.ID))
        {
            kinds.Add(line.Result.TryPickSucceeded(out _) ? "succeeded" : line.Result.TryPickCanceled(out _) ? "canceled" : "other");
        }

        Assert.Equal(["succeeded", "canceled"], kinds);
    }
}
