using System.Text.Json;
using Claudit.Core.Reporting;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Rules;

/// <summary>
/// Reads a rules file (docs/alerts.md, "The rules file"). Every problem is one
/// <see cref="AlertsFileException"/> whose message names the file, the rule (or notify entry) and the
/// field, e.g. <c>alerts.json: rule "errors": "window" must be a duration like 30s or 5m, not "soon"</c>.
/// </summary>
public static class AlertsFile
{
    private static readonly string[] TopFields = ["evaluate_every", "repeat_every", "defaults", "dashboard_url", "runbook_url", "notify", "rules"];
    private static readonly string[] RuleFields = ["name", "metric", "above", "at_least", "below", "window", "for", "min_calls", "group_by", "filter", "repeat_every", "severity", "forecast_above", "baseline_below", "enabled"];
    private static readonly string[] FilterFields = ["model", "feature", "user", "tenant", "endpoint"];
    private static readonly string[] NotifyFields = ["type", "url", "max_attempts", "backoff", "headers"];
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public const int MaxGroupLabels = 3;

    /// <summary>The file at <paramref name="path"/>; its messages name it as it was given.</summary>
    public static AlertsConfig Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AlertsFileException($"{path}: cannot read the rules file: {(ex is FileNotFoundException or DirectoryNotFoundException ? "it does not exist" : ex.Message)}", ex);
        }

        return Parse(bytes, path);
    }

    public static AlertsConfig Parse(ReadOnlyMemory<byte> json, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new AlertsFileException($"{name}: not valid JSON: {ex.Message.Split(" Path:", 2)[0].TrimEnd('.')} (line {(ex.LineNumber ?? 0) + 1})", ex);
        }

        using (document)
        {
            var top = new JsonFields(document.RootElement, name, "the file");
            top.AllowOnly(TopFields);
            var repeat = top.Duration("repeat_every", TimeSpan.Zero) ?? TimeSpan.FromHours(4);
            var useDefaults = top.Boolean("defaults") ?? true;
            var rules = new List<AlertRule>();
            var disabled = new HashSet<string>(StringComparer.Ordinal);
            if (top.Element("rules") is { } list)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw top.Error($"\"rules\" must be a list of rules, not {JsonFields.Quote(list)}");
                }

                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    var (rule, enabled, ruleName) = ParseRule(item, index++, name, repeat);
                    if (rules.Any(r => r.Name == ruleName) || disabled.Contains(ruleName))
                    {
                        throw new AlertsFileException($"{name}: rule \"{ruleName}\": another rule has the same name");
                    }

                    if (enabled)
                    {
                        rules.Add(rule!);
                    }
                    else
                    {
                        disabled.Add(ruleName);
                    }
                }
            }

            if (useDefaults)
            {
                // A file rule named like a built-in one replaces it; "enabled": false turns it off.
                rules.InsertRange(0, DefaultRules.All.Where(d => !disabled.Contains(d.Name) && rules.All(r => r.Name != d.Name)).Select(d => d with { RepeatEvery = repeat }));
            }

            var every = top.Duration("evaluate_every", TimeSpan.FromMilliseconds(100)) ?? AlertsConfig.Defaults.EvaluateEvery;
            if (rules.FirstOrDefault(r => r.Info.Calendar is null && !r.Info.Pulled && r.Window < every) is { } blind)
            {
                throw new AlertsFileException($"{name}: rule \"{blind.Name}\": \"window\" ({DurationText.Format(blind.Window)}) is shorter than evaluate_every ({DurationText.Format(every)}): calls would go unseen between evaluations");
            }

            return new AlertsConfig
            {
                EvaluateEvery = every,
                Notify = ParseNotify(top, name),
                Rules = rules,
                DashboardUrl = top.Url("dashboard_url"),
                RunbookUrl = top.Url("runbook_url"),
                Source = name,
            };
        }
    }

    private static (AlertRule? Rule, bool Enabled, string Name) ParseRule(JsonElement item, int index, string file, TimeSpan repeat)
    {
        var ruleName = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var f = new JsonFields(item, $"{file}: {(string.IsNullOrEmpty(ruleName) ? $"rule #{index + 1}" : $"rule \"{ruleName}\"")}", "a rule");
        f.AllowOnly(RuleFields);
        var name = f.Text("name") ?? throw f.Error("\"name\" is required");
        if (f.Boolean("enabled") == false)
        {
            return (null, false, name);
        }

        var builtIn = DefaultRules.All.FirstOrDefault(d => d.Name == name);
        var metricName = f.Text("metric") ?? builtIn?.Info.Name ?? throw f.Error($"\"metric\" is required: one of {MetricCatalogue.Names}");
        if (!MetricCatalogue.TryFind(metricName, out var info))
        {
            throw f.Error($"\"metric\" must be one of {MetricCatalogue.Names}; not \"{metricName}\"");
        }

        var (comparison, threshold) = Threshold(f, info);
        if (info.Calendar is not null && f.Has("window"))
        {
            throw f.Error($"\"window\" does not apply to {info.Name}: it is the current UTC calendar {(info.Calendar == CalendarPeriod.Day ? "day" : "month")}");
        }

        if (info.Pulled)
        {
            foreach (var field in new[] { "window", "min_calls", "group_by", "filter" })
            {
                if (f.Has(field))
                {
                    throw f.Error($"\"{field}\" does not apply to {info.Name}: {(info.OverBudgets ? "it reads the budgets, one alert per budget" : "it reads the billing reconciliation, one alert for the last finished UTC day")}");
                }
            }
        }

        var groupBy = GroupBy(f, info);
        if (f.Has("forecast_above") && info.Metric is not (AlertMetric.CostSpike or AlertMetric.OutputTpsSpike))
        {
            throw f.Error($"\"forecast_above\" applies to cost_spike and output_tps_spike only, not {info.Name}");
        }

        if (f.Has("baseline_below") && info.Metric != AlertMetric.CacheHitRate)
        {
            throw f.Error($"\"baseline_below\" applies to cache_hit_rate only, not {info.Name}");
        }

        var baselineBelow = f.Number("baseline_below");
        if (baselineBelow is < 0 or > 1)
        {
            throw f.Error($"\"baseline_below\" is a share of the group's own baseline between 0 and 1 (0.6 = 60%), not {baselineBelow}");
        }

        var forecastAbove = f.Number("forecast_above");
        if (forecastAbove is <= 0)
        {
            throw f.Error($"\"forecast_above\" must be a positive multiple of the forecast (1.1 = 110%), not {forecastAbove}");
        }

        var rule = new AlertRule
        {
            Name = name,
            Metric = info.Metric,
            Comparison = comparison,
            Threshold = threshold,
            Window = f.Duration("window", TimeSpan.FromSeconds(1)) ?? info.Window,
            For = f.Duration("for", TimeSpan.Zero) ?? TimeSpan.Zero,
            MinCalls = f.WholeNumber("min_calls", 0, 1_000_000_000) ?? info.MinCalls,
            GroupBy = groupBy,
            Filter = Filter(f),
            RepeatEvery = f.Duration("repeat_every", TimeSpan.Zero) ?? repeat,
            Severity = f.Text("severity") ?? "warning",
            ForecastAbove = forecastAbove ?? (info.Metric == AlertMetric.CostSpike ? 1.1 : null),
            BaselineBelow = baselineBelow ?? (info.Metric == AlertMetric.CacheHitRate ? 0.6 : null),
        };
        if (rule.Window > TimeSpan.FromDays(31))
        {
            throw f.Error($"\"window\" must be at most 31d, not \"{DurationText.Format(rule.Window)}\"");
        }

        return (rule, true, name);
    }

    private static (AlertComparison, double) Threshold(JsonFields f, MetricInfo info)
    {
        var given = new[] { ("above", AlertComparison.Above), ("at_least", AlertComparison.AtLeast), ("below", AlertComparison.Below) }.Where(c => f.Has(c.Item1)).ToArray();
        if (given.Length > 1)
        {
            throw f.Error("give one of \"above\", \"at_least\" or \"below\", not several");
        }

        if (given.Length == 0)
        {
            return info.Threshold is { } seed
                ? (info.Comparison, seed)
                : throw f.Error($"{info.Name} has no default threshold: give \"above\" ({Describe(info)})");
        }

        var (key, comparison) = given[0];
        var value = f.Element(key)!.Value;
        double threshold;
        if (info.Unit == MetricUnit.Seconds && value.ValueKind == JsonValueKind.String && DurationText.TryParse(value.GetString(), out var d))
        {
            threshold = d.TotalSeconds;
        }
        else if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            threshold = number;
        }
        else
        {
            throw f.Error($"\"{key}\" must be a number ({Describe(info)}), not {JsonFields.Quote(value)}");
        }

        if (info.Unit == MetricUnit.Ratio && !info.OverBudgets && threshold is < 0 or > 1)
        {
            throw f.Error($"\"{key}\" is a share between 0 and 1 for {info.Name} (0.05 = 5%), not {threshold}");
        }

        if (threshold < 0)
        {
            throw f.Error($"\"{key}\" must not be negative, not {threshold}");
        }

        return (comparison, threshold);
    }

    private static string Describe(MetricInfo info) => info.Metric switch
    {
        AlertMetric.CostSpike or AlertMetric.OutputTpsSpike => "a multiple of the rolling 24 h average, e.g. 3",
        AlertMetric.BudgetUsed => "a share of the budget, e.g. 0.8",
        _ => info.Unit switch
        {
            MetricUnit.Ratio => "a share between 0 and 1",
            MetricUnit.Seconds => "seconds, or a duration like \"10s\"",
            MetricUnit.Usd => "USD",
            MetricUnit.Count => "a number of calls",
            _ => "a number",
        },
    };

    private static IReadOnlyList<CallDimension> GroupBy(JsonFields f, MetricInfo info)
    {
        if (f.Element("group_by") is not { } g)
        {
            return info.GroupBy;
        }

        IEnumerable<string?> names = g.ValueKind switch
        {
            JsonValueKind.String => (g.GetString() ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            JsonValueKind.Array => g.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : null),
            _ => throw f.Error($"\"group_by\" must be a label or a list of labels (model, feature, user, tenant, session, endpoint), not {JsonFields.Quote(g)}"),
        };
        var dimensions = new List<CallDimension>();
        foreach (var label in names)
        {
            if (label is null || !Enum.TryParse<CallDimension>(label, ignoreCase: true, out var d) || !char.IsAsciiLetterLower(label[0]))
            {
                throw f.Error($"\"group_by\" labels are model, feature, user, tenant, session and endpoint; not {(label is null ? "a non-string" : $"\"{label}\"")}");
            }

            if (!dimensions.Contains(d))
            {
                dimensions.Add(d);
            }
        }

        var total = dimensions.Count + (info.ForcedGroup is { } forced && !dimensions.Contains(forced) ? 1 : 0);
        if (total > MaxGroupLabels)
        {
            throw f.Error($"\"group_by\" takes at most {MaxGroupLabels} labels{(info.ForcedGroup is { } fg ? $" ({info.Name} is always grouped by {fg.ToString().ToLowerInvariant()})" : "")}");
        }

        return dimensions;
    }

    private static RuleFilter Filter(JsonFields f)
    {
        if (f.Element("filter") is not { } element)
        {
            return RuleFilter.None;
        }

        var filter = new JsonFields(element, f.Where + " filter", "\"filter\"");
        filter.AllowOnly(FilterFields);
        return new RuleFilter
        {
            Calls = new RecordFilter { Model = filter.Text("model"), Feature = filter.Text("feature"), User = filter.Text("user"), Tenant = filter.Text("tenant") },
            Endpoint = filter.Text("endpoint"),
        };
    }

    private static IReadOnlyList<NotifyTarget> ParseNotify(JsonFields top, string file)
    {
        if (top.Element("notify") is not { } list)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw top.Error($"\"notify\" must be a list of targets, not {JsonFields.Quote(list)}");
        }

        var targets = new List<NotifyTarget>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var f = new JsonFields(item, $"{file}: notify[{index++}]", "a notify target");
            f.AllowOnly(NotifyFields);
            var kind = f.Text("type") switch
            {
                "webhook" => NotifyKind.Webhook,
                "slack" => NotifyKind.Slack,
                null => throw f.Error("\"type\" is required: webhook or slack"),
                var other => throw f.Error($"\"type\" must be webhook or slack, not \"{other}\""),
            };
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (f.Element("headers") is { } h)
            {
                var hf = new JsonFields(h, $"{file}: notify[{index - 1}] headers", "\"headers\"");
                foreach (var p in h.EnumerateObject())
                {
                    headers[p.Name] = hf.Text(p.Name)!;
                }
            }

            targets.Add(new NotifyTarget
            {
                Kind = kind,
                Url = f.Url("url") ?? throw f.Error("\"url\" is required"),
                MaxAttempts = (int)(f.WholeNumber("max_attempts", 1, 20) ?? 6),
                Backoff = f.Duration("backoff", TimeSpan.FromMilliseconds(10)) ?? TimeSpan.FromSeconds(1),
                Headers = headers,
            });
        }

        return targets;
    }
}
