using System.CommandLine;
using Claudit.Store.ClickHouse;
using Claudit.Cli.Configuration;
using Claudit.Server;
using Claudit.Server.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Claudit.Cli.Commands;

/// <summary><c>claudit serve</c>: the gateway. Point an SDK's base URL at it; every call is recorded.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new ServeOptions();
        var command = new Command("serve", "Run the gateway: a transparent proxy for Anthropic's API that records every call.");
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (gatewayOptions, prices, warnings) = options.Resolve(parse, console.Environment);
            foreach (var warning in warnings)
            {
                await console.Error.WriteLineAsync($"claudit serve: warning: {warning}");
            }

            gatewayOptions = gatewayOptions with { ConfigureLogging = logging => WarningsToStandardError(logging) };
            GatewayServer gateway;
            try
            {
                gateway = await GatewayServer.StartAsync(gatewayOptions, prices, ct);
            }
            catch (GatewayStartException ex)
            {
                throw new CliException(ex.Message, ex);
            }

            await using (gateway)
            {
                var url = gateway.BaseAddress.ToString().TrimEnd('/');
                await console.Error.WriteLineAsync($"claudit serve: forwarding {url} -> {gatewayOptions.Upstream}, recording into {(gatewayOptions.Store is { } shared ? ClickHouseLocation.Parse(shared) + " (journal in " + Path.GetFullPath(gatewayOptions.DataDirectory) + ")" : Path.GetFullPath(gatewayOptions.DataDirectory))} (prices of {prices.Version}). Ctrl+C to stop.");
                await console.Error.WriteLineAsync($"  export ANTHROPIC_BASE_URL={url}");
                await console.Error.WriteLineAsync($"  dashboard {url}/");
                await console.Error.WriteLineAsync($"  metrics {url}/metrics   report: {CliInvocation.Command} report --server {url}");
                if (gateway.OtlpAddress is { } receiver)
                {
                    await console.Error.WriteLineAsync($"  receiving OTLP traces at {receiver.ToString().TrimEnd('/')}/v1/traces (OTEL_EXPORTER_OTLP_ENDPOINT={receiver.ToString().TrimEnd('/')})");
                }

                var grants = gatewayOptions.Tokens.Grants.ToList();
                if (gatewayOptions.AccessToken is not null)
                {
                    grants.Add(new AccessGrant("token", AccessRole.Admin));
                }

                if (grants.Count > 0)
                {
                    await console.Error.WriteLineAsync($"  access tokens: {string.Join(", ", grants.Select(g => g.Describe()))}; dashboard login at {url}/login");
                }

                if (!System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(gatewayOptions.Host)))
                {
                    // Reached by another name than these, the gateway answers 421: say so before the first one is refused.
                    await console.Error.WriteLineAsync($"  answers to the host names {AllowedHosts.Create(gatewayOptions.AllowedHosts, gatewayOptions.Host)} (others: --allowed-hosts)");
                }

                if (gatewayOptions.Policies.Count > 0 || gatewayOptions.DailyBudgetUsd is not null)
                {
                    var statuses = await gateway.Budgets.GetStatusAsync(ct);
                    await console.Error.WriteLineAsync($"  enforcing {statuses.Count} budget and rate-limit policies (docs/budgets.md): {url}/api/budgets");
                }

                if (gatewayOptions.UpstreamKey is not null)
                {
                    await console.Error.WriteLineAsync($"  virtual keys (claudit keys create) are swapped for the real key{(gatewayOptions.RequireVirtualKeys ? "; calls without one are refused" : "")}");
                }

                var alerts = gatewayOptions.Alerts;
                await console.Error.WriteLineAsync($"  alerts: {alerts.Rules.Count} rules ({alerts.Source ?? "built-in"}), evaluated every {Alerts.Rules.DurationText.Format(alerts.EvaluateEvery)}, "
                    + (alerts.Notify.Count == 0 ? "notifying no one (--alerts FILE adds webhook or Slack targets)" : $"notifying {string.Join(", ", alerts.Notify.Select(n => n.Describe()))}") + $"; {url}/api/alerts");
                if (gatewayOptions.Reconcile is { } reconcile)
                {
                    await console.Error.WriteLineAsync($"  reconciling with the Admin API at {gatewayOptions.Upstream}: {reconcile}; {url}/api/reconcile");
                }

                if (gatewayOptions.OtlpEndpoint is { } otlp)
                {
                    await console.Error.WriteLineAsync($"  exporting spans and metrics over OTLP to {otlp}");
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }

                await console.Error.WriteLineAsync("claudit serve: stopping; writing what is queued.");
                await gateway.DisposeAsync();
                var journal = gateway.Records;
                var lag = gateway.Applier.MeasureLag();
                await console.Error.WriteLineAsync($"claudit serve: stopped; {journal.Written} records journaled ({journal.Dropped} dropped by a full queue, {journal.Refused} refused), " +
                    $"{gateway.Applier.Applied} added to the store, {lag.Records} not yet in the store (taken at the next start).");
            }

            return ClauditCli.Ok;
        });
        return command;
    }

    /// <summary>The gateway's own warnings (a full queue, a failing store) and failed calls, one line each on stderr.</summary>
    private static void WarningsToStandardError(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
        // A client hanging up mid-request is recorded as client_closed; YARP's warning with a stack trace adds nothing.
        logging.AddFilter("Yarp.ReverseProxy.Forwarder", LogLevel.Error);
        // A host that cannot start (a port in use) is reported by claudit itself in one line; the host's own log of it is a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    }
}
