using System.Text;
using Claudit.Core.Pricing;
using Claudit.Mock;

namespace Claudit.Server.Tests.Support;

/// <summary>
/// The real gateway in front of the real mock (fast profile), with a known set of calls sent through
/// it so that <c>/metrics</c> has every series: non-streaming and streaming successes and an
/// overloaded (529) failure, all for <see cref="Model"/> and all naming a user that must never become a label.
/// </summary>
internal sealed class MeteredGateway : IAsyncDisposable
{
    public const string Model = "claude-haiku-4-5";
    public const string User = "user-should-not-be-a-label";

    private readonly string _dataDir;
    private readonly MockServer _mock;
    private readonly GatewayServer _gateway;

    private MeteredGateway(string dataDir, MockServer mock, GatewayServer gateway)
    {
        _dataDir = dataDir;
        _mock = mock;
        _gateway = gateway;
        Http = new HttpClient { BaseAddress = gateway.BaseAddress };
    }

    public HttpClient Http { get; }

    /// <summary><c>host:port</c> of the gateway, as a Prometheus target.</summary>
    public string Target => $"{_gateway.BaseAddress.Host}:{_gateway.BaseAddress.Port}";

    public static async Task<MeteredGateway> StartAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-prom-").FullName;
        var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, Seed = 17 });
        var gateway = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = mock.BaseAddress, DataDirectory = dataDir }, PriceTable.Default);
        return new MeteredGateway(dataDir, mock, gateway);
    }

    /// <summary>Sends one call (to <see cref="Model"/> unless another is named) and returns its HTTP status.</summary>
    public async Task<int> SendAsync(bool stream, string? fault = null, string model = Model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":120,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"How many tokens is this?"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-" + "prometheus-test");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("Claudit-User", User);
        if (fault is not null)
        {
            request.Headers.Add(MockFaults.Header, fault);
        }

        using var response = await Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    }

    /// <summary>Two non-streaming and one streaming success, then one overloaded failure.</summary>
    public async Task SendStandardCallsAsync()
    {
        Assert.Equal(200, await SendAsync(stream: false));
        Assert.Equal(200, await SendAsync(stream: false));
        Assert.Equal(200, await SendAsync(stream: true));
        Assert.Equal(529, await SendAsync(stream: false, fault: "overloaded"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _gateway.DisposeAsync();
        await _mock.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
