using Claudit.Cli.Configuration;
using System.CommandLine;
using Claudit.Cli.Demo;
using Claudit.Cli.Output;
using Claudit.Core.Pricing;
using Claudit.Mock;
using Claudit.Server;

namespace Claudit.Cli.Commands;

/// <summary>
/// <c>claudit demo</c>: Claudit working, offline, in one command. Starts the mock Anthropic API and the
/// gateway in front of it, plays a realistic mix of traffic through the gateway, prints what happened and
/// where to look, and keeps both servers up for exploring until Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    private const string Host = "127.0.0.1";

    public static Command Create(CliConsole console)
    {
        var calls = new Option<int>("--calls") { Description = "Calls to send (retries come on top).", DefaultValueFactory = _ => 300 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sessions in flight at once.", DefaultValueFactory = _ => 24 };
        var port = new Option<int>("--port") { Description = "The gateway's port (0: a free one).", DefaultValueFactory = _ => 4000 };
        var mockPort = new Option<int>("--mock-port") { Description = "The mock Anthropic API's port (0: a free one).", DefaultValueFactory = _ => 0 };
        var dataDir = new Option<string>("--data-dir") { Description = "Where the gateway records (journal/calls-YYYY-MM-DD.jsonl).", DefaultValueFactory = _ => "claudit-demo-data" };
        var seed = new Option<int>("--seed") { Description = "Seed of the traffic plan and of the mock: one seed, one demo.", DefaultValueFactory = _ => 1 };
        var profile = new Option<string>("--profile") { Description = "realistic: the mock answers at the real API's pace (about a minute for the default run); fast: at once.", DefaultValueFactory = _ => "realistic" };
        profile.AcceptOnlyFromAmong("realistic", "fast");
        var noWait = new Option<bool>("--no-wait") { Description = "Stop the servers once the traffic is done instead of waiting for Ctrl+C." };
        var captureContent = new Option<bool>("--capture-content") { Description = "Store the demo's prompts and answers, redacted, so the dashboard's sessions show the conversation (as `serve --capture-content`)." };
        var prices = PriceTableOption.Create();
        var command = new Command("demo", "See Claudit work, offline: a mock Anthropic API, the gateway in front of it, and realistic traffic through it.")
        {
            calls, concurrency, port, mockPort, dataDir, seed, profile, noWait, captureContent, prices,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new DemoSettings(
                Calls: parse.GetValue(calls),
                Concurrency: parse.GetValue(concurrency),
                Port: parse.GetValue(port),
                MockPort: parse.GetValue(mockPort),
                DataDirectory: parse.GetValue(dataDir)!,
                Seed: parse.GetValue(seed),
                Fast: parse.GetValue(profile) == "fast",
                Wait: !parse.GetValue(noWait),
                CaptureContent: parse.GetValue(captureContent));
            Validate(settings);
            var table = PriceTableOption.Load(parse.GetValue(prices));
            return await RunAsync(console, settings, table, ct);
        });
        return command;
    }

    private static void Validate(DemoSettings s)
    {
        if (s.Calls < 1)
        {
            throw new CliException($"--calls must be 1 or more, not {s.Calls}.");
        }

        if (s.Concurrency is < 1 or > 1000)
        {
            throw new CliException($"--concurrency must be between 1 and 1000, not {s.Concurrency}.");
        }

        foreach (var (name, value) in new[] { ("--port", s.Port), ("--mock-port", s.MockPort) })
        {
            if (value is < 0 or > 65535)
            {
                throw new CliException($"{name} must be between 0 and 65535, not {value}.");
            }
        }

        if (s.Port != 0 && s.Port == s.MockPort)
        {
            throw new CliException($"--port and --mock-port must differ (both are {s.Port}).");
        }

        DataDirectory.EnsureWritable(s.DataDirectory);
    }

    private static async Task<int> RunAsync(CliConsole console, DemoSettings s, PriceTable table, CancellationToken ct)
    {
        var mockOptions = new MockOptions
        {
            Host = Host,
            Port = s.MockPort,
            Seed = s.Seed,
            Profile = s.Fast ? MockProfile.Fast : MockProfile.Realistic,
            // Only the planned faults happen: the demo's own burst must not trip the mock's rate limits.
            RateLimits = new RateLimitSettings { Enforced = false },
        };
        await using var mock = await ListenAsync("--mock-port", s.MockPort, () => MockServer.StartAsync(mockOptions, ct));
        var gatewayOptions = new GatewayOptions { Host = Host, Port = s.Port, Upstream = mock.BaseAddress, DataDirectory = s.DataDirectory, CaptureContent = s.CaptureContent };
        var gateway = await ListenAsync("--port", s.Port, () => GatewayServer.StartAsync(gatewayOptions, table, ct));
        var gatewayUrl = gateway.BaseAddress.ToString().TrimEnd('/');
        DemoSummary summary;
        await using (gateway)
        {
            var plan = DemoScenario.Plan(s.Seed, s.Calls);
            await console.Error.WriteLineAsync(
                $"claudit demo: mock Anthropic API on {mock.BaseAddress.ToString().TrimEnd('/')} ({(s.Fast ? "fast" : "realistic pace")}, seed {s.Seed}); "
                + $"gateway on {gatewayUrl} recording into {Path.GetFullPath(s.DataDirectory)}; "
                + $"sending {plan.Calls.Count} calls in {plan.Sessions.Count} sessions, {s.Concurrency} at a time.");
            // The dashboard fills as the calls are made: worth opening before they end.
            await console.Error.WriteLineAsync($"claudit demo: dashboard on {gatewayUrl}/ (live while the demo runs)");

            // Realistic pacing waits on the mock seconds per call; the fast profile keeps retries as quick as its answers.
            var trafficOptions = new DemoTrafficOptions
            {
                Concurrency = s.Concurrency,
                RetryBaseDelay = s.Fast ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromMilliseconds(500),
                MaxRetryDelay = s.Fast ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromSeconds(2),
            };
            var traffic = new DemoTraffic(plan, trafficOptions);
            summary = await DemoProgress.RunAsync(console, traffic, gateway.BaseAddress, ct);
            DemoSummaryRenderer.Write(console.CreateAnsi(), summary);
            DemoSummaryRenderer.WhatNext(console.Out, gatewayUrl, s.DataDirectory, running: s.Wait && !ct.IsCancellationRequested, noWait: !s.Wait);

            if (s.Wait && !ct.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync("claudit demo: the gateway and the mock keep running; Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        // Disposed: the pipeline has drained, so the journal holds every record.
        await console.Error.WriteLineAsync($"claudit demo: stopped; {gateway.Records.Written} records in {Path.Combine(s.DataDirectory, "journal")}, {gateway.Records.Dropped} dropped.");
        if (DemoSummaryRenderer.Unexpected(summary) is { } problem)
        {
            await console.Error.WriteLineAsync($"claudit demo: {problem}");
            return ClauditCli.Failure;
        }

        return ClauditCli.Ok;
    }

    /// <summary>Starts a server, turning "address in use" into the one-line error every bad option gets.</summary>
    private static async Task<T> ListenAsync<T>(string option, int port, Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException || ex is GatewayStartException { InnerException: IOException })
        {
            var reason = ex is GatewayStartException ? ex.InnerException!.Message : ex.Message;
            throw new CliException($"cannot listen on {Host}:{port} ({option}): {reason.TrimEnd('.')}; is another claudit running? Choose another {option}.", ex);
        }
        catch (GatewayStartException ex)
        {
            throw new CliException(ex.Message, ex);
        }
    }

    private sealed record DemoSettings(int Calls, int Concurrency, int Port, int MockPort, string DataDirectory, int Seed, bool Fast, bool Wait, bool CaptureContent);
}
