using System.Net;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;
using Claudit.Journal;
using Claudit.Server.Budgets;
using Claudit.Server.Dashboard;
using Claudit.Server.Keys;
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
/// and serves <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, the <c>/api</c> queries and the dashboard at <c>/</c>.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _disposed;

    private GatewayServer()
    {
    }

    public Uri BaseAddress { get; private init; } = null!;

    /// <summary>The record queue: the journal, then the store.</summary>
    public JournalRecordQueue Records { get; private init; } = null!;

    /// <summary>The embedded store (<c>claudit.duckdb</c> in the data directory).</summary>
    public IClauditStore Store { get; private init; } = null!;

    /// <summary>Every budget and rate limit in force, read-only (the alerts' <c>budget_used</c> rule reads it).</summary>
    public IBudgetStatus Budgets { get; private init; } = null!;

    private PolicyMetrics _policyMetrics = null!;

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

        if (options.RequireVirtualKeys && options.UpstreamKey is null)
        {
            throw new GatewayStartException("requiring virtual keys needs the real key they stand for: set ANTHROPIC_API_KEY or --upstream-key-file");
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
        VirtualKeyRing keys;
        PolicyBook book;
        var ledger = options.PolicyLedger ?? new InProcessPolicyLedger();
        var now = options.TimeProvider.GetUtcNow();
        try
        {
            // Keys and counters before the first call: what the store recorded in each window counts again.
            keys = new VirtualKeyRing(await store.ListKeysAsync(cancellationToken));
            var policies = options.DailyBudgetUsd is { } daily && options.Policies.Policies.All(p => p.Name != PolicySet.DailyBudgetName)
                ? options.Policies.WithDailyBudget(daily)
                : options.Policies;
            book = new PolicyBook(policies, keys);
            await LedgerRebuild.RunAsync(book.Active(now), store, ledger, now, cancellationToken);
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
        var budgets = new PolicyStatusView(book, ledger, options.TimeProvider);
        var policyMetrics = new PolicyMetrics(budgets);
        var gate = new PolicyGate(book, ledger, pricing, policyMetrics, logger);
        var admission = new GatewayAdmission(keys, gate, options.UpstreamKey, options.RequireVirtualKeys, options.TimeProvider);
        GatewayLog.PoliciesLoaded(logger, book.Active(now).Count(), keys.All.Count());

        if (options.AccessToken is { } token)
        {
            app.UseWhen(c => !IsHealthCheck(c.Request.Path), guarded => guarded.UseMiddleware<AccessTokenMiddleware>(token));
        }

        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => Readiness(records));
        app.MapPrometheusScrapingEndpoint("/metrics");
        IngestEndpoint.Map(app, finisher);
        QueryEndpoints.Map(app, store, store, pricing);
        DashboardEndpoints.Map(app, store, pricing, options.TimeProvider, options.DailyBudgetUsd);
        BudgetsEndpoint.Map(app, budgets, store, keys, options.TimeProvider);
        KeyEndpoints.Map(app, store, keys, options.TimeProvider);
        DashboardAssets.Map(app);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"), api => api.UseMiddleware<CaptureMiddleware>(options, admission, finisher, logger));
        app.MapForwarder("/v1/{**rest}", options.Upstream.ToString().TrimEnd('/'), new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) }, TransparentTransformer.Instance);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            await records.DisposeAsync();
            await store.DisposeAsync();
            policyMetrics.Dispose();
            throw;
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        GatewayLog.Started(logger, bound, options.Upstream, Path.GetFullPath(options.DataDirectory));
        return new GatewayServer { _app = app, Records = records, Store = store, BaseAddress = bound, Budgets = budgets, _policyMetrics = policyMetrics };
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

    private static IResult Readiness(JournalRecordQueue records)
    {
        var ready = records.StoreHealthy;
        var body = new ReadinessReport(ready ? "ready" : "degraded", records.Written, records.Dropped, records.HasStore ? records.Stored : null, records.StoreDropped, records.Queued);
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

        await _app.StopAsync();
        await _app.DisposeAsync();
        await Records.DisposeAsync();
        await Store.DisposeAsync();
        _policyMetrics.Dispose();
    }
}
