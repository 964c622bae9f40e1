using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Claudit.Cli.Demo;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Journal;
using Claudit.Mock;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit demo</c> end to end, in-process: the real mock, the real gateway and the traffic through them,
/// checked against the journal the gateway wrote.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public partial class CliDemoTests
{
    private const int Calls = 60;

    [Fact]
    public async Task The_demo_records_every_http_attempt_and_the_whole_mix()
    {
        using var dir = new TempDirectory();

        var result = await Cli.RunAsync("demo", "--profile", "fast", "--no-wait", "--port", "0", "--calls", Calls.ToString(CultureInfo.InvariantCulture), "--data-dir", dir.Path, "--seed", "7");

        Assert.True(result.ExitCode == ClauditCli.Ok, $"exit {result.ExitCode}: {result.Error}");
        var attempts = int.Parse(AttemptsRow().Match(result.Out).Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        var records = await ReadJournalAsync(dir.File("journal"));

        // One record per HTTP request the generator sent, retries included; one first attempt per planned call.
        Assert.Equal(attempts, records.Count);
        Assert.Equal(Calls, records.Count(r => r.Tags.Attempt == 0));
        Assert.True(attempts > Calls, "the planned faults cause retries");
        Assert.Contains(records, r => r.Tags.Attempt >= 1);
        Assert.Contains(records, r => r.Tags.ParentId is not null); // the gateway linked retries to their first attempt
        await using (var store = DuckDbCallStore.Open(dir.File(DuckDbCallStore.FileName), readOnly: true))
        {
            Assert.Equal(attempts, await store.CountAsync()); // and the store holds them all too
        }

        Assert.True(records.Select(r => r.ModelRequested).Distinct().Count() >= 2);
        Assert.Contains(records, r => r.Streaming);
        Assert.Contains(records, r => !r.Streaming);
        Assert.Contains(records, r => r.Usage?.CacheReadInputTokens > 0);
        Assert.Contains(records, r => r.Usage?.CacheCreationInputTokens > 0);
        Assert.Contains(records, r => r.ToolCalls.Count > 0);
        Assert.Contains(records, r => r.Error?.Type == ErrorTypes.RateLimit && r.HttpStatus == 429);
        Assert.Contains(records, r => r.Error?.Type == ErrorTypes.Overloaded && r.HttpStatus == 529);
        Assert.Contains(records, r => r.Error?.Type == ErrorTypes.Overloaded && r.HttpStatus == 200 && r.Streaming); // mid-stream
        Assert.Contains(records, r => r.StopReason == "max_tokens");
        Assert.Contains(records.Where(r => r.Status == CallStatus.Ok).GroupBy(r => r.Tags.Session), g => g.Count() >= 2);
        Assert.All(records, r =>
        {
            Assert.NotNull(r.Tags.User);
            Assert.NotNull(r.Tags.Tenant);
            Assert.NotNull(r.Tags.Feature);
            Assert.NotNull(r.Tags.Session);
            Assert.NotNull(r.Tags.Conversation);
            Assert.NotNull(r.Tags.TraceId);
            // Every model the demo uses is in the price table: a record with usage has a real cost.
            Assert.True(r.Usage is null || r.Cost?.Priced == true, $"{r.ModelRequested} is priced");
        });
        Assert.Contains(records, r => r.Tags.Properties?.ContainsKey("Experiment") == true);
        // Every retry follows a retryable failure of the same call (same trace), with the attempt counted up.
        foreach (var retry in records.Where(r => r.Tags.Attempt >= 1))
        {
            Assert.Contains(records, r => r.Tags.TraceId == retry.Tags.TraceId && r.Tags.Attempt == retry.Tags.Attempt - 1 && r.Error?.Retryable == true);
        }

        // Only planned faults: no refused request, no connection failure.
        Assert.DoesNotContain(records, r => r.HttpStatus is 400 or 401 or 404 || r.Error?.Type == ErrorTypes.Connection);
        foreach (var file in Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("claudit-demo-key", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        Assert.Contains($"claudit report {dir.File("journal")}", result.Out, StringComparison.Ordinal);
        // The dashboard's address is printed at the start, before the calls, not only in the closing summary.
        var dashboard = result.Error.IndexOf("claudit demo: dashboard on http://127.0.0.1:", StringComparison.Ordinal);
        Assert.True(dashboard >= 0, result.Error);
        Assert.True(dashboard < result.Error.IndexOf("claudit demo: stopped", StringComparison.Ordinal), result.Error);
    }

    [Fact]
    public async Task The_same_seed_sends_the_same_calls()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        await RunFastAsync(first.Path, seed: 11);
        await RunFastAsync(second.Path, seed: 11);

        // Concurrency reorders the calls, not what they are: the same sessions, tags, models and attempts.
        static async Task<string[]> ShapeAsync(string dir) =>
            [.. (await ReadJournalAsync(Path.Combine(dir, "journal")))
                .Select(r => $"{r.Tags.Session} {r.Tags.TraceId} {r.Tags.Attempt} {r.ModelRequested} {r.Streaming} {r.MaxTokens} {r.HttpStatus}")
                .Order(StringComparer.Ordinal)];
        Assert.Equal(await ShapeAsync(first.Path), await ShapeAsync(second.Path));
    }

    [Fact]
    public async Task The_generator_alone_retries_like_an_sdk()
    {
        await using var mock = await MockServer.StartAsync(new MockOptions { Port = 0, Profile = MockProfile.Fast, RateLimits = new RateLimitSettings { Enforced = false } });
        var plan = DemoScenario.Plan(seed: 2, calls: 40);
        var traffic = new DemoTraffic(plan, new DemoTrafficOptions { Concurrency = 4, RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) });

        var summary = await traffic.RunAsync(mock.BaseAddress);

        var faulted = plan.Calls.Where(c => c.Fault is not null and not "midstream_error").Sum(c => c.FaultAttempts);
        Assert.Equal(plan.Calls.Count + faulted, summary.Attempts);
        Assert.Equal(faulted, summary.Retries);
        Assert.Equal(plan.Calls.Count(c => c.Fault == "midstream_error"), summary.CallsFailed);
        Assert.Equal(plan.Calls.Count, summary.CallsSucceeded + summary.CallsFailed);
        Assert.Equal(plan.Calls.Where(c => c.Fault == "rate_limit").Sum(c => c.FaultAttempts), summary.AttemptsByStatus.GetValueOrDefault(429));
        Assert.Equal(plan.Calls.Count, traffic.CallsDone);
        Assert.False(summary.Canceled);
    }

    [Theory]
    [InlineData(new[] { "demo", "--calls", "0" }, "--calls must be 1 or more")]
    [InlineData(new[] { "demo", "--port", "70000" }, "--port must be between 0 and 65535")]
    [InlineData(new[] { "demo", "--mock-port", "-1" }, "--mock-port must be between 0 and 65535")]
    [InlineData(new[] { "demo", "--port", "4555", "--mock-port", "4555" }, "--port and --mock-port must differ")]
    [InlineData(new[] { "demo", "--concurrency", "0" }, "--concurrency must be between 1 and 1000")]
    [InlineData(new[] { "demo", "--profile", "slow" }, "slow")]
    [InlineData(new[] { "demo", "--calls", "many" }, "many")]
    [InlineData(new[] { "demo", "--data-dir", "/proc/claudit-cannot-write-here" }, "is not writable")]
    public async Task Bad_options_are_refused_with_one_line(string[] args, string message) =>
        Cli.AssertBadInput(await Cli.RunAsync(args), message);

    [Fact]
    public async Task A_port_in_use_is_one_clear_line()
    {
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var result = await Cli.RunAsync("demo", "--profile", "fast", "--no-wait", "--port", port, "--calls", "1", "--data-dir", dir.Path);

        Cli.AssertBadInput(result, $"cannot listen on 127.0.0.1:{port} (--port)");
    }

    private static async Task RunFastAsync(string dataDir, int seed)
    {
        var result = await Cli.RunAsync("demo", "--profile", "fast", "--no-wait", "--port", "0", "--calls", "40", "--data-dir", dataDir, "--seed", seed.ToString(CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == ClauditCli.Ok, result.Error);
    }

    private static async Task<List<CallRecord>> ReadJournalAsync(string journal)
    {
        var stats = new ReadStats();
        var records = new List<CallRecord>();
        foreach (var file in JsonlFiles.Expand([journal]))
        {
            await foreach (var record in JsonlRecordReader.ReadFileAsync(file, stats))
            {
                records.Add(record);
            }
        }

        Assert.Equal(0, stats.SkippedLines);
        return records;
    }

    [GeneratedRegex(@"HTTP requests\W*(\d[\d,]*)")]
    private static partial Regex AttemptsRow();
}
