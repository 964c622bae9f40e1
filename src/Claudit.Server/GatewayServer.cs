using System.Net;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;
using Claudit.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server;

/// <summary>
/// <c>claudit serve</c>: forwards <c>/v1/*</c> to the upstream unchanged (YARP; streams pass chunk by
/// chunk) and records every call into the journal through <see cref="RecordPipeline"/>.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, RecordPipeline pipeline, Uri address)
    {
        _app = app;
        Pipeline = pipeline;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public RecordPipeline Pipeline { get; }

    public static async Task<GatewayServer> StartAsync(GatewayOptions options, PriceTable prices, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new ArgumentException($"--host must be an IP address, not '{options.Host}'", nameof(options));
        }

        var journal = new JsonlJournalWriter(new JsonlJournalOptions { Directory = Path.Combine(options.DataDirectory, "journal") }, options.TimeProvider);
        var pipeline = new RecordPipeline(journal, options.QueueCapacity);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // the upstream decides what is too large
        });
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<ClauditMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ClauditMetrics.MeterName).AddPrometheusExporter());
        var app = builder.Build();
        var pricing = new CostCalculator(prices);
        var meters = app.Services.GetRequiredService<ClauditMetrics>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"), api => api.UseMiddleware<CaptureMiddleware>(options, pricing, pipeline, meters, new RetryLinker(options.TimeProvider)));
        app.MapForwarder("/v1/{**rest}", options.Upstream.ToString().TrimEnd('/'), new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) });
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayServer(app, pipeline, new Uri(bound));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}
