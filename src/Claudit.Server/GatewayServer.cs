using System.Diagnostics.Metrics;
using System.Net;
using Claudit.Alerts;
using Claudit.Alerts.Evaluation;
using Claudit.Core.Capture;
using Claudit.Core.Pricing;
using Claudit.Core.Telemetry;
using Claudit.Journal;
using Claudit.Server.Batches;
using Claudit.Server.Content;
using Claudit.Server.Access;
using Claudit.Server.Budgets;
using Claudit.Server.Dashboard;
using Claudit.Server.Otlp;
using Claudit.Server.Upstream;
using Claudit.Server.Keys;
using Claudit.Server.Reconcile;
using Claudit.Server.SharedState;
using Claudit.Store;
using Claudit.Store.Alerting;
using Claudit.Store.ClickHouse;
using Claudit.Store.DuckDb;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Claudit.Server;

/// <summary>
/// <c>claudit serve</c>: forwards <c>/v1/*</c> to the upstream unchanged (YARP; streams pass chunk by
/// chunk), records every call through <see cref="JournalRecordQueue"/> into the journal and the store,
/// evaluates the alert rules over the records (<see cref="AlertService"/>), and serves <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>, the <c>/api</c> queries and the dashboard at <c>/</c>,
/// behind <see cref="BrowserGuardMiddleware"/> (allowed hosts, same-origin writes, security headers) and,
/// with tokens, <see cref="AccessMiddleware"/> (roles, tenants, the dashboard's login); with
/// <see cref="GatewayOptions.OtlpPort"/>, an OTLP trace receiver on a port of its own.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private OtlpReceiver? _otlp;
    private StackExchange.Redis.IConnectionMultiplexer? _sharedState;
    private DeadLetters[] _deadLetters = [];
    private HttpMessageInvoker _forwarder = null!;
    private UpstreamHealth _upstream = null!;
    private BackgroundReconciler? _reconciler;
    private StoredUnrecordedSpend? _unrecorded;

    /// <summary>Content capture's queue into the store; null unless <see cref="GatewayOptions.CaptureContent"/>.</summary>
    internal GatewayContentQueue? Content { get; private init; }
    private SharedKeyRefresh? _keyRefresh;
    private StoreRetention? _retention;
    private int _disposed;

    private GatewayServer()
    {
    }

    public Uri BaseAddress { get; private init; } = null!;

    /// <summary>The OTLP receiver's base address (<c>POST {it}v1/traces</c>); null unless <see cref="GatewayOptions.OtlpPort"/> is set.</summary>
    public Uri? OtlpAddress => _otlp?.Address;

    /// <summary>The record queue into the journal.</summary>
    public JournalRecordQueue Records { get; private init; } = null!;

    /// <summary>What keeps the store equal to the journal.</summary>
    public StoreApplier Applier { get; private init; } = null!;

    /// <summary>How long a start with policies waits for the store to hold what the journal holds, before counting spend from it.</summary>
    public static readonly TimeSpan StoreCatchUpBudget = TimeSpan.FromMinutes(2);

    /// <summary>The journal's directory under the data directory.</summary>
    public const string JournalDirectoryName = "journal";

    /// <summary>The journal files' prefix: <c>calls-YYYY-MM-DD.jsonl</c>.</summary>
    public const string JournalPrefix = "calls";

    /// <summary>The store: embedded (<c>claudit.duckdb</c> in the data directory), or shared (<see cref="GatewayOptions.Store"/>).</summary>
    public IClauditStore Store { get; private init; } = null!;

    /// <summary>Every budget and rate limit in force, read-only (the alerts' <c>budget_used</c> rule reads it).</summary>
    public Claudit.Server.Budgets.IBudgetStatus Budgets { get; private init; } = null!;

    private PolicyMetrics _policyMetrics = null!;
    private readonly CancellationTokenSource _stopping = new();
    private Task _warming = Task.CompletedTask;

    /// <summary>The alert rules' evaluator and notifier.</summary>
    public AlertService Alerts { get; private init; } = null!;

    public static async Task<GatewayServer> StartAsync(GatewayOptions options, PriceTable prices, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(options.Host, out var address))
        {
            throw new GatewayStartException($"--host must be an IP address, not '{options.Host}'");
        }

        var tokens = options.AccessToken is { } single ? options.Tokens.With(AccessTokens.SingleAdmin(single)) : options.Tokens;
        if (!IPAddress.IsLoopback(address) && tokens.Count == 0)
        {
            throw new GatewayStartException($"{options.Host} is not loopback: listening beyond this machine needs an access token");
        }

        StackExchange.Redis.IConnectionMultiplexer? sharedState = null;
        if (options.SharedState is { } redisUrl)
        {
            // Budgets, rate limits and the alert lease shared by the fleet (docs/scale-out.md).
            Directory.CreateDirectory(options.DataDirectory);
            sharedState = await RedisSharedState.ConnectAsync(redisUrl);
            options = options with
            {
                PolicyLedger = options.PolicyLedger ?? new RedisPolicyLedger(sharedState),
                AlertSendLease = options.AlertSendLease ?? new RedisAlertSendLease(sharedState, GatewayInstance.Id(options.DataDirectory)),
            };
        }

        AllowedHosts hosts;
        try
        {
            hosts = AllowedHosts.Create(options.AllowedHosts, options.Host);
        }
        catch (ArgumentException ex)
        {
            throw new GatewayStartException($"--allowed-hosts: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
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
        builder.Services.AddSingleton(sp => new CallTelemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), prices));
        AddTelemetry(builder.Services, options.OtlpEndpoint);

        IClauditStore store;
        try
        {
            store = await OpenStoreAsync(options, cancellationToken);
        }
        catch
        {
            await (sharedState?.DisposeAsync() ?? ValueTask.CompletedTask);
            throw;
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Claudit.Gateway");
        if (store is ClickHouseCallStore shared)
        {
            GatewayLog.SharedStore(logger, shared.Location.ToString(), shared.Writer);
            if (options.PolicyLedger is null || options.AlertSendLease is null)
            {
                GatewayLog.PerInstanceState(logger);
            }
        }

        var journalDirectory = Path.Combine(options.DataDirectory, JournalDirectoryName);
        var applier = new StoreApplier(store, journalDirectory, JournalPrefix, new DeadLetters(options.DataDirectory, "store", options.TimeProvider), options.TimeProvider, logger);
        JsonlJournalWriter journal;
        VirtualKeyRing keys;
        PolicyBook book;
        var ledger = options.PolicyLedger ?? new InProcessPolicyLedger();
        var now = options.TimeProvider.GetUtcNow();
        try
        {
            // Keys and counters before the first call: what the store recorded in each window counts again,
            // once the store holds what the journal held (a crash may have left the last calls in the journal only).
            keys = new VirtualKeyRing(await store.ListKeysAsync(cancellationToken));
            var policies = options.DailyBudgetUsd is { } daily && options.Policies.Policies.All(p => p.Name != PolicySet.DailyBudgetName)
                ? options.Policies.WithDailyBudget(daily)
                : options.Policies;
            book = new PolicyBook(policies, keys);
            if (book.Active(now).Any())
            {
                await applier.CaughtUp.WaitAsync(StoreCatchUpBudget, cancellationToken);
            }

            await LedgerRebuild.RunAsync(book.Active(now), store, ledger, now, cancellationToken);
            journal = new JsonlJournalWriter(new JsonlJournalOptions
            {
                Directory = journalDirectory,
                FilePrefix = JournalPrefix,
                FlushInterval = options.JournalFsyncInterval,
                FlushToDisk = true,
                CommitClock = TimeProvider.System,
                Committed = applier.Wake,
            }, options.TimeProvider);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException)
        {
            var problem = applier.Problem;
            await applier.DisposeAsync();
            await app.DisposeAsync();
            await store.DisposeAsync();
            await (sharedState?.DisposeAsync() ?? ValueTask.CompletedTask);
            throw new GatewayStartException(ex is TimeoutException
                ? $"the store did not catch up with the journal within {StoreCatchUpBudget.TotalSeconds:F0} s ({problem ?? "still reading"}): the policies cannot count what was spent"
                : $"cannot write the journal in {journalDirectory}: {ex.Message}", ex);
        }

        var journalLetters = new DeadLetters(options.DataDirectory, "journal", options.TimeProvider);
        var budgets = new PolicyStatusView(book, ledger, options.TimeProvider);
        var unrecorded = options.Reconcile is { } reconciling ? new StoredUnrecordedSpend(store, reconciling.LookbackDays, options.TimeProvider, logger) : null;
        var alerts = CreateAlerts(options, store, budgets, unrecorded, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Claudit.Alerts"));
        var health = new GatewayHealthMetrics(app.Services.GetRequiredService<IMeterFactory>());
        var records = new JournalRecordQueue(journal, options.QueueCapacity, commitEachBatch: options.JournalFsyncInterval == TimeSpan.Zero, logger,
            refused: (record, ex) => journalLetters.Write($"record {record.Id}", $"the journal cannot write it: {ex.Message}", [], 0),
            observers: [alerts.Observe, health.Observe]);
        health.Watch(records, applier, alerts);
        var pricing = new CostCalculator(prices);
        // With --shared-state, a retry sent to another gateway than its first attempt is linked through Redis.
        var retries = new RetryLinker(options.TimeProvider, shared: sharedState is null ? null : new RedisRetryAttempts(sharedState, options.TimeProvider, logger));
        var finisher = new CallFinisher(pricing, retries, app.Services.GetRequiredService<CallTelemetry>(), records);
        var content = options.CaptureContent ? new GatewayContentQueue(store, options.QueueCapacity, logger) : null;
        if (content is not null)
        {
            GatewayLog.ContentCaptureOn(logger);
        }
        var batches = new BatchTracker(store, options.TimeProvider, logger);
        var ingestLetters = new DeadLetters(options.DataDirectory, "ingest", options.TimeProvider);
        var policyMetrics = new PolicyMetrics(budgets);
        var gate = new PolicyGate(book, ledger, pricing, policyMetrics, logger);
        var admission = new GatewayAdmission(keys, gate, options.UpstreamKey, options.RequireVirtualKeys, options.TimeProvider);
        GatewayLog.PoliciesLoaded(logger, book.Active(now).Count(), keys.All.Count());

        var upstream = new UpstreamHealth(options.Upstream, options.UpstreamHttp2, logger);
        var sessions = new LoginSessions(options.TimeProvider);
        app.UseMiddleware<BrowserGuardMiddleware>(hosts, logger);
        if (tokens.Count > 0)
        {
            app.UseMiddleware<AccessMiddleware>(tokens, sessions);
        }

        app.MapGet("/healthz", () => Results.Text("ok"));
        OtlpReceiver? otlp = null;
        var healthSource = new GatewayHealthSource(records, applier, upstream, alerts, budgets);
        app.MapGet("/readyz", () => Readiness(records, applier, upstream, otlp, alerts, healthSource));
        LoginEndpoints.Map(app, tokens, sessions);
        app.MapPrometheusScrapingEndpoint("/metrics");
        IngestEndpoint.Map(app, finisher, ingestLetters, options.TimeProvider);
        QueryEndpoints.Map(app, store, store, store, pricing, store);
        BatchesEndpoint.Map(app, batches, options.TimeProvider);
        DashboardEndpoints.Map(app, store, pricing, options.TimeProvider, options.DailyBudgetUsd, new ContentView(store, options.CaptureContent));
        var views = new DashboardViews(store, pricing, options.TimeProvider, options.DailyBudgetUsd, healthSource);
        ViewEndpoints.Map(app, views);
        BudgetsEndpoint.Map(app, budgets, store, keys, options.TimeProvider);
        KeyEndpoints.Map(app, store, keys, options.TimeProvider);
        DashboardAssets.Map(app);
        AlertEndpoints.Map(app, alerts, store);
        BackgroundReconciler? reconciler = null;
        ReconcileEndpoint.Map(app, store, () => reconciler?.Status, options.TimeProvider);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"), api =>
        {
            if (content is null)
            {
                api.UseMiddleware<CaptureMiddleware>(options, admission, finisher, batches, upstream, logger);
            }
            else
            {
                api.UseMiddleware<CaptureMiddleware>(options, admission, finisher, batches, upstream, logger, content);
            }
        });
        var forwarder = UpstreamClientFactory.Create();
        app.MapForwarder("/v1/{**rest}", options.Upstream.ToString().TrimEnd('/'), UpstreamProtocol.ForwarderConfig(options.UpstreamHttp2), TransparentTransformer.Instance, forwarder);
        try
        {
            await app.StartAsync(cancellationToken);
            if (options.OtlpPort is { } otlpPort)
            {
                try
                {
                    otlp = await OtlpReceiver.StartAsync(address, otlpPort, tokens, finisher, options.TimeProvider, logger, cancellationToken);
                }
                catch (IOException ex)
                {
                    await app.StopAsync(CancellationToken.None);
                    throw new GatewayStartException($"cannot receive OTLP on {options.Host}:{otlpPort}: {ex.Message}", ex);
                }
            }
        }
        catch (Exception ex)
        {
            await app.DisposeAsync();
            await (content?.DisposeAsync() ?? ValueTask.CompletedTask);
            await records.DisposeAsync();
            await applier.DisposeAsync();
            await alerts.DisposeAsync();
            await (unrecorded?.DisposeAsync() ?? ValueTask.CompletedTask);
            await store.DisposeAsync();
            await (sharedState?.DisposeAsync() ?? ValueTask.CompletedTask);
            DisposeAll(journalLetters, ingestLetters);
            forwarder.Dispose();
            upstream.Dispose();
            policyMetrics.Dispose();
            throw ex is IOException { InnerException: AddressInUseException }
                ? new GatewayStartException($"cannot listen on {options.Host}:{options.Port}: the address is already in use (is another server running there? pick another --port)", ex)
                : ex is IOException
                    ? new GatewayStartException($"cannot listen on {options.Host}:{options.Port}: {ex.Message}", ex)
                    : ex;
        }

        if (options.Reconcile is { } reconcile)
        {
            reconciler = new BackgroundReconciler(store, options.Upstream, reconcile, prices, options.TimeProvider, logger);
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        alerts.Start(bound);
        GatewayLog.Started(logger, bound, options.Upstream, Path.GetFullPath(options.DataDirectory));
        // A shared store: keys made through another gateway reach this one (docs/scale-out.md).
        var keyRefresh = store is ClickHouseCallStore ? new SharedKeyRefresh(store, keys, logger) : null;
        var retention = store is ClickHouseCallStore clickHouse && options.RetentionDays is { } days ? new StoreRetention(clickHouse, days, options.TimeProvider, logger) : null;
        var server = new GatewayServer { _keyRefresh = keyRefresh, _retention = retention, _app = app, _otlp = otlp, _reconciler = reconciler, _unrecorded = unrecorded, _forwarder = forwarder, _upstream = upstream, Records = records, Applier = applier, Store = store, _sharedState = sharedState, BaseAddress = bound, _deadLetters = [journalLetters, ingestLetters], Budgets = budgets, _policyMetrics = policyMetrics, Alerts = alerts, Content = content };
        server._warming = Task.Run(() => WarmDashboardAsync(views, logger, server._stopping.Token), CancellationToken.None);
        return server;
    }

    /// <summary>The dashboard's views asked once in the background, so that the first person to open it gets warm answers.</summary>
    private static async Task WarmDashboardAsync(DashboardViews views, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await ViewEndpoints.WarmAsync(views, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopped while warming: nothing to warm for.
        }
#pragma warning disable CA1031 // warming is a courtesy: a failure shows again, with its reason, when the view is asked
        catch (Exception ex)
#pragma warning restore CA1031
        {
            GatewayLog.DashboardWarmFailed(logger, ex.Message);
        }
    }

    private static async Task<IClauditStore> OpenStoreAsync(GatewayOptions options, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(options.DataDirectory);
            if (options.Store is { } url)
            {
                // Each gateway's journal positions are its own: the journal files of every gateway have the same names.
                return await ClickHouseCallStore.OpenAsync(ClickHouseLocation.Parse(url), GatewayInstance.Id(options.DataDirectory), cancellationToken: cancellationToken);
            }

            return DuckDbCallStore.Open(Path.Combine(options.DataDirectory, DuckDbCallStore.FileName));
        }
        catch (StoreException ex)
        {
            throw new GatewayStartException(ex.Message, ex);
        }
    }

    /// <summary>
    /// The alert service over the store; its budgets are the options' when given, else the gateway's USD policies (which hold
    /// <c>--daily-budget</c>); <c>unrecorded_spend</c> reads <paramref name="unrecorded"/> (null without <c>--admin-key-env</c>: quiet).
    /// </summary>
    private static AlertService CreateAlerts(GatewayOptions options, IAlertStore store, Claudit.Server.Budgets.IBudgetStatus policies, IUnrecordedSpendSource? unrecorded, ILogger logger)
    {
        var spend = new SpendLedger();
        var budgets = options.AlertBudgets ?? new PolicyBudgets(policies, spend);
        return new AlertService(options.Alerts, store, options.TimeProvider, logger, budgets, spend, options.AlertSendLease, unrecorded: unrecorded);
    }

    /// <summary>
    /// Ready when calls are being kept, the store has caught up with the journal and the upstream answers:
    /// 503 when the journal loop has stopped or the journal cannot be written (calls are being lost), while
    /// the store catches up after a start, while the store fails (the journal keeps everything meanwhile),
    /// and while the upstream is down.
    /// </summary>
    private static IResult Readiness(JournalRecordQueue records, StoreApplier applier, UpstreamHealth upstream, OtlpReceiver? otlp, AlertService alerts, GatewayHealthSource healthSource)
    {
        upstream.ProbeIfDown();
        var journalProblem = records.Problem;
        var status = healthSource.Status();
        var lag = applier.MeasureLag();
        var body = new ReadinessReport(status, records.Written, records.Pending, records.Dropped, records.Refused, records.Queued, journalProblem,
            applier.Applied, lag.Records, lag.Bytes, applier.IsCaughtUp, applier.Skipped, applier.Problem,
            upstream.Down ? "down" : "up", upstream.ConsecutiveFailures, otlp?.Stats.Snapshot())
        {
            StoreLagSeconds = lag.Records > 0 ? Math.Round(applier.SinceHeldAll.TotalSeconds, 3) : 0,
            AlertsFiring = alerts.Current.Active.Count(a => a.Status == AlertStatuses.Firing),
            AlertNotificationsSent = alerts.NotificationsSent,
            AlertNotificationFailures = alerts.NotificationsFailed,
            AlertRecordsDropped = alerts.RecordsDropped,
        };
        return Results.Json(body, ServerJsonContext.Default.ReadinessReport, statusCode: status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
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

    /// <summary>Stops listening, then drains the queued records into the journal and the journal into the store. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _warming.ConfigureAwait(false);
        _stopping.Dispose();

        if (_otlp is not null)
        {
            await _otlp.DisposeAsync();
        }

        await (_keyRefresh?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (_retention?.DisposeAsync() ?? ValueTask.CompletedTask);
        if (_reconciler is not null)
        {
            await _reconciler.DisposeAsync();
        }

        try
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
#pragma warning disable CA1031 // the records still have to be drained whatever the web host's shutdown did
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        await (Content?.DisposeAsync() ?? ValueTask.CompletedTask);
        await Records.DisposeAsync();
        await Applier.DisposeAsync();
        await Alerts.DisposeAsync();
        await (_unrecorded?.DisposeAsync() ?? ValueTask.CompletedTask);
        await Store.DisposeAsync();
        if (_sharedState is { } redis)
        {
            await redis.DisposeAsync();
        }
        DisposeAll(_deadLetters);
        _forwarder.Dispose();
        _upstream.Dispose();
        _policyMetrics.Dispose();
    }

    private static void DisposeAll(params DeadLetters[] letters)
    {
        foreach (var letter in letters)
        {
            letter.Dispose();
        }
    }
}
