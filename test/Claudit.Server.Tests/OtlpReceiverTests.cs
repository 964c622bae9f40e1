using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Claudit.Core.Records;
using Claudit.Server.Tests.Support;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Claudit.Server.Tests;

/// <summary>
/// The OTLP receiver's protocol: protobuf and JSON, gzip, the OTLP error answer (400 with a google.rpc.Status),
/// partial success for spans that cannot be records, non-GenAI and nested spans counted and dropped, Claudit's
/// own spans never recorded twice, and a span sent again making no second record.
/// </summary>
public sealed class OtlpReceiverTests : IAsyncLifetime
{
    private RecordingGateway _gateway = null!;
    private HttpClient _otlp = null!;

    public async Task InitializeAsync()
    {
        _gateway = await RecordingGateway.StartAsync();
        _otlp = new HttpClient { BaseAddress = _gateway.Gateway.OtlpAddress };
    }

    public async Task DisposeAsync()
    {
        _otlp.Dispose();
        await _gateway.DisposeAsync();
    }

    [Fact]
    public async Task GenAiSpan_InProtobuf_BecomesAPricedRecord_OtherSpansAreCountedAndDropped()
    {
        var request = Request(
            Span("aa", null, ("gen_ai.provider.name", "anthropic"), ("gen_ai.operation.name", "chat"), ("gen_ai.request.model", "claude-sonnet-4-5"),
                ("gen_ai.usage.input_tokens", 5100L), ("gen_ai.usage.cache_read.input_tokens", 4000L), ("gen_ai.usage.cache_write.input_tokens", 1000L),
                ("gen_ai.usage.output_tokens", 300L), ("user.id", "user-7"), ("gen_ai.response.finish_reasons", new[] { "length" })),
            Span("bb", null, ("http.request.method", "GET"), ("url.full", "https://example.com/")),
            Span("cc", null, ("gen_ai.provider.name", "openai"), ("gen_ai.request.model", "gpt-5"), ("gen_ai.usage.input_tokens", 10L)));
        var response = await PostAsync(request.ToByteArray(), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(answer.PartialSuccess);

        var record = Assert.Single(await _gateway.WaitForRecordsAsync(1));
        Assert.Equal(CallSource.Otlp, record.Source);
        Assert.Equal((100L, 1000L, 4000L, 300L), (record.Usage!.InputTokens, record.Usage.CacheCreationInputTokens, record.Usage.CacheReadInputTokens, record.Usage.OutputTokens));
        Assert.Equal(Core.Pricing.CostCalculator.Default.Price("claude-sonnet-4-5", record.Usage).TotalUsd, record.Cost!.TotalUsd);
        Assert.Equal("user-7", record.Tags.User);
        Assert.Equal("otlp-test", record.Tags.Feature); // service.name
        Assert.Equal("max_tokens", record.StopReason); // the conventions' "length", as Anthropic names it
        var ready = await _gateway.GetJsonAsync("/readyz");
        Assert.Equal((3L, 1L, 2L), (ready["otlp"]!["spans"]!.GetValue<long>(), ready["otlp"]!["recorded"]!.GetValue<long>(), ready["otlp"]!["not_genai"]!.GetValue<long>()));
        Assert.Contains("claudit_otlp_spans_total{", await _gateway.Http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task GzipJson_IsRead_AndASpanSentTwiceMakesOneRecord()
    {
        var json = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-app"}}]},
              "scopeSpans":[{"scope":{"name":"some.instrumentation"},"spans":[{
                "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","name":"chat claude-haiku-4-5","kind":3,
                "startTimeUnixNano":"{{{Nanos(DateTimeOffset.UtcNow.AddSeconds(-2))}}}","endTimeUnixNano":{{{Nanos(DateTimeOffset.UtcNow)}}},
                "attributes":[{"key":"gen_ai.system","value":{"stringValue":"anthropic"}},{"key":"gen_ai.request.model","value":{"stringValue":"claude-haiku-4-5"}},
                  {"key":"gen_ai.usage.input_tokens","value":{"intValue":"120"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":40}},
                  {"key":"session.id","value":{"stringValue":"sess-9"}}],
                "status":{"code":2,"message":"overloaded"}}]}]}]}
            """;
        for (var i = 0; i < 2; i++)
        {
            using var gz = new MemoryStream();
            await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(Encoding.UTF8.GetBytes(json));
            }

            var response = await PostAsync(gz.ToArray(), "application/json", gzip: true);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject()); // no partial success
        }

        await Task.Delay(600);
        // The journal keeps what arrived (twice); the store, which reports and the dashboard read, holds it once.
        var journaled = await _gateway.WaitForRecordsAsync(1);
        var record = Assert.Single(journaled.DistinctBy(r => r.Id));
        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal("5b8efff798038103d269b633813fc60c", record.Tags.TraceId);
        Assert.Equal("sess-9", record.Tags.Session);
        Assert.Equal(120, record.Usage!.InputTokens);
        Assert.Equal(1, await _gateway.Gateway.Store.CountAsync());
    }

    [Fact]
    public async Task MalformedPayloads_GetTheOtlpErrorAnswer()
    {
        var protobuf = await PostAsync([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], "application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, protobuf.StatusCode);
        var status = Claudit.Server.Otlp.Rpc.Status.Parser.ParseFrom(await protobuf.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, status.Code);
        Assert.StartsWith("not an OTLP ExportTraceServiceRequest (protobuf)", status.Message);

        var json = await PostAsync(Encoding.UTF8.GetBytes("{\"resourceSpans\": [ {"), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        var body = JsonNode.Parse(await json.Content.ReadAsStringAsync())!;
        Assert.Equal(3, body["code"]!.GetValue<int>());

        var gzip = await PostAsync(Encoding.UTF8.GetBytes("not gzip at all"), "application/json", gzip: true);
        Assert.Equal(HttpStatusCode.BadRequest, gzip.StatusCode);

        var text = await PostAsync(Encoding.UTF8.GetBytes("hello"), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Contains("Content-Type must be application/x-protobuf or application/json", JsonNode.Parse(await text.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        Assert.Equal(4, (await _gateway.GetJsonAsync("/readyz"))["otlp"]!["bad_requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task SpansThatCannotBeRecords_AreAPartialSuccess_NestedAndOwnSpansAreDropped()
    {
        var request = Request(
            // A GenAI span with usage but no model: rejected, named.
            Span("d1", null, ("gen_ai.provider.name", "anthropic"), ("gen_ai.usage.input_tokens", 10L), ("gen_ai.usage.output_tokens", 5L)),
            // A wrapper (M.E.AI-like) around the SDK's span: only the inner one is the call.
            Span("e1", null, ("gen_ai.provider.name", "anthropic"), ("gen_ai.request.model", "claude-sonnet-4-5"), ("gen_ai.usage.input_tokens", 50L), ("gen_ai.usage.output_tokens", 9L)),
            Span("e2", "e1", ("gen_ai.provider.name", "anthropic"), ("gen_ai.request.model", "claude-sonnet-4-5"), ("gen_ai.usage.input_tokens", 50L), ("gen_ai.usage.output_tokens", 9L)),
            // A span Claudit emitted itself (its call is a record already).
            Span("f1", null, ("gen_ai.provider.name", "anthropic"), ("gen_ai.request.model", "claude-sonnet-4-5"), ("gen_ai.usage.input_tokens", 7L), ("claudit.call.id", Guid.NewGuid().ToString())),
            // Absurd counts: beyond RecordValidator.MaxTokens.
            Span("c1", null, ("gen_ai.provider.name", "anthropic"), ("gen_ai.request.model", "claude-sonnet-4-5"), ("gen_ai.usage.input_tokens", 50_000_000_000L)));
        var response = await PostAsync(request.ToByteArray(), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, answer.PartialSuccess.RejectedSpans);
        Assert.Contains("without gen_ai.request.model", answer.PartialSuccess.ErrorMessage);

        var record = Assert.Single(await _gateway.WaitForRecordsAsync(1));
        Assert.Equal(SpanId("e2"), record.Tags.SpanId);
        var otlp = (await _gateway.GetJsonAsync("/readyz"))["otlp"]!;
        Assert.Equal((1L, 1L, 1L, 2L), (otlp["recorded"]!.GetValue<long>(), otlp["nested"]!.GetValue<long>(), otlp["not_genai"]!.GetValue<long>(), otlp["rejected"]!.GetValue<long>()));
    }

    [Fact]
    public async Task With_tokens_only_an_ingest_token_may_send_spans_and_a_pinned_tenant_is_recorded()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with { Tokens = TestTokens.File.Tokens, OtlpPort = 0 });
        using var otlp = new HttpClient { BaseAddress = gateway.Server.OtlpAddress };
        async Task<HttpStatusCode> Send(string id, params (string Name, string Value)[] headers)
        {
            using var content = new ByteArrayContent(Request(Span(id, null, ("gen_ai.provider.name", "anthropic"), ("gen_ai.request.model", "claude-sonnet-4-5"),
                ("gen_ai.usage.input_tokens", 100L), ("gen_ai.usage.output_tokens", 10L), ("tenant.id", "globex"))).ToByteArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = content };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await otlp.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Send("a1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Send("a2", ("Authorization", "Bearer not-a-token-of-this-gateway")));
        Assert.Equal(HttpStatusCode.Forbidden, await Send("a3", ("Authorization", "Bearer " + TestTokens.Reader)));
        Assert.Equal(HttpStatusCode.OK, await Send("a4", ("Authorization", "Bearer " + TestTokens.AcmeSender)));
        Assert.Equal(HttpStatusCode.OK, await Send("a5", ("Claudit-Token", TestTokens.Sender)));

        var records = await gateway.StopAndReadAsync();
        Assert.Equal([SpanId("a4"), SpanId("a5")], records.Select(r => r.Tags.SpanId).Order());
        Assert.Equal("acme", records.Single(r => r.Tags.SpanId == SpanId("a4")).Tags.Tenant); // pinned by the token
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType, bool gzip = false)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return await _otlp.PostAsync("/v1/traces", content);
    }

    private static ExportTraceServiceRequest Request(params Span[] spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "test.instrumentation" } };
        scope.Spans.AddRange(spans);
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "otlp-test" } });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    private static Span Span(string id, string? parent, params (string Key, object Value)[] attributes)
    {
        var now = DateTimeOffset.UtcNow;
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString("0af7651916cd43dd8448eb211c80319c")),
            SpanId = ByteString.CopyFrom(Convert.FromHexString(SpanId(id))),
            Name = "chat",
            Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Client,
            StartTimeUnixNano = Nanos(now.AddSeconds(-1)),
            EndTimeUnixNano = Nanos(now),
        };
        if (parent is not null)
        {
            span.ParentSpanId = ByteString.CopyFrom(Convert.FromHexString(SpanId(parent)));
        }

        foreach (var (key, value) in attributes)
        {
            var any = value switch
            {
                string s => new AnyValue { StringValue = s },
                long l => new AnyValue { IntValue = l },
                string[] array => new AnyValue { ArrayValue = new ArrayValue { Values = { array.Select(a => new AnyValue { StringValue = a }) } } },
                _ => throw new ArgumentException(key),
            };
            span.Attributes.Add(new KeyValue { Key = key, Value = any });
        }

        return span;
    }

    private static string SpanId(string id) => id.PadLeft(16, '0');

    private static ulong Nanos(DateTimeOffset time) => (ulong)(time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
