using Claudit.Core.Pricing;

namespace Claudit.Server.Tests.Support;

/// <summary>A real gateway on a free port over a fresh data directory (deleted on dispose), with a client pointed at it.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private TestGateway(string dataDir, GatewayServer server)
    {
        DataDir = dataDir;
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    public string DataDir { get; }

    public GatewayServer Server { get; }

    public HttpClient Http { get; }

    /// <summary>Starts one; with no upstream given, one that refuses connections (for tests of the gateway's own endpoints).</summary>
    public static async Task<TestGateway> StartAsync(Uri? upstream = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("claudit-gateway-").FullName;
        var server = await GatewayServer.StartAsync(new GatewayOptions { Port = 0, Upstream = upstream ?? new Uri("http://127.0.0.1:9"), DataDirectory = dataDir }, PriceTable.Default);
        return new TestGateway(dataDir, server);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(DataDir, recursive: true);
    }
}
