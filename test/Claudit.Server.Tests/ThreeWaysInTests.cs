using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Serialization;
using Claudit.Instrumentation;
using Claudit.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests;

/// <summary>
/// One canned exchange through each way in — the gateway, the in-process handler, the chat middleware
/// over the handler, and the chat middleware alone — gives the same record: one finisher makes them
/// all. Fields that depend on the moment (id, start time, timings) or on the way in itself (source)
/// are set aside; everything else must be equal, field for field, as the record format writes it.
/// </summary>
public sealed class ThreeWaysInTests : IAsyncLifetime
{
    private const string Key = "sk-ant-api03-" + "three-ways-in"; // split so secret scanners do not take it for a leak
    private const string Model = "claude-sonnet-4-5";

    private const string Message = """
        {"id":"msg_3ways","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Three ways, one record."},{"type":"tool_use","id":"toolu_1","name":"lookup","input":{"q":"x","limit":3}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":1200,"cache_creation_input_tokens":3000,"cache_read_input_tokens":9000,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":85,"service_tier":"standard"}}
        """;

    private static readonly string[] Stream =
    [
        """event: message_start""" + "\n" + """data: {"type":"message_start","message":{"id":"msg_3ways","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1200,"cache_creation_input_tokens":3000,"cache_read_input_tokens":9000,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":1,"service_tier":"standard"}}}""",
        """event: content_block_start""" + "\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        """event: ping""" + "\n" + """data: {"type":"ping"}""",
        """event: content_block_delta""" + "\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Three ways,"}}""",
        """event: content_block_delta""" + "\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" one record."}}""",
        """event: content_block_stop""" + "\n" + """data: {"type":"content_block_stop","index":0}""",
        """event: message_delta""" + "\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":1200,"cache_creation_input_tokens":3000,"cache_read_input_tokens":9000,"output_tokens":85}}""",
        """event: message_stop""" + "\n" + """data: {"type":"message_stop"}""",
    ];

    private WebApplication _upstream = null!;
    private Uri _upstreamAddress = null!;
    private string _dataDir = null!;
    private (string Body, Dictionary<string, string> Headers)? _lastRequest;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _upstream = builder.Build();
        _upstream.MapPost("/v1/messages", AnswerAsync);
        await _upstream.StartAsync();
        _upstreamAddress = new Uri(_upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _dataDir = Directory.CreateTempSubdirectory("claudit-three-ways-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    /// <summary>The canned API: the same message (or stream) and headers whatever is asked; the request is kept to replay it.</summary>
    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        _lastRequest = (body, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        var headers = context.Response.Headers;
        headers["request-id"] = "req_3ways";
        headers["anthropic-organization-id"] = "org_3ways";
        headers["anthropic-ratelimit-requests-limit"] = "4000";
        headers["anthropic-ratelimit-requests-remaining"] = "3999";
        headers["anthropic-ratelimit-requests-reset"] = "2026-11-28T12:00:00Z";
        headers["anthropic-ratelimit-tokens-limit"] = "2000000";
        headers["anthropic-ratelimit-tokens-remaining"] = "1987000";
        headers["anthropic-ratelimit-tokens-reset"] = "2026-11-28T12:00:01Z";
        if (JsonNode.Parse(body)?["stream"]?.GetValue<bool>() == true)
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var ev in Stream)
            {
                await context.Response.WriteAsync(ev + "\n\n");
                await context.Response.Body.FlushAsync();
            }

            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Message.Trim());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gateway_handler_and_chat_middleware_make_the_same_record(bool streaming)
    {
        // 1. The chat middleware over the official SDK, with Claudit's handler underneath: the usual in-process setup.
        var chatSink = new CollectingSink();
        await using var withHandler = Services(chatSink);
        using (var sdk = Sdk(withHandler.CreateClauditHandler()))
        {
            await Chat(sdk, withHandler, streaming);
        }

        var viaChat = Assert.Single(await chatSink.WaitForAsync(1));
        var (body, headers) = _lastRequest!.Value;

        // 2. The same request, byte for byte, through the handler alone.
        var handlerSink = new CollectingSink();
        await using (var handlerOnly = Services(handlerSink))
        {
            var handler = handlerOnly.CreateClauditHandler();
            handler.InnerHandler = new SocketsHttpHandler();
            using var http = new HttpClient(handler) { BaseAddress = _upstreamAddress };
            await SendAsync(http, body, headers);
        }

        var viaHandler = Assert.Single(await handlerSink.WaitForAsync(1));

        // 3. The same request through the gateway.
        await using (var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _upstreamAddress, DataDirectory = _dataDir }, PriceTable.Default))
        {
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            await SendAsync(http, body, headers);
        }

        var viaGateway = Assert.Single(await ReadJournalAsync());

        Assert.Equal(CallSource.Library, viaChat.Source);
        Assert.Equal(CallSource.Gateway, viaGateway.Source);
        Assert.Equal(streaming, viaGateway.Streaming);
        Assert.True(viaGateway.Cost!.Priced);
        Assert.Equal(2000, viaGateway.Usage!.CacheCreation1hInputTokens);
        Assert.Equal("req_3ways", viaGateway.RequestId);
        Assert.NotNull(viaGateway.PromptHash);
        Assert.NotNull(viaGateway.TtfbMs);
        var expected = Comparable(viaGateway);
        Assert.Equal(expected, Comparable(viaHandler));
        Assert.Equal(expected, Comparable(viaChat));

        // 4. The chat middleware alone sees no HTTP: what only HTTP shows is absent, everything else is the same.
        var aloneSink = new CollectingSink();
        await using (var alone = Services(aloneSink))
        {
            using var sdk = Sdk(handler: null);
            await Chat(sdk, alone, streaming);
        }

        var viaChatAlone = Assert.Single(await aloneSink.WaitForAsync(1));
        Assert.NotNull(viaChatAlone.TtfbMs);
        Assert.Equal(streaming, viaChatAlone.TtftMs is not null);
        Assert.Equal(WithoutHttp(expected), Comparable(viaChatAlone));
    }

    private static ServiceProvider Services(CollectingSink sink)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddClaudit().AddSink(sink);
        return services.BuildServiceProvider();
    }

    private AnthropicClient Sdk(ClauditHandler? handler) => new(new ClientOptions
    {
        ApiKey = Key,
        BaseUrl = _upstreamAddress.ToString(),
        MaxRetries = 0,
        Handlers = handler is null ? [] : [handler],
    });

    private static async Task Chat(AnthropicClient sdk, IServiceProvider services, bool streaming)
    {
        var chat = new ChatClientBuilder(sdk.AsIChatClient(Model)).UseClaudit().Build(services);
        var options = new ChatOptions { MaxOutputTokens = 512 }; // what the middleware alone knows of the request is what the options say
        if (streaming)
        {
            await foreach (var _ in chat.GetStreamingResponseAsync("One exchange, three ways in.", options))
            {
            }
        }
        else
        {
            await chat.GetResponseAsync("One exchange, three ways in.", options);
        }
    }

    private static async Task SendAsync(HttpClient http, string body, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var name in new[] { "x-api-key", "anthropic-version", "x-stainless-retry-count" })
        {
            if (headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsByteArrayAsync(); // read to the end, as an SDK does
    }

    private async Task<List<CallRecord>> ReadJournalAsync()
    {
        var records = new List<CallRecord>();
        foreach (var file in JsonlFiles.Expand([Path.Combine(_dataDir, "journal")]))
        {
            await foreach (var record in JsonlRecordReader.ReadFileAsync(file, new ReadStats()))
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>The record in the record format, less what depends on the moment or on the way in itself.</summary>
    private static string Comparable(CallRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        var json = JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
        foreach (var field in new[] { "id", "start_time", "source", "latency_ms", "ttft_ms", "ttfb_ms", "output_tokens_per_second" })
        {
            json.Remove(field);
        }

        return json.ToJsonString();
    }

    /// <summary>What only the HTTP exchange shows: its status, request id, organisation, rate limits, the body's prompt hash, the SDK's attempt number.</summary>
    private static string WithoutHttp(string comparable)
    {
        var json = JsonNode.Parse(comparable)!.AsObject();
        foreach (var field in new[] { "http_status", "request_id", "organization_id", "rate_limits", "prompt_hash" })
        {
            json.Remove(field);
        }

        if (json["tags"] is JsonObject tags)
        {
            tags.Remove("attempt");
            if (tags.Count == 0)
            {
                json.Remove("tags");
            }
        }

        return json.ToJsonString();
    }
}
