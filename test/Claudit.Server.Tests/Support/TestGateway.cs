using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Mock;
using Microsoft.Extensions.Logging;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// A real gateway in a temp data directory, in front of the real mock (fast profile) or of any upstream
/// address, with its log lines collected; calls shaped like an SDK's; the journal read back after a drain.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    // A fake key, split so that secret scanners do not mistake the source for a leak.
    public const string ApiKey = "sk-ant-api03-" + "testgatewaykey-0123456789abcdefghijklmnop";

    private readonly string _dataDir;
    private int _stopped;

    private TestGateway(string dataDir, MockServer? mock, GatewayServer gateway, ConcurrentQueue<LogLine> logs)
    {
        _dataDir = dataDir;
        Mock = mock;
        Server = gateway;
        Logs = logs;
        Http = new HttpClient { BaseAddress = gateway.BaseAddress };
    }

    public MockServer? Mock { get; }

    /// <summary>The gateway's data directory (journal, store, dead letters).</summary>
    public string DataDir => _dataDir;

    public GatewayServer Server { get; }

    public HttpClient Http { get; }

    /// <summary>What the gateway logged at Warning and above (the level <c>claudit serve</c> shows).</summary>
    public ConcurrentQueue<LogLine> Logs { get; }

    /// <summary>A gateway in front of a new mock, or of <paramref name="upstream"/> when given.</summary>
    public static async Task<TestGateway> StartAsync(Func<GatewayOptions, GatewayOptions>? configure = null, Uri? upstream = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-access-").FullName;
        var mock = upstream is null ? await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 23, RateLimits = new RateLimitSettings { Enforced = false } }) : null;
        var logs = new ConcurrentQueue<LogLine>();
        var options = new GatewayOptions
        {
            Port = 0,
            Upstream = upstream ?? mock!.BaseAddress,
            DataDirectory = dataDir,
            ConfigureLogging = b => b.AddProvider(new CollectingLoggerProvider(logs)).SetMinimumLevel(LogLevel.Warning),
        };
        var gateway = await GatewayServer.StartAsync(configure?.Invoke(options) ?? options, PriceTable.Default);
        return new TestGateway(dataDir, mock, gateway, logs);
    }

    /// <summary>A port nothing listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A Messages call as an SDK sends it: JSON, the key, the version header; no Origin, no Sec-Fetch-*.</summary>
    public static HttpRequestMessage Message(string prompt, bool stream = false, string? fault = null, string? token = null, params (string Name, string Value)[] headers)
    {
        var body = $$"""{"model":"claude-haiku-4-5","max_tokens":200,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        if (token is not null)
        {
            request.Headers.Add("Claudit-Token", token);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Stops the gateway (draining its queues) and reads every journaled record, oldest first.</summary>
    public async Task<List<CallRecord>> StopAndReadAsync()
    {
        await StopAsync();
        var records = new List<CallRecord>();
        foreach (var file in JsonlFiles.Expand([Path.Combine(_dataDir, "journal")]))
        {
            await foreach (var r in JsonlRecordReader.ReadFileAsync(file, new ReadStats()))
            {
                records.Add(r);
            }
        }

        return [.. records.OrderBy(r => r.StartTime).ThenBy(r => r.Id)];
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await Server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync();
        if (Mock is not null)
        {
            await Mock.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
