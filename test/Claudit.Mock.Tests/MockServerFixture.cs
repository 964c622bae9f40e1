using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;

namespace Claudit.Mock.Tests;

/// <summary>
/// One mock (seed 7, fast profile, 127.0.0.1 on a free port) shared by a test class. Tests that need
/// fresh state (caches, buckets, sequence numbers) start their own with <see cref="MockHost.StartAsync"/>.
/// Tests sharing this one use prompts of their own, so the prompt cache never links them.
/// </summary>
public sealed class MockServerFixture : IAsyncLifetime
{
    private MockHost? _host;

    public MockServer Server => _host!.Server;

    public MockClient Client => _host!.Client;

    public async Task InitializeAsync() => _host = await MockHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>A mock server with a client pointed at it.</summary>
public sealed class MockHost : IAsyncDisposable
{
    private MockHost(MockServer server)
    {
        Server = server;
        Client = new MockClient(server.BaseAddress);
    }

    public MockServer Server { get; }

    public MockClient Client { get; }

    public static MockOptions DefaultOptions => new() { Port = 0, Profile = MockProfile.Fast, Seed = 7 };

    public static async Task<MockHost> StartAsync(Func<MockOptions, MockOptions>? configure = null)
    {
        var options = configure is null ? DefaultOptions : configure(DefaultOptions);
        Assert.Equal("127.0.0.1", options.Host);
        var server = await MockServer.StartAsync(options);
        Assert.Equal("127.0.0.1", server.BaseAddress.Host); // loopback only
        return new MockHost(server);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Raw HTTP against the mock: the bytes as they came, so tests can check the wire format.</summary>
public sealed class MockClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseAddress => baseAddress;

    public Task<MockReply> MessagesAsync(JsonObject body, string? fault = null) =>
        PostAsync("/v1/messages", body.ToJsonString(), fault);

    public Task<MockReply> CountTokensAsync(JsonObject body) =>
        PostAsync("/v1/messages/count_tokens", body.ToJsonString());

    public async Task<MockReply> PostAsync(string path, string body, string? fault = null, bool apiKey = true, bool version = true, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (apiKey)
        {
            request.Headers.Add("x-api-key", Keys.Api);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (version)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        return await SendAsync(request);
    }

    /// <summary>Any method and path, authenticated with <paramref name="apiKey"/> (none when null), with extra headers.</summary>
    public async Task<MockReply> RequestAsync(HttpMethod method, string path, string? body = null, string? apiKey = Keys.Api, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        request.Headers.Add("anthropic-version", "2023-06-01");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await SendAsync(request);
    }

    public Task<MockReply> GetAsync(string path, string? apiKey = Keys.Api, params (string Name, string Value)[] headers) =>
        RequestAsync(HttpMethod.Get, path, null, apiKey, headers);

    /// <summary>An Admin API call (usage and cost reports) with an Admin key.</summary>
    public Task<MockReply> AdminAsync(string pathAndQuery, params (string Name, string Value)[] headers) =>
        RequestAsync(HttpMethod.Get, pathAndQuery, null, Keys.Admin, headers);

    public async Task<MockReply> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new MockReply(response.StatusCode, Flatten(response.Headers, response.Content.Headers), response.Content.Headers.ContentType, bytes);
    }

    private static Dictionary<string, string> Flatten(HttpResponseHeaders headers, HttpContentHeaders content)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers.Concat(content))
        {
            all[name] = string.Join(",", values);
        }

        return all;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One response, fully read.</summary>
public sealed record MockReply(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, MediaTypeHeaderValue? ContentType, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string RequestId => Header(RateLimitHeaders.RequestId) ?? throw new Xunit.Sdk.XunitException("no request-id header");

    public RateLimitSnapshot? RateLimits(DateTimeOffset? now = null) => RateLimitHeaders.Parse(Header, now);

    /// <summary>The whole-body view through Claudit's own parser.</summary>
    public MessageObservation Parsed => MessageResponseParser.Parse(Body);

    /// <summary>The stream through Claudit's own observer, fed in chunks of <paramref name="chunk"/> bytes.</summary>
    public MessageObservation Observe(int chunk = 97)
    {
        using var observer = new MessageStreamObserver();
        for (var i = 0; i < Body.Length; i += chunk)
        {
            observer.Feed(Body.AsSpan(i, Math.Min(chunk, Body.Length - i)), timestamp: i);
        }

        return observer.Complete();
    }

    public IReadOnlyList<SseEvent> Events => Sse.Parse(Text);

    public JsonElement Usage => Json.GetProperty("usage");

    /// <summary>Asserts an Anthropic error body: status, <c>error.type</c>, and <c>request_id</c> equal to the header.</summary>
    public JsonElement AssertError(HttpStatusCode status, string type)
    {
        Assert.Equal(status, Status);
        Assert.Equal("application/json", ContentType?.MediaType);
        var json = Json;
        Assert.Equal("error", json.GetProperty("type").GetString());
        var error = json.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        var requestId = json.GetProperty("request_id").GetString();
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal(requestId, RequestId);
        Assert.Equal(AnthropicMock.OrganizationId, Header(RateLimitHeaders.OrganizationId));

        // Claudit's parser reads the same facts from the body.
        var parsed = Parsed;
        Assert.Equal(type, parsed.ErrorType);
        Assert.Equal(requestId, parsed.RequestId);
        Assert.False(parsed.Complete);
        return error;
    }
}

/// <summary>One SSE event as framed on the wire: <c>event: NAME</c> then <c>data: JSON</c>.</summary>
public sealed record SseEvent(string Name, string Data)
{
    public JsonElement Json
    {
        get
        {
            using var doc = JsonDocument.Parse(Data);
            return doc.RootElement.Clone();
        }
    }

