using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Claudit.Mock;

/// <summary>The mock on Kestrel: <c>claudit mock</c> runs it; tests start one in-process on a free port.</summary>
public sealed class MockServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MockServer(WebApplication app, AnthropicMock mock, Uri baseAddress, Uri? h2cAddress)
    {
        _app = app;
        Mock = mock;
        BaseAddress = baseAddress;
        H2cAddress = h2cAddress;
    }

    /// <summary>Where to point an SDK (<c>ANTHROPIC_BASE_URL</c>).</summary>
    public Uri BaseAddress { get; }

    public AnthropicMock Mock { get; }

    /// <summary>The same API over cleartext HTTP/2 with prior knowledge (<see cref="MockOptions.H2cPort"/>); null without one.</summary>
    public Uri? H2cAddress { get; }

    public static async Task<MockServer> StartAsync(MockOptions options, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ArgumentException($"--host must be an IP address, not '{options.Host}'", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? h2c = null;
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, options.Port);
            if (options.H2cPort is { } h2cPort)
            {
                k.Listen(address, h2cPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    h2c = listen;
                });
            }

            k.Limits.MaxRequestBodySize = MockRequestReader.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        var mock = new AnthropicMock(options);
        var app = builder.Build();
        app.MapPost("/v1/messages", mock.HandleMessagesAsync);
        app.MapPost("/v1/messages/count_tokens", mock.HandleCountTokensAsync);
        app.MapGet("/v1/models", mock.HandleModelsAsync);
        app.MapGet("/v1/models/{id}", mock.HandleModelAsync);
        app.MapPost("/v1/messages/batches", mock.HandleBatchCreateAsync);
        app.MapGet("/v1/messages/batches", mock.HandleBatchesAsync);
        app.MapGet("/v1/messages/batches/{id}", mock.HandleBatchAsync);
        app.MapDelete("/v1/messages/batches/{id}", mock.HandleBatchDeleteAsync);
        app.MapPost("/v1/messages/batches/{id}/cancel", mock.HandleBatchCancelAsync);
        app.MapGet("/v1/messages/batches/{id}/results", mock.HandleBatchResultsAsync);
        app.MapGet("/v1/organizations/usage_report/messages", mock.HandleUsageReportAsync);
        app.MapGet("/v1/organizations/cost_report", mock.HandleCostReportAsync);
        app.MapGet("/v1/organizations/analytics/usage", mock.HandleAnalyticsUsageAsync);
        app.MapGet("/v1/organizations/analytics/cost", mock.HandleAnalyticsCostAsync);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapFallback(mock.HandleNotFoundAsync);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Kestrel replaces a listener's endpoint with the one it bound (port 0: the port it picked).
        var h2cAddress = h2c is null ? null : new Uri($"http://{h2c.IPEndPoint!}/");
        return new MockServer(app, mock, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), h2cAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
