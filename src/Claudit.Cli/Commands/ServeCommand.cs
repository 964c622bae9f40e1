using System.CommandLine;
using Claudit.Cli.Configuration;
using Claudit.Server;
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
            var (gatewayOptions, prices) = options.Resolve(parse, console.Environment);
            gatewayOptions = gatewayOptions with { ConfigureLogging = logging => WarningsToStandardError(logging) };
            GatewayServer gateway;
            try
            {
                gateway = await GatewayServer.StartAsync(gatewayOptions, prices, ct);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                throw new CliException($"cannot listen on {gatewayOptions.Host}:{gatewayOptions.Port}: {ex.Message}", ex);
            }
            catch (GatewayStartException ex)
            {
                throw new CliException(ex.Message, ex);
            }

            await using (gateway)
            {
                var url = gateway.BaseAddress.ToString().TrimEnd('/');
                await console.Error.WriteLineAsync($"claudit serve: forwarding {url} -> {gatewayOptions.Upstream}, recording into {Path.GetFullPath(gatewayOptions.DataDirectory)} (prices of {prices.Version}). Ctrl+C to stop.");
                await console.Error.WriteLineAsync($"  export ANTHROPIC_BASE_URL={url}");
                await console.Error.WriteLineAsync($"  metrics {url}/metrics   report: claudit report --server {url}");
                if (gateway.OtlpAddress is { } receiver)
                {
                    await console.Error.WriteLineAsync($"  receiving OTLP traces at {receiver.ToString().TrimEnd('/')}/v1/traces (OTEL_EXPORTER_OTLP_ENDPOINT={receiver.ToString().TrimEnd('/')})");
                }

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
                var p = gateway.Records;
                await console.Error.WriteLineAsync($"claudit serve: stopped; {p.Written} records in the journal, {p.Stored} in the store, {p.Dropped} dropped by the journal, {p.StoreDropped} by the store.");
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
    }
}
