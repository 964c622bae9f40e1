using System.CommandLine;
using Claudit.Mock;

namespace Claudit.Cli.Commands;

/// <summary><c>claudit mock</c>: a faithful offline stand-in for Anthropic's Messages API.</summary>
internal static class MockCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 4010 };
        var h2cPort = new Option<int?>("--h2c-port") { Description = "Also serve the API on this port over cleartext HTTP/2 with prior knowledge (h2c), for a proxy that multiplexes calls (claudit serve --upstream-http2).", HelpName = "PORT" };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default).", DefaultValueFactory = _ => "127.0.0.1" };
        var seed = new Option<int>("--seed") { Description = "Seed of every id, answer and delay: one seed, one behaviour.", DefaultValueFactory = _ => 1 };
        var profile = new Option<string>("--profile") { Description = "realistic: TTFT and output speed per model family; fast: answer at once (load tests).", DefaultValueFactory = _ => "realistic" };
        profile.AcceptOnlyFromAmong("realistic", "fast");
        var faults = new Option<string?>("--faults")
        {
            Description = $"Probabilistic faults, e.g. rate_limit=0.02,overloaded=0.01 (names: {string.Join(", ", MockFaults.AllNames)}). A request can also name one in the x-mock-fault header.",
            HelpName = "SPEC",
        };
        var rpm = new Option<long>("--rpm") { Description = "Requests per minute before 429s (token limits scale with it); 0 sends the headers but refuses nothing.", DefaultValueFactory = _ => 4000 };
        var slow = new Option<double>("--slow-seconds") { Description = "How long the 'slow' fault waits.", DefaultValueFactory = _ => 30 };
        var batchSeconds = new Option<double>("--batch-seconds") { Description = "How long a Message Batch takes to process (the API's hours, compressed).", DefaultValueFactory = _ => 5 };

        var command = new Command("mock", "Serve a mock of Anthropic's Messages API (offline tests, demos, benchmarks).")
        {
            port, h2cPort, host, seed, profile, faults, rpm, slow, batchSeconds,
        };
        command.SetAction(async (parse, ct) =>
        {
            var portValue = parse.GetValue(port);
            if (portValue is < 0 or > 65535)
            {
                throw new CliException($"--port must be between 0 and 65535, not {portValue}.");
            }

            var h2cPortValue = parse.GetValue(h2cPort);
            if (h2cPortValue is < 0 or > 65535 || (h2cPortValue is > 0 && h2cPortValue == portValue))
            {
                throw new CliException($"--h2c-port must be a port between 0 and 65535 other than --port, not {h2cPortValue}.");
            }

            FaultSpec spec;
            try
            {
                spec = FaultSpec.Parse(parse.GetValue(faults));
            }
            catch (FormatException ex)
            {
                throw new CliException($"--faults: {ex.Message}", ex);
            }

            var options = new MockOptions
            {
                Host = parse.GetValue(host)!,
                Port = portValue,
                H2cPort = h2cPortValue,
                Seed = parse.GetValue(seed),
                Profile = parse.GetValue(profile) == "fast" ? MockProfile.Fast : MockProfile.Realistic,
                Faults = spec,
                RateLimits = RateLimitsFor(parse.GetValue(rpm)),
                SlowDelay = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(slow))),
                BatchProcessingTime = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(batchSeconds))),
            };

            MockServer server;
            try
            {
                server = await MockServer.StartAsync(options, ct);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or System.Net.Sockets.SocketException)
            {
                throw new CliException($"cannot listen on {options.Host}:{options.Port}: {ex.Message}", ex);
            }

            await using (server)
            {
                await console.Error.WriteLineAsync($"claudit mock: Anthropic Messages API on {server.BaseAddress} (profile {parse.GetValue(profile)}, seed {options.Seed}). Ctrl+C to stop.");
                await console.Error.WriteLineAsync($"  export ANTHROPIC_BASE_URL={server.BaseAddress.ToString().TrimEnd('/')}");
                if (server.H2cAddress is { } h2cAddress)
                {
                    await console.Error.WriteLineAsync($"  and over h2c (HTTP/2 with prior knowledge) on {h2cAddress}");
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return ClauditCli.Ok;
        });
        return command;
    }

    private static RateLimitSettings RateLimitsFor(long rpm)
    {
        if (rpm < 0)
        {
            throw new CliException("--rpm must be 0 (no limit) or more.");
        }

        return rpm == 0
            ? new RateLimitSettings { Enforced = false }
            : new RateLimitSettings { RequestsPerMinute = rpm, InputTokensPerMinute = rpm * 500, OutputTokensPerMinute = rpm * 100 };
    }
}
