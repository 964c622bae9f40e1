using System.CommandLine;
using System.Net;
using Claudit.Core.Pricing;
using Claudit.Server;

namespace Claudit.Cli.Configuration;

/// <summary>
/// The settings of <c>claudit serve</c>: each one a flag, a <c>CLAUDIT_…</c> variable and a key of the
/// <c>Claudit</c> section of <c>appsettings.json</c> (documented in docs/configuration.md). All are
/// checked before anything listens, with errors that name the flag, variable or file to fix.
/// </summary>
internal sealed class ServeOptions
{
    private readonly Option<string?> _config = new("--config") { Description = "A settings file (JSON, section \"Claudit\"); default: appsettings.json in the working directory, if present.", HelpName = "FILE" };
    private readonly Option<int> _port = new("--port") { Description = "Port to listen on [CLAUDIT_PORT].", DefaultValueFactory = _ => 4000 };
    private readonly Option<string> _host = new("--host") { Description = "Address to bind [CLAUDIT_HOST]; beyond loopback an access token is required.", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<string> _upstream = new("--upstream") { Description = "Where calls go [CLAUDIT_UPSTREAM].", DefaultValueFactory = _ => "https://api.anthropic.com" };
    private readonly Option<string> _dataDir = new("--data-dir") { Description = "Where the journal and the store live [CLAUDIT_DATA_DIR].", DefaultValueFactory = _ => "claudit-data" };
    private readonly Option<string?> _prices = new("--prices") { Description = "A price-table JSON file replacing the embedded one [CLAUDIT_PRICES].", HelpName = "FILE" };
    private readonly Option<string?> _otlp = new("--otlp-endpoint") { Description = "Export spans and metrics over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 [CLAUDIT_OTLP_ENDPOINT].", HelpName = "URL" };
    private readonly Option<string?> _otlpPort = new("--otlp-port") { Description = "Receive OTLP/HTTP traces (protobuf or JSON) on this port, on --host: GenAI spans of instrumented apps become records [CLAUDIT_OTLP_PORT]; 4318 by convention; off unless set.", HelpName = "PORT" };
    private readonly Option<string?> _token = new("--token") { Description = "Access token callers must send (Claudit-Token header or Authorization: Bearer) [CLAUDIT_TOKEN]; required beyond loopback." };
    private readonly Option<long> _maxCapture = new("--max-capture-bytes") { Description = "Bodies larger than this are forwarded without being read for the record [CLAUDIT_MAX_CAPTURE_BYTES].", DefaultValueFactory = _ => 8L * 1024 * 1024 };
    private readonly Option<string?> _budget = new("--daily-budget") { Description = "Daily spend in USD the dashboard compares each day's cost with [CLAUDIT_DAILY_BUDGET].", HelpName = "USD" };
    private readonly Option<string?> _adminKeyEnv = new("--admin-key-env") { Description = "Reconcile finished days in the background against the Admin API at --upstream, with the Admin key in this environment variable [CLAUDIT_ADMIN_KEY_ENV]; off unless set.", HelpName = "NAME" };
    private readonly Option<int> _queue = new("--queue-capacity") { Description = "Records waiting for the journal and the store before new ones are counted as dropped [CLAUDIT_QUEUE_CAPACITY].", DefaultValueFactory = _ => 10_000 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _config, _port, _host, _upstream, _dataDir, _prices, _otlp, _otlpPort, _token, _maxCapture, _queue, _budget })
        {
            command.Options.Add(option);
        }

        command.Options.Add(_adminKeyEnv);
    }

    public (GatewayOptions Options, PriceTable Prices) Resolve(ParseResult parse, Func<string, string?> environment)
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
        if (!IPAddress.IsLoopback(address) && token.Value is null)
        {
            throw new CliException($"{host.Origin} {host.Value} is not loopback: listening beyond this machine needs an access token (--token or CLAUDIT_TOKEN).");
        }

        if (token.Value is { Length: < 16 })
        {
            throw new CliException($"{token.Origin} must be at least 16 characters.");
        }

        var upstream = settings.Text(_upstream, "Upstream", "CLAUDIT_UPSTREAM");
        var upstreamUri = HttpUrl(upstream);
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

        var queue = settings.Integer(_queue, "QueueCapacity", "CLAUDIT_QUEUE_CAPACITY");
        if (queue.Value < 1)
        {
            throw new CliException($"{queue.Origin} must be 1 or more, not {queue.Value}.");
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

        var dataDir = settings.Text(_dataDir, "DataDir", "CLAUDIT_DATA_DIR");
        DataDirectory.EnsureWritable(dataDir.Value, dataDir.Origin);
        var prices = settings.OptionalText(_prices, "Prices", PriceTableOption.EnvironmentVariable);
        var table = PriceTableOption.Load(prices.Value);

        var reconcile = ReconcileSettings.Resolve(settings.OptionalText(_adminKeyEnv, "AdminKeyEnv", "CLAUDIT_ADMIN_KEY_ENV"), environment);
        return (new GatewayOptions
        {
            Host = host.Value,
            Port = port.Value,
            Upstream = upstreamUri,
            DataDirectory = dataDir.Value,
            OtlpEndpoint = otlpUri,
            OtlpPort = otlpPort,
            AccessToken = token.Value,
            MaxCaptureBytes = maxCapture.Value,
            QueueCapacity = queue.Value,
            DailyBudgetUsd = dailyBudget,
            Reconcile = reconcile,
        }, table);
    }

    private static Uri HttpUrl(Setting<string> setting) =>
        Uri.TryCreate(setting.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException($"{setting.Origin} must be an http(s) URL, not '{setting.Value}'.");
}
