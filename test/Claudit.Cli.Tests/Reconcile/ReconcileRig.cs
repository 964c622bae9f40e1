using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Cli.Tests.Reconcile;

/// <summary>
/// The real parts a reconciliation runs against: the mock Anthropic API on a free port (it bills what it answers,
/// and serves the Admin reports from that), the gateway in front of it recording into a real DuckDB file, and one
/// clock both read, so a test can place calls on any UTC day. Calls go through the gateway or straight to the mock.
/// </summary>
internal sealed class ReconcileRig : IAsyncDisposable
{
    public const string AdminKey = "sk-ant-admin01-" + "reconcile-test-key-0123456789";
    public const string ApiKey = "sk-ant-api03-reconcile-test";

    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private GatewayServer? _gateway;

    private ReconcileRig(FakeTimeProvider time, MockServer mock)
    {
        Time = time;
        Mock = mock;
    }

    public FakeTimeProvider Time { get; }

    public MockServer Mock { get; }

    public string DataDir => _dir.Path;

    public Uri Gateway => _gateway!.BaseAddress;

    public static async Task<ReconcileRig> StartAsync(DateTimeOffset now, PriceTable? gatewayPrices = null, TimeSpan? batchProcessing = null)
    {
        var time = new FakeTimeProvider(now);
        var mock = await MockServer.StartAsync(new MockOptions
        {
            Port = 0,
            Profile = MockProfile.Fast,
            Seed = 15,
            RateLimits = new RateLimitSettings { Enforced = false },
            TimeProvider = time,
            BatchProcessingTime = batchProcessing ?? TimeSpan.FromSeconds(5),
        });
        var rig = new ReconcileRig(time, mock);
        rig._gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = mock.BaseAddress, DataDirectory = rig.DataDir, TimeProvider = time }, gatewayPrices ?? PriceTable.Default);
        return rig;
    }

    /// <summary>A Messages body: <paramref name="text"/> as the user turn, and what a test adds (system, tools, geo…).</summary>
    public static JsonObject Message(string model, string text, int maxTokens = 64) => new()
    {
        ["model"] = model,
        ["max_tokens"] = maxTokens,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
    };

    /// <summary>A system prompt long enough to cache, marked for a <paramref name="ttl"/> (5m or 1h) cache write.</summary>
    public static JsonArray CachedSystem(string seed, string ttl) => new(new JsonObject
    {
        ["type"] = "text",
        ["text"] = string.Concat(Enumerable.Repeat($"{seed}: the rules of this assistant, stated at length so the prompt can be cached. ", 120)),
        ["cache_control"] = new JsonObject { ["type"] = "ephemeral", ["ttl"] = ttl },
    });

    private int _throughGateway;

    /// <summary>Sends one call through the gateway (<paramref name="direct"/>: straight to the mock, around Claudit); returns the answer's usage.</summary>
    public async Task<JsonElement> SendAsync(JsonObject body, bool direct = false, bool stream = false, params (string Name, string Value)[] headers)
    {
        body = (JsonObject)body.DeepClone();
        body["stream"] = stream;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(direct ? Mock.BaseAddress : Gateway, "/v1/messages"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        if (!direct)
        {
            await JournaledAsync();
        }

        if (!stream)
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("usage").Clone();
        }

        // The last usage of a stream is the cumulative one (message_delta); input classes come with message_start.
        JsonElement? start = null, last = null;
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)))
        {
            var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
            if (data.GetProperty("type").GetString() == "message_start")
            {
                start = data.GetProperty("message").GetProperty("usage").Clone();
            }
            else if (data.TryGetProperty("usage", out var u))
            {
                last = u.Clone();
            }
        }

        return last ?? start!.Value;
    }

    public async Task<JsonElement> PostAsync(string path, string json, bool direct = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(direct ? Mock.BaseAddress : Gateway, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        if (!direct)
        {
            await JournaledAsync();
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Waits until the gateway journaled the call it just answered: it finishes the record right after the answer,
    /// and the test's clock must not jump before (the call would seem to have lasted days, and be refused as such).
    /// </summary>
    private async Task JournaledAsync()
    {
        _throughGateway++;
        for (var i = 0; i < 500 && _gateway!.Records.Written < _throughGateway; i++)
        {
            await Task.Delay(10);
        }
    }

    public async Task<string> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway, path));
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        await JournaledAsync();

        return text;
    }

    /// <summary>Stops the gateway (its queued records land in the store and the file is let go), so the CLI can read the store.</summary>
    public async Task StopGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    /// <summary><c>claudit reconcile --data-dir … --base-url mock</c> with the Admin key in the environment, JSON out.</summary>
    public async Task<(CliResult Result, JsonElement Json)> ReconcileAsync(params string[] args)
    {
        await StopGatewayAsync();
        var result = await Cli.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["ANTHROPIC_ADMIN_KEY"] = AdminKey },
            ["reconcile", "--data-dir", DataDir, "--base-url", Mock.BaseAddress.ToString(), "--format", "json", .. args]);
        Assert.True(result.ExitCode is 0 or 1, $"exit {result.ExitCode}: {result.Error}");
        return (result, JsonDocument.Parse(result.Out).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await StopGatewayAsync();
        await Mock.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }
}
