using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;
using Claudit.Mock;
using Claudit.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests;

/// <summary>Health and readiness, the access token, spans (in process and over OTLP) and what reaches the logs.</summary>
public sealed class GatewayOperationsTests : IAsyncLifetime
{
    // A fake key, split so that secret scanners do not mistake the source for a leak.
    private const string ApiKey = "sk-ant-api03-" + "operationstestkey-ZYXWVUTSRQPONMLKJIHGFEDCBA-0123456789";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-gateway-ops-").FullName;
    private MockServer _mock = null!;

    public async Task InitializeAsync() =>
        _mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 8, RateLimits = new RateLimitSettings { Enforced = false } });

    public async Task DisposeAsync()
    {
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private static HttpRequestMessage Message(string prompt, bool stream = false, string? fault = null, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"claude-haiku-4-5","max_tokens":1024,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        request.Headers.Add("Claudit-Session", "sess-ops");
        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        if (token is not null)
        {
            request.Headers.Add("Claudit-Token", token);
        }

        return request;
    }

    [Fact]
    public async Task Healthz_and_readyz_answer_and_readyz_counts_the_records()
    {
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir }, PriceTable.Default);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        using (var response = await http.SendAsync(Message("Count me")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        JsonElement ready = default;
        for (var i = 0; i < 100; i++)
        {
            using var response = await http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ready = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (ready.GetProperty("journaled").GetInt64() == 1)
            {
                break;
            }

            await Task.Delay(20);
        }

        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(1, ready.GetProperty("journaled").GetInt64());
        Assert.Equal(0, ready.GetProperty("journal_dropped").GetInt64());
    }

    [Fact]
    public async Task With_a_token_every_path_but_health_checks_needs_it()
    {
        const string token = "a-long-enough-access-token";
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, AccessToken = token }, PriceTable.Default);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using (var refused = await http.SendAsync(Message("No token")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("authentication_error", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = await http.SendAsync(Message("Wrong token", token: token + "x")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var allowed = await http.SendAsync(Message("Right token", token: token)))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        bearer.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task A_call_becomes_a_genai_span_in_the_callers_trace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ClauditTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir }, PriceTable.Default);
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        string requestId;
        using (var response = await http.SendAsync(Message("Trace me", stream: true)))
        {
            await response.Content.ReadAsByteArrayAsync();
            requestId = response.Headers.GetValues("request-id").Single();
        }

        Activity? span = null;
        for (var i = 0; i < 100 && span is null; i++)
        {
            span = spans.FirstOrDefault(s => (string?)s.GetTagItem(ClauditAttributes.RequestId) == requestId);
            await Task.Delay(10);
        }

        Assert.NotNull(span);
        Assert.Equal("chat claude-haiku-4-5", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", span.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", span.ParentSpanId.ToHexString());
        Assert.Equal("anthropic", span.GetTagItem(GenAiConventions.ProviderName));
        Assert.Equal("chat", span.GetTagItem(GenAiConventions.OperationName));
        Assert.Equal(true, span.GetTagItem(GenAiConventions.RequestStream));
        Assert.True((long)span.GetTagItem(GenAiConventions.UsageInputTokens)! > 0);
        Assert.True((long)span.GetTagItem(GenAiConventions.UsageOutputTokens)! > 0);
        Assert.NotNull(span.GetTagItem(GenAiConventions.UsageCacheReadTokens));
        Assert.NotNull(span.GetTagItem(GenAiConventions.UsageCacheWriteTokens));
        Assert.Equal(new[] { "end_turn" }, (string[])span.GetTagItem(GenAiConventions.ResponseFinishReasons)!);
        Assert.True((double)span.GetTagItem(ClauditAttributes.CostUsd)! > 0);
        Assert.NotNull(span.GetTagItem(GenAiConventions.ResponseTimeToFirstChunk));
        Assert.Equal("sess-ops", span.GetTagItem(GenAiConventions.ConversationId));
        Assert.True(span.Duration > TimeSpan.Zero);
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("sk-ant", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Spans_and_metrics_are_exported_over_otlp()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await StartCollectorAsync(received);
        var collectorAddress = new Uri(collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = _mock.BaseAddress, DataDirectory = _dataDir, OtlpEndpoint = collectorAddress }, PriceTable.Default);
        using (var http = new HttpClient { BaseAddress = gateway.BaseAddress })
        {
            using var response = await http.SendAsync(Message("Export me"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await gateway.DisposeAsync(); // shutting down flushes the exporters

        var traces = received.Where(r => r.Path == "/v1/traces").SelectMany(r => r.Body).ToArray();
        var metrics = received.Where(r => r.Path == "/v1/metrics").SelectMany(r => r.Body).ToArray();
        Assert.Contains("chat claude-haiku-4-5", Encoding.UTF8.GetString(traces), StringComparison.Ordinal);
        Assert.Contains(ClauditAttributes.CostUsd, Encoding.UTF8.GetString(traces), StringComparison.Ordinal);
        Assert.Contains(GenAiConventions.TokenUsageMetric, Encoding.UTF8.GetString(metrics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_reaches_neither_the_data_directory_nor_the_logs()
    {
        var logs = new ConcurrentQueue<string>();
        var gateway = await GatewayServer.StartAsync(
            new GatewayOptions
            {
                Port = 0,
                Upstream = _mock.BaseAddress,
                DataDirectory = _dataDir,
                ConfigureLogging = b => b.AddProvider(new CollectingLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace),
            },
            PriceTable.Default);
        using (var http = new HttpClient { BaseAddress = gateway.BaseAddress })
        {
            foreach (var (stream, fault) in new[] { (false, (string?)null), (true, null), (false, "rate_limit"), (true, "midstream_error"), (false, "reset"), (false, "api_error") })
            {
                using var response = await http.SendAsync(Message("Keep my secret", stream, fault));
                await response.Content.ReadAsByteArrayAsync();
            }

            using var unauthorised = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            unauthorised.Headers.Add("x-api-key", ApiKey + "-revoked");
            (await http.SendAsync(unauthorised)).Dispose();
        }

        await gateway.DisposeAsync();

        Assert.NotEmpty(logs); // the failed calls were logged, so the logs were looked at
        Assert.Contains(logs, l => l.Contains("rate_limit_error", StringComparison.Ordinal));
        var keyMaterial = ApiKey["sk-ant-api03-".Length..];
        Assert.DoesNotContain(logs, l => l.Contains(keyMaterial, StringComparison.Ordinal));
        var files = Directory.EnumerateFiles(_dataDir, "*", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.DoesNotContain(keyMaterial, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain("operationstestkey", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        }
    }

    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string, byte[])> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value!, body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        return app;
    }
}
