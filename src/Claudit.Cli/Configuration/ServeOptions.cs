using System.CommandLine;
using System.Net;
using Claudit.Alerts.Rules;
using Claudit.Core.Pricing;
using Claudit.Server;
using Claudit.Store;
using Claudit.Store.ClickHouse;
using Claudit.Server.Access;
using Claudit.Server.Budgets;
using Claudit.Server.Keys;

namespace Claudit.Cli.Configuration;

/// <summary>
/// The settings of <c>claudit serve</c>: each one a flag, a <c>CLAUDIT_…</c> variable and a key of the
/// <c>Claudit</c> section of <c>appsettings.json</c> (documented in docs/configuration.md). All are
/// checked before anything listens, with errors that name the flag, variable or file to fix.
/// </summary>
internal sealed class ServeOptions
{
    /// <summary>The longest fsync interval taken: past a few seconds the bound on what a crash loses means little.</summary>
    private const int MaxJournalFsyncMs = 10_000;

    private readonly Option<string?> _config = new("--config") { Description = "A settings file (JSON, section \"Claudit\"); default: appsettings.json in the working directory, if present.", HelpName = "FILE" };
    private readonly Option<int> _port = new("--port") { Description = "Port to listen on [CLAUDIT_PORT].", DefaultValueFactory = _ => 4000 };
    private readonly Option<string> _host = new("--host") { Description = "Address to bind [CLAUDIT_HOST]; beyond loopback an access token is required.", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<string> _upstream = new("--upstream") { Description = "Where calls go [CLAUDIT_UPSTREAM].", DefaultValueFactory = _ => "https://api.anthropic.com" };
    private readonly Option<bool> _upstreamHttp2 = new("--upstream-http2") { Description = "Talk HTTP/2 only to --upstream: over http:// with prior knowledge (h2c), so concurrent calls share a few connections as over https:// [CLAUDIT_UPSTREAM_HTTP2]." };
    private readonly Option<string> _dataDir = new("--data-dir") { Description = "Where the journal and the store live [CLAUDIT_DATA_DIR].", DefaultValueFactory = _ => "claudit-data" };
    private readonly Option<string?> _store = new("--store") { Description = "A shared store instead of claudit.duckdb in --data-dir: clickhouse://USER:PASS@HOST:8123/DB, for several gateways (docs/scale-out.md) [CLAUDIT_STORE].", HelpName = "URL" };
    private readonly Option<string?> _sharedState = new("--shared-state") { Description = "Share budgets, rate limits and the alert lease with the other gateways through Redis: redis://HOST:6379 (docs/scale-out.md) [CLAUDIT_SHARED_STATE]; without it they are per instance.", HelpName = "URL" };
    private readonly Option<string?> _retention = new("--retention-days") { Description = "With a ClickHouse --store: keep this many whole UTC days of calls, dropping older days every hour [CLAUDIT_RETENTION_DAYS]; default: keep everything.", HelpName = "DAYS" };
    private readonly Option<string?> _prices = new("--prices") { Description = "A price-table JSON file replacing the embedded one [CLAUDIT_PRICES].", HelpName = "FILE" };
    private readonly Option<string?> _otlp = new("--otlp-endpoint") { Description = "Export spans and metrics over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 [CLAUDIT_OTLP_ENDPOINT].", HelpName = "URL" };
    private readonly Option<string?> _otlpPort = new("--otlp-port") { Description = "Receive OTLP/HTTP traces (protobuf or JSON) on this port, on --host: GenAI spans of instrumented apps become records [CLAUDIT_OTLP_PORT]; 4318 by convention; off unless set.", HelpName = "PORT" };
    private readonly Option<string?> _token = new("--token") { Description = "Access token callers must send (Claudit-Token header or Authorization: Bearer) [CLAUDIT_TOKEN]; required beyond loopback." };
    private readonly Option<string?> _tokens = new("--tokens") { Description = "A JSON file of access tokens, each with a role (read, ingest, admin) and optionally tenants [CLAUDIT_TOKENS]; see docs/gateway.md.", HelpName = "FILE" };
    private readonly Option<string?> _allowedHosts = new("--allowed-hosts") { Description = "Host names (name or name:port, comma-separated) browsers may reach the gateway by, beside localhost, 127.0.0.1 and [::1] [CLAUDIT_ALLOWED_HOSTS].", HelpName = "HOSTS" };
    private readonly Option<long> _maxCapture = new("--max-capture-bytes") { Description = "Bodies larger than this are forwarded without being read for the record [CLAUDIT_MAX_CAPTURE_BYTES].", DefaultValueFactory = _ => 8L * 1024 * 1024 };
    private readonly Option<string?> _budget = new("--daily-budget") { Description = "Daily spend in USD the dashboard compares each day's cost with [CLAUDIT_DAILY_BUDGET].", HelpName = "USD" };
    private readonly Option<int> _fsync = new("--journal-fsync-ms") { Description = "Commit the journal to disk at least this often, in ms: a crash loses at most the calls of the last interval; 0 commits after every batch [CLAUDIT_JOURNAL_FSYNC_MS].", DefaultValueFactory = _ => (int)GatewayOptions.DefaultJournalFsyncInterval.TotalMilliseconds };
    private readonly Option<string?> _policies = new("--policies") { Description = "Budgets and rate limits to enforce, a JSON file (docs/budgets.md) [CLAUDIT_POLICIES]; appsettings.json may hold them inline as Claudit:Policies.", HelpName = "FILE" };
    private readonly Option<string?> _upstreamKeyFile = new("--upstream-key-file") { Description = "A file holding the real Anthropic key that virtual keys are swapped for [CLAUDIT_UPSTREAM_KEY_FILE]; default: $ANTHROPIC_API_KEY.", HelpName = "FILE" };
    private readonly Option<bool> _captureContent = new("--capture-content") { Description = "Store each Messages call's prompt and answer text, redacted (e-mails, phone and card numbers, keys), for the dashboard's sessions [CLAUDIT_CAPTURE_CONTENT]; off by default." };
    private readonly Option<bool> _requireVirtualKeys = new("--require-virtual-keys") { Description = "Refuse calls that do not carry a Claudit virtual key [CLAUDIT_REQUIRE_VIRTUAL_KEYS]." };
    private readonly Option<string?> _alerts = new("--alerts") { Description = "A rules file (JSON: rules, notify targets, evaluate_every; docs/alerts.md) [CLAUDIT_ALERTS]; without one the built-in rules run and notify no one.", HelpName = "FILE" };
    private readonly Option<string?> _adminKeyEnv = new("--admin-key-env") { Description = "Reconcile finished days in the background against the Admin API at --upstream, with the Admin key in this environment variable [CLAUDIT_ADMIN_KEY_ENV]; off unless set.", HelpName = "NAME" };
    private readonly Option<int> _queue = new("--queue-capacity") { Description = "Records waiting for the journal and the store before new ones are counted as dropped [CLAUDIT_QUEUE_CAPACITY].", DefaultValueFactory = _ => 10_000 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _config, _port, _host, _upstream, _upstreamHttp2, _dataDir, _store, _sharedState, _retention, _prices, _otlp, _otlpPort, _token, _tokens, _allowedHosts, _maxCapture, _captureContent, _queue, _fsync, _budget, _policies, _upstreamKeyFile, _requireVirtualKeys, _alerts })
        {
            command.Options.Add(option);
        }