    public int Index => Json.GetProperty("index").GetInt32();
}

public static class Sse
{
    /// <summary>Splits a stream into events, asserting the framing of the reference on the way.</summary>
    public static IReadOnlyList<SseEvent> Parse(string text)
    {
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var events = new List<SseEvent>();
        foreach (var frame in text[..^2].Split("\n\n"))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var e = new SseEvent(lines[0]["event: ".Length..], lines[1]["data: ".Length..]);
            // Every data line is one JSON object whose type repeats the event name.
            Assert.Equal(JsonValueKind.Object, e.Json.ValueKind);
            Assert.Equal(e.Name, e.Json.GetProperty("type").GetString());
            events.Add(e);
        }

        return events;
    }

    /// <summary>The blocks a client rebuilds from the deltas: type, start payload, and accumulated fields.</summary>
    public static IReadOnlyList<StreamedBlock> Blocks(IReadOnlyList<SseEvent> events)
    {
        var blocks = new List<StreamedBlock>();
        foreach (var e in events)
        {
            switch (e.Name)
            {
                case "content_block_start":
                    var start = e.Json.GetProperty("content_block");
                    Assert.Equal(blocks.Count, e.Index);
                    blocks.Add(new StreamedBlock(start.GetProperty("type").GetString()!, start));
                    break;
                case "content_block_delta":
                    var delta = e.Json.GetProperty("delta");
                    var block = blocks[e.Index];
                    var type = delta.GetProperty("type").GetString()!;
                    block.DeltaTypes.Add(type);
                    switch (type)
                    {
                        case "text_delta": block.Text.Append(delta.GetProperty("text").GetString()); break;
                        case "thinking_delta": block.Thinking.Append(delta.GetProperty("thinking").GetString()); break;
                        case "signature_delta": block.Signature.Append(delta.GetProperty("signature").GetString()); break;
                        case "input_json_delta": block.PartialJson.Add(delta.GetProperty("partial_json").GetString()!); break;
                        default: break;
                    }

                    break;
                default:
                    break;
            }
        }

        return blocks;
    }
}

public sealed record StreamedBlock(string Type, JsonElement Start)
{
    public StringBuilder Text { get; } = new();
    public StringBuilder Thinking { get; } = new();
    public StringBuilder Signature { get; } = new();
    public List<string> PartialJson { get; } = [];
    public List<string> DeltaTypes { get; } = [];
}

/// <summary>The keys tests authenticate with.</summary>
public static class Keys
{
    /// <summary>The key <see cref="MockClient.PostAsync"/> sends.</summary>
    public const string Api = "sk-ant-test-key";

    public const string Admin = "sk-ant-admin01-test-admin-key";
}

/// <summary>Request bodies.</summary>
public static class Requests
{
    public const string Model = "claude-sonnet-4-5";

    public static JsonObject Message(string text, string model = Model, long maxTokens = 1024, bool stream = false)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = maxTokens,
            ["messages"] = new JsonArray(User(text)),
        };
        if (stream)
        {
            body["stream"] = true;
        }

        return body;
    }

    public static JsonObject User(string text) => new() { ["role"] = "user", ["content"] = text };

    public static JsonObject Streaming(this JsonObject body)
    {
        var copy = (JsonObject)body.DeepClone();
        copy["stream"] = true;
        return copy;
    }

    public static JsonObject With(this JsonObject body, string name, JsonNode? value)
    {
        var copy = (JsonObject)body.DeepClone();
        copy[name] = value;
        return copy;
    }

    public static JsonObject Without(this JsonObject body, string name)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove(name);
        return copy;
    }

    /// <summary>About <paramref name="tokens"/> tokens of text (the mock counts ~4 characters a token), unique to <paramref name="salt"/>.</summary>
    public static string Filler(int tokens, string salt)
    {
        var sb = new StringBuilder(tokens * 4);
        sb.Append(salt).Append(": ");
        var i = 0;
        while (sb.Length < tokens * 4)
        {
            sb.Append("lorem ipsum ").Append(i++).Append(' ');
        }

        return sb.ToString(0, tokens * 4);
    }

    public static JsonObject CacheControl(string? ttl = null)
    {
        var cc = new JsonObject { ["type"] = "ephemeral" };
        if (ttl is not null)
        {
            cc["ttl"] = ttl;
        }

        return cc;
    }

    public static JsonObject TextBlock(string text, JsonObject? cacheControl = null)
    {
        var block = new JsonObject { ["type"] = "text", ["text"] = text };
        if (cacheControl is not null)
        {
            block["cache_control"] = cacheControl;
        }

        return block;
    }

    /// <summary>A request whose system prompt (about <paramref name="systemTokens"/> tokens) is a cache breakpoint.</summary>
    public static JsonObject CachedSystem(string salt, int systemTokens, string question = "Summarise the document.", string model = Model, string? ttl = null)
    {
        var body = Message(question, model);
        body["system"] = new JsonArray(TextBlock(Filler(systemTokens, salt), CacheControl(ttl)));
        return body;
    }

    public static JsonObject WeatherTool() => JsonNode.Parse("""
        {
          "name": "get_weather",
          "description": "Current weather for a city.",
          "input_schema": {
            "type": "object",
            "properties": {
              "city": { "type": "string", "description": "City name" },
              "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] },
              "days": { "type": "integer" },
              "detailed": { "type": "boolean" }
            },
            "required": ["city"]
          }
        }
        """)!.AsObject();

    public static JsonObject ClockTool() => JsonNode.Parse("""
        {
          "name": "get_time",
          "description": "Current time in a time zone.",
          "input_schema": { "type": "object", "properties": { "zone": { "type": "string" } }, "required": ["zone"] }
        }
        """)!.AsObject();
}
