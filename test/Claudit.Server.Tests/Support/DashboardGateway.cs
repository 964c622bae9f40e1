using System.Text.Json;
using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Server.Tests.Support;

/// <summary>A real gateway on a stopped clock over a temp directory, filled with known records, for the dashboard API's tests; its JSON answers read with <see cref="GetAsync"/>.</summary>
internal sealed class DashboardGateway : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("claudit-dashboard-api-").FullName;

    public GatewayServer Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public static async Task<DashboardGateway> StartAsync(DateTimeOffset now, IReadOnlyList<CallRecord> records, decimal? dailyBudget = null)
    {
        var d = new DashboardGateway();
        d.Gateway = await GatewayServer.StartAsync(
            new GatewayOptions { Port = 0, Upstream = new Uri("http://127.0.0.1:9"), DataDirectory = d._dataDir, TimeProvider = new FakeTimeProvider(now), DailyBudgetUsd = dailyBudget }, PriceTable.Default);
        d.Http = new HttpClient { BaseAddress = d.Gateway.BaseAddress };
        await d.Gateway.Store.AppendAsync(records);
        return d;
    }

    /// <summary>The answer's JSON; fails the test, with the body, when it is not a success.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
