using System.Net;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;
using Claudit.Journal;
using Claudit.Server.Batches;
using Claudit.Server.Dashboard;
using Claudit.Server.Otlp;
using Claudit.Server.Reconcile;
using Claudit.Store;
using Claudit.Store.DuckDb;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Yarp.ReverseProxy.Forwarder;

namespace Claudit.Server;

/// <summary>
/// <c>claudit serve</c>: forwards <c>/v1/*</c> to the upstream unchanged (YARP; streams pass chunk by
/// chunk), records every call through <see cref="JournalRecordQueue"/> into the journal and the store,
/// and serves <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, the <c>/api</c> queries and the dashboard at <c>/</c>;
/// with <see cref="GatewayOptions.OtlpPort"/>, an OTLP trace receiver on a port of its own.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private OtlpReceiver? _otlp;
    private BackgroundReconciler? _reconciler;
    private int _disposed;

    private GatewayServer()
    {
    }

    public Uri BaseAddress { get; private init; } = null!;

    /// <summary>The OTLP receiver's base address (<c>POST {it}v1/traces</c>); null unless <see cref="GatewayOptions.OtlpPort"/> is set.</summary>
    public Uri? OtlpAddress => _otlp?.Address;

    /// <summary>The record queue: the journal, then the store.</summary>
    public JournalRecordQueue Records { get; private init; } = null!;

    /// <summary>The embedded store (<c>claudit.duckdb</c> in the data directory).</summary>
    public IClauditStore Store { get; private init; } = null!;

    public static async Task<GatewayServer> StartAsync(GatewayOptions options, PriceTable prices, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new GatewayStartException($"--host must be an IP address, not '{options.Host}'");
        }

        if (!IPAddress.IsLoopback(address) && options.AccessToken is null)
        {
            throw new GatewayStartException($"{options.Host} is not loopback: listening beyond this machine needs an access token");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // the upstream decides what is too large
        });
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<CallTelemetry>();
        AddTelemetry(builder.Services, options.OtlpEndpoint);

        var store = OpenStore(options.DataDirectory);
        JsonlJournalWriter journal;
        try
        {
            journal = new JsonlJournalWriter(new JsonlJournalOptions { Directory = Path.Combine(options.DataDirectory, "journal") }, options.TimeProvider);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Claudit.Gateway");
        var records = new JournalRecordQueue(journal, options.QueueCapacity, store.AppendAsync, logger);
        var pricing = new CostCalculator(prices);
        var finisher = new CallFinisher(pricing, new RetryLinker(options.TimeProvider), app.Services.GetRequiredService<CallTelemetry>(), records);
        var batches = new BatchTracker(store, options.TimeProvider, logger);

        if (options.AccessToken is { } token)
        {
            app.UseWhen(c => !IsHealthCheck(c.Request.Path), guarded => guarded.UseMiddleware<AccessTokenMiddleware>(token));
        }

        app.MapGet("/healthz", () => Results.Text("ok"));
        OtlpReceiver? otlp = null;
        app.MapGet("/readyz", () => Readiness(records, otlp));
        app.MapPrometheusScrapingEndpoint("/metrics");
        IngestEndpoint.Map(app, finisher);
        QueryEndpoints.Map(app, store, store, pricing);
        BatchesEndpoint.Map(app, batches, options.TimeProvider);
        DashboardEndpoints.Map(app, store, pricing, options.TimeProvider, options.DailyBudgetUsd);
        DashboardAssets.Map(app);
        BackgroundReconciler? reconciler = null;
        ReconcileEndpoint.Map(app, store, () => reconciler?.Status, options.TimeProvider);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"), api => api.UseMiddleware<CaptureMiddleware>(options, finisher, batches, logger));
        app.MapForwarder("/v1/{**rest}", options.Upstream.ToString().TrimEnd('/'), new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) }, TransparentTransformer.Instance);
        try
        {
            await app.StartAsync(cancellationToken);
            if (options.OtlpPort is { } otlpPort)
            {
                try
                {
                    otlp = await OtlpReceiver.StartAsync(address, otlpPort, options.AccessToken, finisher, options.TimeProvider, logger, cancellationToken);
                }
                catch (IOException ex)
                {
                    await app.StopAsync(CancellationToken.None);
                    throw new GatewayStartException($"cannot receive OTLP on {options.Host}:{otlpPort}: {ex.Message}", ex);
                }
            }
        }
        catch
        {
            await app.DisposeAsync();
            await records.DisposeAsync();
            await store.DisposeAsync();
            throw;
        }

        if (options.Reconcile is { } reconcile)
        {
            reconciler = new BackgroundReconciler(store, options.Upstream, reconcile, prices, options.TimeProvider, logger);
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        GatewayLog.Started(logger, bound, options.Upstream, Path.GetFullPath(options.DataDirectory));
        return new GatewayServer { _app = app, _otlp = otlp, _reconciler = reconciler, Records = records, Store = store, BaseAddress = bound };
    }

    private static DuckDbCallStore OpenStore(string dataDirectory)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
            return DuckDbCallStore.Open(Path.Combine(dataDirectory, DuckDbCallStore.FileName));
        }
        catch (StoreException ex)
        {
            throw new GatewayStartException(ex.Message, ex);
        }
    }

    private static bool IsHealthCheck(PathString path) => path == "/healthz" || path == "/readyz";

    private static IResult Readiness(JournalRecordQueue records, OtlpReceiver? otlp)
    {
        var ready = records.StoreHealthy;
        var body = new ReadinessReport(ready ? "ready" : "degraded", records.Written, records.Dropped, records.HasStore ? records.Stored : null, records.StoreDropped, records.Queued,
            otlp?.Stats.Snapshot());
        return Results.Json(body, ServerJsonContext.Default.ReadinessReport, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static void AddTelemetry(IServiceCollection services, Uri? otlp)
    {
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(CallTelemetry.MeterName).AddPrometheusExporter();
            if (otlp is not null)
            {
                metrics.AddOtlpExporter(o => Otlp(o, otlp, "v1/metrics"));
            }
        });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ClauditTracing.SourceName).AddOtlpExporter(o => Otlp(o, otlp, "v1/traces")));
        }
    }

    private static void Otlp(OtlpExporterOptions o, Uri baseAddress, string signal)
    {
        o.Protocol = OtlpExportProtocol.HttpProtobuf;
        o.Endpoint = new Uri(new Uri(baseAddress.ToString().TrimEnd('/') + "/"), signal);
    }

    /// <summary>Stops listening, then drains the queued records into the journal and the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_otlp is not null)
        {
            await _otlp.DisposeAsync();
        }

        if (_reconciler is not null)
        {
            await _reconciler.DisposeAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        await Records.DisposeAsync();
        await Store.DisposeAsync();
    }
}
