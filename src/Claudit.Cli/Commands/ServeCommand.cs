using System.CommandLine;
using System.Net;
using Claudit.Server;

namespace Claudit.Cli.Commands;

/// <summary><c>claudit serve</c>: the gateway. Point an SDK's base URL at it; every call is recorded.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 4000 };
        var host = new Option<string>("--host") { Description = "Address to bind: loopback only (a token-protected remote mode comes later).", DefaultValueFactory = _ => "127.0.0.1" };
        var upstream = new Option<string>("--upstream") { Description = "Where calls go.", DefaultValueFactory = _ => "https://api.anthropic.com" };
        var dataDir = new Option<string>("--data-dir") { Description = "Where records are kept (journal/calls-YYYY-MM-DD.jsonl).", DefaultValueFactory = _ => "claudit-data" };
        var prices = PriceTableOption.Create();
        var command = new Command("serve", "Run the gateway: a transparent proxy for Anthropic's API that records every call.")
        {
            port, host, upstream, dataDir, prices,
        };
        command.SetAction(async (parse, ct) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new CliException($"--port must be between 0 and 65535, not {portValue}.");
            }

            var hostValue = parse.GetValue(host)!;
            if (!IPAddress.TryParse(hostValue, out var address))
            {
                throw new CliException($"--host must be an IP address, not '{hostValue}'.");
            }

            if (!IPAddress.IsLoopback(address))
            {
                throw new CliException($"--host {hostValue} is not loopback: listening beyond this machine needs an access token, which this version does not have yet.");
            }

            if (!Uri.TryCreate(parse.GetValue(upstream), UriKind.Absolute, out var upstreamUri) || upstreamUri.Scheme is not ("http" or "https"))
            {
                throw new CliException($"--upstream must be an http(s) URL, not '{parse.GetValue(upstream)}'.");
            }

            var data = parse.GetValue(dataDir)!;
            EnsureWritable(data);
            var table = PriceTableOption.Load(parse.GetValue(prices));
            var options = new GatewayOptions { Host = hostValue, Port = portValue, Upstream = upstreamUri, DataDirectory = data };
            GatewayServer gateway;
            try
            {
                gateway = await GatewayServer.StartAsync(options, table, ct);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
            {
                throw new CliException($"cannot listen on {hostValue}:{portValue}: {ex.Message}", ex);
            }

            await using (gateway)
            {
                await console.Error.WriteLineAsync($"claudit serve: forwarding {gateway.BaseAddress} -> {upstreamUri}, recording into {Path.GetFullPath(data)} (prices of {table.Version}). Ctrl+C to stop.");
                await console.Error.WriteLineAsync($"  export ANTHROPIC_BASE_URL={gateway.BaseAddress.ToString().TrimEnd('/')}");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }

                await console.Error.WriteLineAsync($"claudit serve: stopping; {gateway.Pipeline.Written} records written, {gateway.Pipeline.Dropped} dropped.");
            }

            return ClauditCli.Ok;
        });
        return command;
    }

    /// <summary>Fails early, with one line, when records could not be written (also used by <c>claudit demo</c>).</summary>
    internal static void EnsureWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--data-dir '{directory}' is not writable: {ex.Message}", ex);
        }
    }
}
