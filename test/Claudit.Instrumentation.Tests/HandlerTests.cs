using Anthropic.Exceptions;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Mock;

namespace Claudit.Instrumentation.Tests;

/// <summary>The official SDK, with <see cref="ClauditHandler"/> in its pipeline, against the real mock.</summary>
public class HandlerTests(MockFixture mock) : IClassFixture<MockFixture>
{
    [Fact]
    public async Task Non_streaming_call_becomes_one_record_field_by_field()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        var raw = await client.WithRawResponse.Messages.Create(Harness.Params("Describe the handler, please."));
        var message = await raw.Deserialize();

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(CallSource.Library, record.Source);
        Assert.Equal(AnthropicEndpoints.Messages, record.Endpoint);
        Assert.False(record.Streaming);
        Assert.Equal(Harness.Model, record.ModelRequested);
        Assert.Equal(message.Model.Raw(), record.ModelUsed);
        Assert.Equal(CallStatus.Ok, record.Status);
        Assert.Equal(200, record.HttpStatus);
        Assert.Null(record.Error);
        Assert.True(record.Complete);
        Assert.Equal("end_turn", record.StopReason);
        Assert.Equal(1024, record.MaxTokens);
        Assert.Equal(message.Usage.InputTokens, record.Usage!.InputTokens);
        Assert.Equal(message.Usage.OutputTokens, record.Usage.OutputTokens);
        Assert.Equal(0, record.Usage.CacheReadInputTokens);
        Assert.Equal(CostCalculator.Default.Price(message.Model.Raw(), record.Usage), record.Cost);
        Assert.True(record.Cost!.Priced);
        Assert.True(record.Cost.TotalUsd > 0);
        Assert.Equal(raw.RequestID, record.RequestId);
        Assert.Equal(AnthropicMock.OrganizationId, record.OrganizationId);
        Assert.NotNull(record.RateLimits?.RequestsRemaining);
        Assert.True(record.LatencyMs > 0);
        Assert.NotNull(record.TtfbMs);
        Assert.Null(record.TtftMs);
        Assert.StartsWith("sha256:", record.PromptHash, StringComparison.Ordinal);
        Assert.Equal(0, record.Tags.Attempt);
        Assert.Null(record.Tags.ParentId);
        Assert.Equal(record.Id.ToString(), h.Sink.Records[0].Id.ToString());
    }

    [Fact]
    public async Task Streaming_call_is_recorded_when_the_stream_ends_with_ttft_and_final_usage()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        long? finalOutput = null, input = null;
        var events = 0;
        var recordedBeforeEnd = -1L;
        await foreach (var e in client.Messages.CreateStreaming(Harness.Params("Stream the handler story.")))
        {
            if (events++ == 0)
            {
                // The stream is observed as it is read: nothing is finished before the end.
                recordedBeforeEnd = h.Records.Submitted;
            }

            if (e.TryPickStart(out var start))
            {
                input = start!.Message.Usage.InputTokens;
            }
            else if (e.TryPickDelta(out var delta))
            {
                finalOutput = delta!.Usage.OutputTokens;
            }
        }

        Assert.Equal(0, recordedBeforeEnd);
        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.True(record.Streaming);
        Assert.Equal(CallStatus.Ok, record.Status);
        Assert.True(record.Complete);
        Assert.Equal("end_turn", record.StopReason);
        Assert.Equal(input, record.Usage!.InputTokens);
        Assert.Equal(finalOutput, record.Usage.OutputTokens);
        Assert.NotNull(record.TtftMs);
        Assert.True(record.TtftMs >= record.TtfbMs, "the first token comes after message_start");
        Assert.True(record.LatencyMs >= record.TtftMs);
        Assert.True(record.Cost!.Priced);
        Assert.StartsWith("req_", record.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_left_early_is_incomplete_and_closed_by_the_client()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        await foreach (var e in client.Messages.CreateStreaming(Harness.Params("Stream that I will not finish reading, with many words.")))
        {
            if (e.TryPickContentBlockDelta(out _))
            {
                break;
            }
        }

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.True(record.Streaming);
        Assert.False(record.Complete);
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal(ErrorTypes.ClientClosed, record.Error!.Type);
        Assert.Equal(ErrorOrigin.Transport, record.Error.Origin);
        Assert.True(record.Usage!.InputTokens > 0, "usage seen so far is kept");
    }

    [Fact]
    public async Task Midstream_error_is_the_api_error_it_was()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client(fault: "midstream_error");
        await Assert.ThrowsAnyAsync<AnthropicException>(async () =>
        {
            await foreach (var _ in client.Messages.CreateStreaming(Harness.Params("Fail while streaming to the handler.")))
            {
            }
        });

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal(ErrorTypes.Overloaded, record.Error!.Type);
        Assert.Equal(ErrorOrigin.Api, record.Error.Origin);
        Assert.False(record.Complete);
    }

    [Fact]
    public async Task Retries_are_records_linked_to_the_first_attempt()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client(maxRetries: 2, fault: "api_error");
        await Assert.ThrowsAnyAsync<Anthropic5xxException>(() => client.Messages.Create(Harness.Params("Fail three times, linked.")));

        var records = (await h.Sink.WaitForAsync(3)).OrderBy(r => r.Tags.Attempt).ToList();
        Assert.Equal([0, 1, 2], records.Select(r => r.Tags.Attempt));
        Assert.All(records, r => Assert.Equal(ErrorTypes.Api, r.Error!.Type));
        Assert.All(records, r => Assert.Equal(500, r.HttpStatus));
        Assert.Null(records[0].Tags.ParentId);
        Assert.Equal(records[0].Id.ToString(), records[1].Tags.ParentId);
        Assert.Equal(records[0].Id.ToString(), records[2].Tags.ParentId);
        Assert.All(records, r => Assert.Null(r.Cost?.TotalUsd is > 0 ? r.Cost : null));
    }

    [Fact]
    public async Task Http_error_is_typed_and_unpriced()
    {
        await using var h = Harness.Create(mock);
        using var client = h.Client();
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Messages.Create(Harness.Params("Who?", model: "claude-imaginary-9")));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Equal(404, record.HttpStatus);
        Assert.Equal(ErrorTypes.NotFound, record.Error!.Type);
        Assert.Equal("claude-imaginary-9", record.ModelRequested);
        Assert.StartsWith("req_", record.RequestId, StringComparison.Ordinal);
        Assert.Null(record.Usage);
    }

    [Fact]
    public async Task Connection_failure_is_a_transport_error()
    {
        await using var h = Harness.Create(mock);
        using var client = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions
        {
            ApiKey = "sk-ant-api03-" + "instrumentation-test", // split so secret scanners do not take it for a leak
            BaseUrl = "http://127.0.0.1:9", // discard port: nothing listens
            MaxRetries = 0,
            Handlers = [h.Services.CreateClauditHandler()],
        });
        await Assert.ThrowsAnyAsync<Exception>(() => client.Messages.Create(Harness.Params("Nobody home.")));

        var record = Assert.Single(await h.Sink.WaitForAsync(1));
        Assert.Null(record.HttpStatus);
        Assert.Equal(ErrorTypes.Connection, record.Error!.Type);
        Assert.Equal(ErrorOrigin.Transport, record.Error.Origin);
        Assert.Equal(Harness.Model, record.ModelRequested);
        Assert.DoesNotContain("sk-ant-api03", record.Error.Message ?? "", StringComparison.Ordinal);
    }
}
