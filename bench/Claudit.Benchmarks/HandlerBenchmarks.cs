using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Instrumentation;
using Microsoft.Extensions.DependencyInjection;

namespace Claudit.Benchmarks;

/// <summary>
/// What <see cref="ClauditHandler"/> adds to a non-streaming call: the same request through an
/// <see cref="HttpMessageInvoker"/> over a canned-response handler, without and with Claudit (record
/// built, priced, queued to a sink that discards it). <see cref="ParseOnly"/> is the JSON parse of the
/// request and response the handler does, so the overhead excluding the parse is
/// <c>WithClaudit − Baseline − ParseOnly</c>. The streaming pair (<see cref="BaselineStreaming"/>,
/// <see cref="WithClauditStreaming"/>) does the same with a 20-delta SSE answer read to its end by the caller.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private static readonly Uri s_url = new("https://api.anthropic.com/v1/messages");
    private static readonly byte[] s_request = Encoding.UTF8.GetBytes(
        """{"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are terse.","messages":[{"role":"user","content":"Summarise the quarterly report in three bullet points."}]}""");
    private static readonly byte[] s_response = Encoding.UTF8.GetBytes(
        """{"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"- Revenue up 12%\n- Costs flat\n- Outlook raised"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":42,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":18,"service_tier":"standard"}}""");

    private static readonly byte[] s_streamRequest = Encoding.UTF8.GetBytes(
        """{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Summarise the quarterly report in three bullet points."}]}""");
    private static readonly byte[] s_stream = Encoding.UTF8.GetBytes(StreamOf(20));

    private HttpMessageInvoker _plain = null!;
    private HttpMessageInvoker _claudit = null!;
    private HttpMessageInvoker _noSink = null!;
    private ServiceProvider _withSink = null!;
    private ServiceProvider _withoutSink = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = new HttpMessageInvoker(new CannedHandler());
        _withSink = Services(o => o.QueueCapacity = 1 << 20, new DiscardSink());
        _withoutSink = Services(null);
        _claudit = new HttpMessageInvoker(Handler(_withSink));
        _noSink = new HttpMessageInvoker(Handler(_withoutSink));
    }

    /// <summary>The services an application has after <c>AddClaudit()</c>, with the given sink if any.</summary>
    private static ServiceProvider Services(Action<ClauditOptions>? options, IClauditSink? sink = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddClaudit(options);
        if (sink is not null)
        {
            builder.AddSink(sink);
        }

        return services.BuildServiceProvider();
    }

    private static ClauditHandler Handler(IServiceProvider services)
    {
        var handler = services.CreateClauditHandler();
        handler.InnerHandler = new CannedHandler();
        return handler;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _claudit.Dispose();
        _noSink.Dispose();
        _withSink.Dispose();
        _withoutSink.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<int> Baseline() => CallAsync(_plain);

    [Benchmark]
    public Task<int> WithClaudit() => CallAsync(_claudit);

    /// <summary>The same without a sink: the record is built and dropped, so the queue and its loop are not measured.</summary>
    [Benchmark]
    public Task<int> WithClauditNoSink() => CallAsync(_noSink);

    [Benchmark]
    public Task<int> BaselineStreaming() => CallAsync(_plain, stream: true);

    [Benchmark]
    public Task<int> WithClauditStreaming() => CallAsync(_claudit, stream: true);

    [Benchmark]
    public int ParseOnly()
    {
        var request = MessageRequestParser.Parse(s_request);
        var response = MessageResponseParser.Parse(s_response);
        return (request.MaxTokens ?? 0) + (int)(response.Usage?.OutputTokens ?? 0);
    }

    /// <summary>Core's part alone: the capture of the same call, from bytes and headers to a record, and its price.</summary>
    [Benchmark]
    public CallRecord CaptureOnly()
    {
        using var capture = new Claudit.Core.Capture.CallCapture(TimeProvider.System, CallSource.Library);
        capture.OnRequestBody(s_request);
        capture.OnResponseHeaders(200, static name => name switch
        {
            "request-id" => "req_011CSHoEeqs5C35K2UUqR7Fy",
            "anthropic-ratelimit-requests-remaining" => "3999",
            _ => null,
        });
        capture.OnResponseBody(s_response);
        return Claudit.Core.Pricing.CostCalculator.Default.Apply(capture.Complete(CallTags.Empty));
    }

    private static async Task<int> CallAsync(HttpMessageInvoker invoker, bool stream = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, s_url) { Content = new ByteArrayContent(stream ? s_streamRequest : s_request) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-bench");
        request.Headers.TryAddWithoutValidation("x-stainless-retry-count", "0");
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        if (!stream)
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            return body.Length;
        }

        // As an SDK reads a stream: chunk by chunk, to its end.
        await using var content = await response.Content.ReadAsStreamAsync();
        var buffer = s_readBuffer ??= new byte[4096];
        int read, total = 0;
        while ((read = await content.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    [ThreadStatic]
    private static byte[]? s_readBuffer;

    /// <summary>A Messages stream as the API sends it, with <paramref name="deltas"/> text deltas.</summary>
    private static string StreamOf(int deltas)
    {
        var sb = new StringBuilder();
        sb.Append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":42,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
        sb.Append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (var i = 0; i < deltas; i++)
        {
            sb.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Some words \"}}\n\n");
        }

        sb.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n");
        sb.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sb.ToString();
    }

    /// <summary>Answers every request with the same message, as the API would (with its usual headers).</summary>
    private sealed class CannedHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The two requests differ in length: the streaming one is answered with the stream.
            var stream = request.Content?.Headers.ContentLength == s_streamRequest.Length;
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(stream ? s_stream : s_response), RequestMessage = request };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", stream ? "text/event-stream" : "application/json");
            response.Headers.TryAddWithoutValidation("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
            response.Headers.TryAddWithoutValidation("anthropic-organization-id", "org_bench");
            response.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-limit", "4000");
            response.Headers.TryAddWithoutValidation("anthropic-ratelimit-requests-remaining", "3999");
            response.Headers.TryAddWithoutValidation("anthropic-ratelimit-tokens-limit", "2000000");
            response.Headers.TryAddWithoutValidation("anthropic-ratelimit-tokens-remaining", "1999000");
            return Task.FromResult(response);
        }
    }

    private sealed class DiscardSink : IClauditSink
    {
        public Task WriteAsync(IReadOnlyList<CallRecord> batch, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
