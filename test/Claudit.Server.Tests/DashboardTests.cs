using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Claudit.Server.Tests.Support;

namespace Claudit.Server.Tests;

/// <summary>
/// deploy/grafana/claudit-dashboard.json parses, and every metric its PromQL names is one a real
/// gateway exposes after real calls: the dashboard stays true as metric names move.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed partial class DashboardTests
{
    private static readonly HashSet<string> Keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"];

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]")]
    private static partial Regex MatchersAndRanges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"(?<![\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![a-zA-Z0-9_:]|\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,")]
    private static partial Regex LabelValuesQuery();

    /// <summary>The metric names a PromQL expression (or a Grafana <c>label_values(metric, label)</c> query) reads.</summary>
    internal static HashSet<string> MetricNames(string expr)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in LabelValuesQuery().Matches(expr))
        {
            names.Add(m.Groups[1].Value);
        }

        if (names.Count > 0)
        {
            return names;
        }

        var bare = StringLiteral().Replace(expr, " ");
        bare = MatchersAndRanges().Replace(bare, " ");
        bare = LabelLists().Replace(bare, " ");
        foreach (Match m in Identifier().Matches(bare))
        {
            if (!Keywords.Contains(m.Groups[1].Value.ToLowerInvariant()))
            {
                names.Add(m.Groups[1].Value);
            }
        }

        return names;
    }

    private static List<string> DashboardQueries(JsonElement dashboard)
    {
        var queries = new List<string>();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        if (p.Name is "expr" or "query" or "definition" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 } q && q != "prometheus")
                        {
                            queries.Add(q);
                        }
                        else
                        {
                            Walk(p.Value);
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(dashboard);
        return queries;
    }

    /// <summary>Sample names in the exposition, negotiated as Prometheus does (OpenMetrics first).</summary>
    private static async Task<HashSet<string>> ExposedNamesAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text;version=1.0.0"));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("text/plain;version=0.0.4;q=0.5"));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return text.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void Metric_name_extraction_finds_metrics_and_skips_functions_labels_and_variables()
    {
        var names = MetricNames("""histogram_quantile(0.95, sum by (le, model) (rate(claude_latency_secondz_bucket{status="ok",model=~"$model"}[$__rate_interval]))) / ignoring(error_type) group_left() sum(claude_requests_total offset 5m) * 3600 > bool 1e3""");

        Assert.Equal(["claude_latency_secondz_bucket", "claude_requests_total"], names.Order());
        Assert.Equal(["claude_requests_total"], MetricNames("label_values(claude_requests_total, model)"));
    }

    [Fact]
    public async Task Dashboard_parses_and_queries_only_metrics_the_gateway_exposes()
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(RepoFiles.Deploy("grafana", "claudit-dashboard.json")));
        var dashboard = doc.RootElement;
        Assert.False(string.IsNullOrWhiteSpace(dashboard.GetProperty("title").GetString()));
        Assert.True(dashboard.GetProperty("panels").GetArrayLength() >= 8);
        var queries = DashboardQueries(dashboard);
        Assert.NotEmpty(queries);

        await using var gateway = await MeteredGateway.StartAsync();
        await gateway.SendStandardCallsAsync();
        var exposed = await ExposedNamesAsync(gateway.Http);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var query in queries)
        {
            var names = MetricNames(query);
            Assert.True(names.Count > 0, $"no metric found in dashboard query: {query}");
            used.UnionWith(names);
            unknown.AddRange(names.Where(n => !exposed.Contains(n)).Select(n => $"{n} (in {query})"));
        }

        Assert.True(unknown.Count == 0, $"the dashboard queries metrics the gateway does not expose:\n{string.Join("\n", unknown)}\nexposed: {string.Join(", ", exposed.Order())}");
        foreach (var family in new[] { "claude_requests_total", "claude_cost_usd_total", "claude_tokens_total", "claude_latency_seconds_bucket", "claude_ttft_seconds_bucket", "claude_rate_limit_remaining", "gen_ai_client_token_usage_bucket" })
        {
            Assert.Contains(family, used);
        }
    }
}
