using System.Globalization;
using Claudit.Core.Reporting;

namespace Claudit.Cli.Output;

/// <summary>A titled table of text: the one layout of a report that the table and markdown renderers both draw.</summary>
internal sealed record Section(string Title, string[] Columns, List<string[]> Rows, string? Note = null);

/// <summary>Lays a report out as sections, in reading order.</summary>
internal static class ReportSections
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<Section> Build(Report r)
    {
        var sections = new List<Section>
        {
            new("Summary", ["metric", "value"],
            [
                ["period", r.From is null ? "-" : $"{Time(r.From)} .. {Time(r.To)}"],
                ["calls", Int(r.Calls)],
                ["successes", Int(r.Successes)],
                ["errors", $"{Int(r.Errors)} ({Pct(r.ErrorRate)} of attempts)"],
                ["failed after retries", Pct(r.FailureRateAfterRetries)],
                ["cost", $"{Usd(r.CostUsd)} ({r.CostMode}{(r.PriceTableVersion is null ? "" : ", prices of " + r.PriceTableVersion)})"],
                ["cost coverage", r.Coverage.Coverage is { } c ? Pct(c) : "-"],
                ["cache hit rate", r.CacheHitRate is { } h ? Pct(h) : "-"],
                ["max_tokens truncation rate", r.MaxTokensTruncationRate is { } t ? Pct(t) : "-"],
            ]),
            new("Tokens and cost by class", ["class", "tokens", "cost"],
            [
                ["input (uncached)", Int(r.Tokens.Input), Usd(r.CostBreakdownUsd.Input)],
                ["cache write 5m", "", Usd(r.CostBreakdownUsd.CacheWrite5m)],
                ["cache write 1h", "", Usd(r.CostBreakdownUsd.CacheWrite1h)],
                ["cache write (all)", Int(r.Tokens.CacheWrite), Usd(r.CostBreakdownUsd.CacheWrite5m + r.CostBreakdownUsd.CacheWrite1h)],
                ["cache read", Int(r.Tokens.CacheRead), Usd(r.CostBreakdownUsd.CacheRead)],
                ["output", Int(r.Tokens.Output), Usd(r.CostBreakdownUsd.Output)],
                ["  of which thinking", Int(r.Tokens.Thinking), ""],
                ["web search", "", Usd(r.CostBreakdownUsd.WebSearch)],
            ]),
            new("Latency (ms)", ["measure", "calls", "p50", "p95", "p99", "max"],
            [
                ["total latency", Int(r.LatencyMs.Count), Ms(r.LatencyMs.P50), Ms(r.LatencyMs.P95), Ms(r.LatencyMs.P99), Ms(r.LatencyMs.Max)],
                ["time to first token", Int(r.TtftMs.Count), Ms(r.TtftMs.P50), Ms(r.TtftMs.P95), Ms(r.TtftMs.P99), Ms(r.TtftMs.Max)],
            ]),
        };

        sections.Add(new($"By {r.GroupBy}", [r.GroupBy, "calls", "errors", "error rate", "cost", "input", "output", "cache write", "cache read", "p50 ms", "p95 ms"],
            r.By.Select(g => new[]
            {
                g.Key, Int(g.Calls), Int(g.Errors), Pct(g.ErrorRate), Usd(g.CostUsd), Int(g.InputTokens), Int(g.OutputTokens),
                Int(g.CacheWriteTokens), Int(g.CacheReadTokens), Ms(g.LatencyP50Ms), Ms(g.LatencyP95Ms),
            }).ToList()));

        if (r.ErrorsByType.Count > 0)
        {
            sections.Add(new("Errors by type", ["type", "calls", "share"], r.ErrorsByType.Select(e => new[] { e.Key, Int(e.Count), Pct(e.Share) }).ToList()));
        }

        if (r.StopReasons.Count > 0)
        {
            sections.Add(new("Stop reasons", ["stop reason", "calls", "share"], r.StopReasons.Select(e => new[] { e.Key, Int(e.Count), Pct(e.Share) }).ToList()));
        }

        if (r.TopCalls.Count > 0)
        {
            sections.Add(new($"Top {r.TopCalls.Count} most expensive calls", ["time", "model", "cost", "input", "output", "cache write", "cache read", "feature", "user", "request id"],
                r.TopCalls.Select(c => new[]
                {
                    Time(c.StartTime), c.Model ?? "-", Usd(c.CostUsd), Int(c.InputTokens), Int(c.OutputTokens), Int(c.CacheWriteTokens),
                    Int(c.CacheReadTokens), c.Feature ?? "-", c.User ?? "-", c.RequestId ?? "-",
                }).ToList()));
        }

        if (r.RecentErrors.Count > 0)
        {
            sections.Add(new("Recent errors", ["time", "model", "type", "http", "message", "request id"],
                r.RecentErrors.Select(e => new[]
                {
                    Time(e.StartTime), e.Model ?? "-", e.Type, e.HttpStatus?.ToString(Inv) ?? "-", Truncate(e.Message, 80), e.RequestId ?? "-",
                }).ToList()));
        }

        if (r.OtherEndpoints.Count > 0)
        {
            sections.Add(new($"Other endpoints (not in the figures above, which cover {r.Endpoint} calls)", ["endpoint", "calls", "errors", "cost", "p50 ms", "p95 ms"],
                r.OtherEndpoints.Select(e => new[] { e.Endpoint, Int(e.Calls), Int(e.Errors), Usd(e.CostUsd), Ms(e.LatencyP50Ms), Ms(e.LatencyP95Ms) }).ToList()));
        }

        if (r.BatchGaps.Count > 0)
        {
            sections.Add(new("Message Batches whose results were not seen", ["batch", "requests", "last seen"],
                r.BatchGaps.Select(g => new[] { g.BatchId, g.RequestCount is { } n ? Int(n) : "-", Time(g.LastSeen) }).ToList(),
                "Their results were read around the gateway (or not yet): their spend is not in the cost above."));
        }

        List<string[]> coverageRows =
        [
            ["priced calls", Int(r.Coverage.PricedCalls)],
            ["unpriced calls (tokens, unknown price)", Int(r.Coverage.UnpricedCalls)],
            ["successful calls without usage", Int(r.Coverage.CallsWithoutUsage)],
        ];
        coverageRows.AddRange(r.Coverage.UnpricedModels.Select(m => new[] { $"  unpriced model {m.Key}", Int(m.Count) }));
        if (r.SkippedLines > 0)
        {
            coverageRows.Add(["skipped lines (not records)", Int(r.SkippedLines)]);
        }

        sections.Add(new("Cost coverage", ["", "calls"], coverageRows,
            r.Coverage.UnpricedCalls + r.Coverage.CallsWithoutUsage > 0 ? "The cost above leaves these calls out: it is a lower bound." : null));
        return sections;
    }

    internal static string Int(long v) => v.ToString("N0", Inv);

    internal static string Pct(double v) => (v * 100).ToString("0.0", Inv) + "%";

    internal static string Usd(decimal v) => "$" + (v >= 100 ? v.ToString("N2", Inv) : v.ToString("0.0000", Inv));

    internal static string Ms(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("0.0", Inv) : "-";

    internal static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", Inv) ?? "-";

    private static string Truncate(string? s, int max) => s is null ? "-" : s.Length <= max ? s : s[..(max - 1)] + "…";
}
