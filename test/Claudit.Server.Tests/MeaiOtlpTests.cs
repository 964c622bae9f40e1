using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Claudit.Server.Tests;

/// <summary>
/// Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> over the official .NET SDK's <c>AsIChatClient</c>,
/// exporting with the .NET OTLP exporter (HTTP protobuf) to the gateway's receiver while its calls go through
/// the gateway to the mock. M.E.AI reports input including the cache and the cache reads, but no cache writes:
/// for a call that wrote the cache, the span's records put the writes into uncached input (the sum of the two
/// agrees with the gateway's); every other class and, for calls without writes, the cost agree exactly.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class MeaiOtlpTests
{
    private const string Model = "claude-sonnet-4-6";

    [Fact]
    public async Task OpenTelemetryChatClientSpans_CarryTheGatewaysTokens()
    {
        await using var gateway = await RecordingGateway.StartAsync(seed: 31);
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("Experimental.Microsoft.Extensions.AI")
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("meai-app"))
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = gateway.OtlpTraces;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using var sdk = new AnthropicClient(new ClientOptions { ApiKey = "sk-ant-" + "meai-test", BaseUrl = gateway.Gateway.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 });
            using var chat = new ChatClientBuilder(sdk.AsIChatClient(Model)).UseOpenTelemetry().Build();
            var system = string.Concat(Enumerable.Repeat("This is the standing brief for the returns assistant: answer precisely and briefly. ", 60));
            ChatOptions Cached() => new()
            {
                MaxOutputTokens = 200,
                ConversationId = "conv-meai",
                RawRepresentationFactory = _ => new MessageCreateParams
                {
                    Model = Model,
                    MaxTokens = 200,
                    Messages = [],
                    System = new List<TextBlockParam> { new() { Text = system, CacheControl = new CacheControlEphemeral() } },
                },
            };

            await chat.GetResponseAsync("Can I return an opened item?", Cached());
            await chat.GetResponseAsync("And after 30 days?", Cached());
            await foreach (var update in chat.GetStreamingResponseAsync("Stream the return steps.", Cached()))
            {
                _ = update;
            }

            await chat.GetResponseAsync("Say hello.", new ChatOptions { MaxOutputTokens = 100 });
            tracing.ForceFlush();
        }

        var records = await gateway.WaitForRecordsAsync(8);
        var fromGateway = records.Where(r => r.Source == CallSource.Gateway).OrderBy(r => r.StartTime).ToList();
        var fromSpans = records.Where(r => r.Source == CallSource.Otlp).OrderBy(r => r.StartTime).ToList();
        Assert.Equal(4, fromGateway.Count);
        Assert.Equal(4, fromSpans.Count);
        Assert.True(fromGateway[0].Usage!.CacheCreationInputTokens > 0, "the first call writes the cache");
        Assert.True(fromGateway[1].Usage!.CacheReadInputTokens > 0, "the second reads it");

        foreach (var (index, (seen, span)) in fromGateway.Zip(fromSpans).Index())
        {
            var (g, s) = (seen.Usage!, span.Usage!);
            Assert.Equal(g.CacheReadInputTokens, s.CacheReadInputTokens);
            Assert.Equal(g.OutputTokens, s.OutputTokens);
            Assert.Equal(0, s.CacheCreationInputTokens); // M.E.AI does not say
            Assert.Equal(g.InputTokens + g.CacheCreationInputTokens, s.InputTokens);
            Assert.Equal(index < 3 ? "conv-meai" : null, span.Tags.Conversation); // gen_ai.conversation.id from ChatOptions.ConversationId
            Assert.Equal("meai-app", span.Tags.Feature);
            if (g.CacheCreationInputTokens == 0)
            {
                Assert.Equal(seen.Cost!.TotalUsd, span.Cost!.TotalUsd);
            }
            else
            {
                Assert.True(span.Cost!.TotalUsd < seen.Cost!.TotalUsd, "writes billed as uncached input cost less than cache writes");
            }
        }
    }
}
