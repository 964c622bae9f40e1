using System.Text.Json;
using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Store.DuckDb;

namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit serve --alerts FILE</c> refuses a bad rules file with one line naming the rule and field,
/// whichever layer gave it; <c>claudit alerts backtest</c> replays a real store and says when each rule
/// would have fired and resolved.
/// </summary>
public class CliAlertsTests
{
    private const string BadWindow = """{"rules": [{"name": "errors", "metric": "error_rate", "above": 0.05, "window": "soon"}]}""";

    [Fact]
    public async Task Serve_refuses_a_bad_rules_file_from_the_flag_the_environment_or_the_settings_file()
    {
        using var dir = new TempDirectory();
        var rules = dir.Write("alerts.json", BadWindow);
        var expected = $"{rules}: rule \"errors\": \"window\" must be a duration like 30s or 5m (at least 1s), not \"soon\"";

        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--alerts", rules), expected);
        Cli.AssertBadInput(await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CLAUDIT_ALERTS"] = rules, ["CLAUDIT_DATA_DIR"] = dir.Path }, "serve"), expected);
        var settings = dir.Write("appsettings.json", $$"""{ "Claudit": { "Alerts": {{JsonSerializer.Serialize(rules)}}, "DataDir": {{JsonSerializer.Serialize(dir.Path)}} } }""");
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--config", settings), expected);
        Cli.AssertBadInput(await Cli.RunAsync("serve", "--data-dir", dir.Path, "--alerts", dir.File("missing.json")), "cannot read the rules file: it does not exist");
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>An hour of calls every 5 s; from 10:20 to 10:30 one in three fails (529).</summary>
    private static async Task<string> StoreAsync(TempDirectory dir)
    {
        var records = new List<CallRecord>();
        for (var t = T0; t < T0.AddHours(1); t = t.AddSeconds(5))
        {
            var call = new CallRecord
            {
                Id = Guid.CreateVersion7(t), StartTime = t, ModelRequested = "claude-haiku-4-5", ModelUsed = "claude-haiku-4-5", HttpStatus = 200,
                StopReason = "end_turn", LatencyMs = 300, Usage = new TokenUsage { InputTokens = 100, OutputTokens = 20 },
            };
            var burst = t >= T0.AddMinutes(20) && t < T0.AddMinutes(30) && records.Count % 3 == 0;
            records.Add(burst ? call with { Status = CallStatus.Error, HttpStatus = 529, StopReason = null, Usage = null, Error = new CallError { Type = ErrorTypes.Overloaded, Retryable = true } } : call);
        }

        await using var store = DuckDbCallStore.Open(Path.Combine(dir.Path, DuckDbCallStore.FileName));
        await store.AppendAsync(records);
        return dir.Write("rules.json", """
            {"evaluate_every": "10s", "defaults": false,
             "rules": [{"name": "errors", "metric": "error_rate", "above": 0.1, "window": "5m", "min_calls": 10, "group_by": "model"},
                       {"name": "never", "metric": "latency_p99", "above": "30s"}]}
            """);
    }

    [Fact]
    public async Task Backtest_replays_a_store_and_says_when_each_rule_would_have_fired_and_resolved()
    {
        using var dir = new TempDirectory();
        var rules = await StoreAsync(dir);

        var result = await Cli.RunAsync("alerts", "backtest", "--rules", rules, "--data-dir", dir.Path, "--since", "2026-11-20T10:00:00Z", "--until", "2026-11-20T11:00:00Z", "--format", "json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(720, root.GetProperty("records").GetInt64());
        Assert.Equal(360, root.GetProperty("evaluations").GetInt64());
        var alert = Assert.Single(root.GetProperty("alerts").EnumerateArray());
        Assert.Equal("errors", alert.GetProperty("rule").GetString());
        Assert.Equal("claude-haiku-4-5", alert.GetProperty("group").GetProperty("model").GetString());
        // A third of the calls fail from 10:20: the 5-minute window passes 10% within two minutes of it…
        var fired = alert.GetProperty("fired_at").GetDateTimeOffset();
        Assert.InRange(fired, T0.AddMinutes(20), T0.AddMinutes(22));
        // …and, once they stop at 10:30, falls back under 10% as the burst leaves the window.
        var resolved = alert.GetProperty("resolved_at").GetDateTimeOffset();
        Assert.InRange(resolved, T0.AddMinutes(33), T0.AddMinutes(35).AddSeconds(10));
        Assert.InRange(alert.GetProperty("worst_value").GetDouble(), 0.3, 0.35);
        Assert.Equal([1, 0], root.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("fired").GetInt32()));
    }

    [Fact]
    public async Task Backtest_prints_a_table_by_default()
    {
        using var dir = new TempDirectory();
        var rules = await StoreAsync(dir);

        var result = await Cli.RunAsync("alerts", "backtest", "--rules", rules, "--data-dir", dir.Path, "--since", "2026-11-20T10:00:00Z", "--until", "2026-11-20T11:00:00Z");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("720 calls replayed", result.Out, StringComparison.Ordinal);
        Assert.Contains("model=claude-haiku-4-5", result.Out, StringComparison.Ordinal);
        Assert.Contains("2026-11-20 10:2", result.Out, StringComparison.Ordinal);
        Assert.Contains("> 10%", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_refuses_bad_input_with_one_line()
    {
        using var dir = new TempDirectory();
        var rules = await StoreAsync(dir);

        Cli.AssertBadInput(await Cli.RunAsync("alerts", "backtest", "--data-dir", dir.Path), "--rules");
        Cli.AssertBadInput(await Cli.RunAsync("alerts", "backtest", "--rules", dir.Write("bad.json", BadWindow), "--data-dir", dir.Path), "rule \"errors\": \"window\" must be a duration");
        Cli.AssertBadInput(await Cli.RunAsync("alerts", "backtest", "--rules", rules, "--data-dir", dir.Path, "--since", "2026-11-21", "--until", "2026-11-20"), "--since must be before --until");
        Cli.AssertBadInput(await Cli.RunAsync("alerts", "backtest", "--rules", rules, "--data-dir", dir.File("nowhere")), "there is no store at");
        Cli.AssertBadInput(await Cli.RunAsync("alerts", "backtest", "--rules", rules, "--data-dir", dir.Path, "--format", "xml"), "xml");
    }
}
