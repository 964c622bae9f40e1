using System.Net;
using System.Text;
using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Mock;
using Claudit.Store.DuckDb;

namespace Claudit.Server.Tests;

/// <summary>The real gateway in front of the real mock, recording into a real journal.</summary>
public sealed class GatewayEndToEndTests : IAsyncLifetime
{
    // A fake key, split so that secret scanners do not mistake the source for a leak.
    private const string ApiKey = "sk-ant-api03-" + "gatewaytestkey-0123456789abcdefghijklmnopqrstuvwxyz";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-gateway-tests-").FullName;
    private MockServer _mock = null!;
    private GatewayServer _gateway = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 11, RateLimits = new RateLimitSettings { Enforced = false } });
        _gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir }, PriceTable.Default);
        _http = new HttpClient { BaseAddress = _gateway.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gateway.DisposeAsync();
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static HttpRequestMessage Message(string prompt, bool stream, string? fault = null, string model = "claude-haiku-4-5", (string, string)[]? headers = null)
    {
        var body = $$"""{"model":"{{model}}","max_tokens":300,"stream":{{(stream ? "true" : "false")}},"metadata":{"user_id":"meta-user"},"messages":[{"role":"user","content":"{{prompt}}"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    private async Task<List<CallRecord>> StopAndReadRecordsAsync()
    {
        await _gateway.DisposeAsync(); // drains the pipeline
        var records = new List<CallRecord>();
        var stats = new ReadStats();
        foreach (var file in JsonlFiles.Expand([Path.Combine(_dataDir, "journal")]))
        {
            await foreach (var r in JsonlRecordReader.ReadFileAsync(file, stats))
            {
                records.Add(r);
            }
        }

        Assert.Equal(0, stats.SkippedLines);
        return records;
    }

    private static string RecordJson(CallRecord record)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            Claudit.Core.Serialization.CallRecordJsonWriter.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task Concurrent_mixed_calls_give_one_record_each_with_the_tokens_the_upstream_sent()
    {
        const int calls = 40;
        var seen = await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            using var request = Message($"Question number {i} about observability", stream: i % 2 == 0);
            using var response = await _http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var requestId = response.Headers.GetValues("request-id").Single();
            MessageObservation observed;
            if (i % 2 == 0)
            {
                using var observer = new MessageStreamObserver();
                observer.Feed(bytes);
                observed = observer.Complete();
            }
            else
            {
                observed = MessageResponseParser.Parse(bytes);
            }

            return (RequestId: requestId, Usage: observed.Usage!, Stream: i % 2 == 0);
        }));

        var records = await StopAndReadRecordsAsync();
        await using var store = DuckDbCallStore.Open(Path.Combine(_dataDir, DuckDbCallStore.FileName), readOnly: true);

        Assert.Equal(calls, records.Count);
        Assert.Equal(calls, await store.CountAsync());
        foreach (var (requestId, usage, stream) in seen)
        {
            var journaled = Assert.Single(records, r => r.RequestId == requestId);
            var record = await store.GetCallAsync(journaled.Id);
            Assert.NotNull(record);
            Assert.Equal(RecordJson(journaled), RecordJson(record)); // the same record, as the record format writes it
            Assert.Equal(usage.InputTokens, record.Usage!.InputTokens);
            Assert.Equal(usage.OutputTokens, record.Usage.OutputTokens);
            Assert.Equal(usage.CacheReadInputTokens, record.Usage.CacheReadInputTokens);
            Assert.Equal(stream, record.Streaming);
            Assert.Equal(CallStatus.Ok, record.Status);
            Assert.True(record.Cost!.Priced);
            Assert.Equal("meta-user", record.Tags.User);
            Assert.Equal(CallSource.Gateway, record.Source);
            if (stream)
            {
                Assert.NotNull(record.TtftMs);
            }
        }
    }

    [Fact]
    public async Task A_stream_is_forwarded_byte_for_byte()
    {
        // A second mock with the same seed answers the same first request with the same bytes.
        await using var direct = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 11, RateLimits = new RateLimitSettings { Enforced = false } });
        using var directClient = new HttpClient { BaseAddress = direct.BaseAddress };
        using var viaGateway = Message("Stream me", stream: true);
        using var straight = Message("Stream me", stream: true);

        var proxied = await (await _http.SendAsync(viaGateway)).Content.ReadAsByteArrayAsync();
        var original = await (await directClient.SendAsync(straight)).Content.ReadAsByteArrayAsync();

        Assert.True(original.Length > 500);
        Assert.Equal(original, proxied);
    }

    [Theory]
    [InlineData("rate_limit", false, 429, ErrorTypes.RateLimit)]
    [InlineData("overloaded", false, 529, ErrorTypes.Overloaded)]
    [InlineData("api_error", true, 500, ErrorTypes.Api)]
    [InlineData("midstream_error", true, 200, ErrorTypes.Overloaded)]
    [InlineData("truncate", true, 200, ErrorTypes.StreamTruncated)]
    [InlineData("reset", false, 502, ErrorTypes.Connection)]
    public async Task Faults_are_recorded_with_their_types(string fault, bool stream, int status, string errorType)
    {
        using var request = Message("Fail please", stream, fault);
        using var response = await _http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(status, (int)response.StatusCode);

        var record = Assert.Single(await StopAndReadRecordsAsync());

        Assert.Equal(CallStatus.Error, record.Status);
        Assert.Equal(errorType, record.Error!.Type);
        Assert.Equal(status == 502 ? null : status, record.HttpStatus);
    }

    [Fact]
    public async Task Tag_headers_become_tags_and_the_api_key_is_written_nowhere()
    {
        using var request = Message("Tag me", stream: false, headers:
        [
            ("Claudit-User", "u-7"), ("Claudit-Tenant", "acme"), ("Claudit-Feature", "summarise"), ("Claudit-Session", "s-1"),
            ("Claudit-Property-Plan", "pro"), ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("x-stainless-retry-count", "1"),
        ]);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = Assert.Single(await StopAndReadRecordsAsync());

        Assert.Equal("u-7", record.Tags.User);
        Assert.Equal("acme", record.Tags.Tenant);
        Assert.Equal("summarise", record.Tags.Feature);
        Assert.Equal("s-1", record.Tags.Session);
        Assert.Equal("pro", record.Tags.Properties!["Plan"]);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", record.Tags.TraceId);
        Assert.Equal("b7ad6b7169203331", record.Tags.SpanId);
        Assert.Equal(1, record.Tags.Attempt);
        foreach (var file in Directory.EnumerateFiles(_dataDir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("sk-ant-api03", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Malformed_request_json_is_forwarded_and_still_recorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{oops", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var record = Assert.Single(await StopAndReadRecordsAsync());

        Assert.Equal(ErrorTypes.InvalidRequest, record.Error!.Type);
        Assert.Equal(400, record.HttpStatus);
        Assert.NotNull(record.RequestId);
    }
}
