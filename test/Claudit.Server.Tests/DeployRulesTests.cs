using System.Text.RegularExpressions;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// deploy/prometheus: the rules load, the example configuration is valid, and the rule unit tests
/// (input series shaped like the gateway's, expected alerts) pass under the real promtool; every alert
/// has a firing case, and every catalogue row the metrics can express has its alert.
/// deploy/alertmanager: the example configuration passes the real amtool.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class DeployRulesTests
{
    [Fact]
    public async Task Rules_file_is_valid()
    {
        var (code, stdout, stderr) = await PrometheusTools.RunAsync("promtool", "check", "rules", RepoFiles.Deploy("prometheus", "claudit-rules.yml"));

        Assert.True(code == 0, $"promtool check rules failed ({code}):\n{stdout}{stderr}");
        Assert.Contains("SUCCESS", stdout, StringComparison.Ordinal);
    }

    private static string[] TestFiles => Directory.GetFiles(RepoFiles.Deploy("prometheus"), "*.test.yml").Order().ToArray();

    [Fact]
    public async Task Rule_unit_tests_pass_so_the_alerts_fire_when_they_should()
    {
        Assert.Equal(["claudit-rules-baselines.test.yml", "claudit-rules.test.yml"], TestFiles.Select(Path.GetFileName));
        var (code, stdout, stderr) = await PrometheusTools.RunAsync("promtool", ["test", "rules", .. TestFiles]);

        Assert.True(code == 0, $"promtool test rules failed ({code}):\n{stdout}{stderr}");
    }

    [Fact]
    public async Task Example_prometheus_config_is_valid_and_scrapes_the_default_serve_address()
    {
        var config = RepoFiles.Deploy("prometheus", "prometheus.yml");
        var (code, stdout, stderr) = await PrometheusTools.RunAsync("promtool", "check", "config", config);

        Assert.True(code == 0, $"promtool check config failed ({code}):\n{stdout}{stderr}");
        var text = await File.ReadAllTextAsync(config);
        Assert.Contains("127.0.0.1:4000", text, StringComparison.Ordinal);
        Assert.Contains("claudit-rules.yml", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_in_the_rules_is_exercised_by_the_unit_tests()
    {
        var rules = await File.ReadAllLinesAsync(RepoFiles.Deploy("prometheus", "claudit-rules.yml"));
        var tests = string.Concat(await Task.WhenAll(TestFiles.Select(f => File.ReadAllTextAsync(f))));
        var alerts = rules.Select(l => l.Trim()).Where(l => l.StartsWith("- alert:", StringComparison.Ordinal)).Select(l => l["- alert:".Length..].Trim()).ToList();

        Assert.NotEmpty(alerts);
        // A test that expects it to fire (exp_alerts with an entry), not only one that expects silence.
        Assert.All(alerts, a => Assert.Matches(new Regex($@"alertname: {Regex.Escape(a)}\s*\n\s*exp_alerts:\s*\n(\s*#.*\n)*\s*- exp_labels:"), tests.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task Every_catalogue_row_the_metrics_can_express_has_its_alert_in_the_rules()
    {
        var rules = await File.ReadAllTextAsync(RepoFiles.Deploy("prometheus", "claudit-rules.yml"));
        foreach (var metric in Claudit.Alerts.Rules.MetricCatalogue.All)
        {
            if (metric.PrometheusAlert is { } alert)
            {
                Assert.Matches(new Regex($@"- alert: {alert}\n(.*\n)*?\s+catalogue: {metric.Name}\n"), rules.ReplaceLineEndings("\n"));
                Assert.Contains($"docs/alerts.md#runbook-{metric.Name}", rules, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_alertmanager_example_passes_amtool()
    {
        var (code, stdout, stderr) = await PrometheusTools.RunAsync("amtool", "check-config", RepoFiles.Deploy("alertmanager", "alertmanager.yml"));

        Assert.True(code == 0, $"amtool check-config failed ({code}):\n{stdout}{stderr}");
        Assert.Contains("SUCCESS", stdout, StringComparison.Ordinal);
    }
}