        command.Options.Add(_adminKeyEnv);
    }

    /// <summary>The gateway's options and prices, and what deserves a warning at start (plain-text tokens in the token file).</summary>
    public (GatewayOptions Options, PriceTable Prices, IReadOnlyList<string> Warnings) Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var settings = LayeredSettings.Load(parse, parse.GetValue(_config), environment);

        var port = settings.Integer(_port, "Port", "CLAUDIT_PORT");
        if (port.Value is < 0 or > 65535)
        {
            throw new CliException($"{port.Origin} must be between 0 and 65535, not {port.Value}.");
        }

        var host = settings.Text(_host, "Host", "CLAUDIT_HOST");
        if (!IPAddress.TryParse(host.Value, out var address))
        {
            throw new CliException($"{host.Origin} must be an IP address, not '{host.Value}'.");
        }

        var token = settings.OptionalText(_token, "Token", "CLAUDIT_TOKEN");
        var tokensFile = settings.OptionalText(_tokens, "Tokens", "CLAUDIT_TOKENS");
        AccessTokenFile? tokens = null;
        if (tokensFile.Value is { } tokensPath)
        {
            try
            {
                tokens = AccessTokenFile.Load(tokensPath);
            }
            catch (AccessTokenFileException ex)
            {
                throw new CliException($"{tokensFile.Origin} {tokensPath}: {ex.Message}.", ex);
            }
        }

        if (!IPAddress.IsLoopback(address) && token.Value is null && tokens is null)
        {
            throw new CliException($"{host.Origin} {host.Value} is not loopback: listening beyond this machine needs an access token (--token or CLAUDIT_TOKEN) or a token file (--tokens or CLAUDIT_TOKENS).");
        }

        if (token.Value is { Length: < AccessTokenFile.MinPlainTokenLength })
        {
            throw new CliException($"{token.Origin} must be at least 16 characters.");
        }

        var allowedHosts = settings.OptionalText(_allowedHosts, "AllowedHosts", "CLAUDIT_ALLOWED_HOSTS");
        var hostNames = (allowedHosts.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in hostNames)
        {
            if (!AllowedHosts.TryParse(name, out _, out var hostError))
            {
                throw new CliException($"{allowedHosts.Origin}: {hostError}.");
            }
        }

        var upstream = settings.Text(_upstream, "Upstream", "CLAUDIT_UPSTREAM");
        var upstreamUri = HttpUrl(upstream);
        var upstreamHttp2 = settings.Boolean(_upstreamHttp2, "UpstreamHttp2", "CLAUDIT_UPSTREAM_HTTP2");
        var otlp = settings.OptionalText(_otlp, "OtlpEndpoint", "CLAUDIT_OTLP_ENDPOINT");
        var otlpUri = otlp.Value is { } otlpText ? HttpUrl(new Setting<string>(otlpText, otlp.Origin)) : null;

        var otlpPortText = settings.OptionalText(_otlpPort, "OtlpPort", "CLAUDIT_OTLP_PORT");
        int? otlpPort = null;
        if (otlpPortText.Value is { } portText)
        {
            if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p > 65535)
            {
                throw new CliException($"{otlpPortText.Origin} must be a port between 0 and 65535, not '{portText}'.");
            }

            if (p != 0 && p == port.Value)
            {
                throw new CliException($"{otlpPortText.Origin} must differ from the gateway's port ({port.Value}).");
            }

            otlpPort = p;
        }

        var maxCapture = settings.Long(_maxCapture, "MaxCaptureBytes", "CLAUDIT_MAX_CAPTURE_BYTES");
        if (maxCapture.Value is < 1024 or > int.MaxValue)
        {
            throw new CliException($"{maxCapture.Origin} must be between 1024 and {int.MaxValue}, not {maxCapture.Value}.");
        }

        var captureContent = settings.Boolean(_captureContent, "CaptureContent", "CLAUDIT_CAPTURE_CONTENT");
        var queue = settings.Integer(_queue, "QueueCapacity", "CLAUDIT_QUEUE_CAPACITY");
        if (queue.Value < 1)
        {
            throw new CliException($"{queue.Origin} must be 1 or more, not {queue.Value}.");
        }

        var fsync = settings.Integer(_fsync, "JournalFsyncMs", "CLAUDIT_JOURNAL_FSYNC_MS");
        if (fsync.Value is < 0 or > MaxJournalFsyncMs)
        {
            throw new CliException($"{fsync.Origin} must be between 0 (every batch) and {MaxJournalFsyncMs} ms, not {fsync.Value}.");
        }

        var budget = settings.OptionalText(_budget, "DailyBudget", "CLAUDIT_DAILY_BUDGET");
        decimal? dailyBudget = null;
        if (budget.Value is { } budgetText)
        {
            if (!decimal.TryParse(budgetText, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var usd) || usd <= 0)
            {
                throw new CliException($"{budget.Origin} must be a positive amount in USD, like 25 or 7.50, not '{budgetText}'.");
            }

            dailyBudget = usd;
        }

        var policies = Policies(settings);
        var upstreamKey = UpstreamKeyOf(settings, environment);
        var requireVirtualKeys = settings.Boolean(_requireVirtualKeys, "RequireVirtualKeys", "CLAUDIT_REQUIRE_VIRTUAL_KEYS");
        if (requireVirtualKeys.Value && upstreamKey is null)
        {
            throw new CliException($"{requireVirtualKeys.Origin} needs the real Anthropic key that virtual keys stand for: set ANTHROPIC_API_KEY or --upstream-key-file.");
        }

        var alerts = AlertsConfig.Defaults;
        if (settings.OptionalText(_alerts, "Alerts", "CLAUDIT_ALERTS").Value is { } alertsFile)
        {
            try
            {
                alerts = AlertsFile.Load(alertsFile);
            }
            catch (AlertsFileException ex)
            {
                throw new CliException(ex.Message, ex);
            }
        }

        var dataDir = settings.Text(_dataDir, "DataDir", "CLAUDIT_DATA_DIR");
        DataDirectory.EnsureWritable(dataDir.Value, dataDir.Origin);
        var store = settings.OptionalText(_store, "Store", "CLAUDIT_STORE");
        if (store.Value is { } storeUrl)
        {
            try
            {
                ClickHouseLocation.Parse(storeUrl);
            }
            catch (StoreException ex)
            {
                throw new CliException($"{store.Origin}: {ex.Message}", ex);
            }
        }

        var retention = settings.OptionalText(_retention, "RetentionDays", "CLAUDIT_RETENTION_DAYS");
        int? retentionDays = null;
        if (retention.Value is { } retentionText)
        {
            retentionDays = int.TryParse(retentionText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d >= 1
                ? d
                : throw new CliException($"{retention.Origin} must be a whole number of days, 1 or more, not '{retentionText}'.");
            if (store.Value is null)
            {
                throw new CliException($"{retention.Origin} applies to a ClickHouse store (--store clickhouse://…): the DuckDB store keeps what it is given.");
            }
        }

        var sharedState = settings.OptionalText(_sharedState, "SharedState", "CLAUDIT_SHARED_STATE");
        if (sharedState.Value is { } redisUrl && !(Uri.TryCreate(redisUrl, UriKind.Absolute, out var redisUri) && redisUri.Scheme == "redis" && redisUri.Host.Length > 0))
        {
            throw new CliException($"{sharedState.Origin} must be redis://HOST:PORT, not '{redisUrl}'.");
        }

        var prices = settings.OptionalText(_prices, "Prices", PriceTableOption.EnvironmentVariable);
        var table = PriceTableOption.Load(prices.Value);

        var reconcile = ReconcileSettings.Resolve(settings.OptionalText(_adminKeyEnv, "AdminKeyEnv", "CLAUDIT_ADMIN_KEY_ENV"), environment);
        return (new GatewayOptions
        {
            Host = host.Value,
            Port = port.Value,
            Upstream = upstreamUri,
            UpstreamHttp2 = upstreamHttp2.Value,
            DataDirectory = dataDir.Value,
            Store = store.Value,
            SharedState = sharedState.Value,
            RetentionDays = retentionDays,
            OtlpEndpoint = otlpUri,
            OtlpPort = otlpPort,
            AccessToken = token.Value,
            Tokens = tokens?.Tokens ?? AccessTokens.None,
            AllowedHosts = hostNames,
            MaxCaptureBytes = maxCapture.Value,
            CaptureContent = captureContent.Value,
            QueueCapacity = queue.Value,
            JournalFsyncInterval = TimeSpan.FromMilliseconds(fsync.Value),
            DailyBudgetUsd = dailyBudget,
            Policies = policies,
            UpstreamKey = upstreamKey,
            RequireVirtualKeys = requireVirtualKeys.Value,
            Alerts = alerts,
            Reconcile = reconcile,
        }, table, tokens is null ? [] : [.. tokens.Warnings.Select(w => $"{tokensFile.Value}: {w}")]);
    }

    /// <summary>The policy file (flag, variable or settings key naming a file), else policies written inline in the settings file.</summary>
    private PolicySet Policies(LayeredSettings settings)
    {
        try
        {
            if (settings.OptionalText(_policies, "Policies", "CLAUDIT_POLICIES") is { Value: { } path } setting)
            {
                return File.Exists(path) ? PolicySet.Load(path) : throw new CliException($"{setting.Origin} '{path}' does not exist.");
            }

            return settings.FileObject("Policies") is { } inline ? PolicySet.FromJson(inline.Value, inline.Origin) : PolicySet.Empty;
        }
        catch (PolicyFileException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }

    /// <summary>The real key: <c>--upstream-key-file</c> (or its variable or settings key), else <c>ANTHROPIC_API_KEY</c>; its text is never printed.</summary>
    private UpstreamKey? UpstreamKeyOf(LayeredSettings settings, Func<string, string?> environment)
    {
        var file = settings.OptionalText(_upstreamKeyFile, "UpstreamKeyFile", "CLAUDIT_UPSTREAM_KEY_FILE");
        if (file.Value is not { } path)
        {
            return environment("ANTHROPIC_API_KEY") is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? new UpstreamKey(fromEnvironment) : null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{file.Origin} '{path}' cannot be read: {ex.Message}", ex);
        }

        return string.IsNullOrWhiteSpace(text) ? throw new CliException($"{file.Origin} '{path}' is empty: it must hold the Anthropic key.") : new UpstreamKey(text);
    }

    private static Uri HttpUrl(Setting<string> setting) =>
        Uri.TryCreate(setting.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"{setting.Origin} must be an http(s) URL, not '{setting.Value}'.");
}
