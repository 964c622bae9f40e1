using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>A report's totals over the hand-built records, each worked out by hand (see <see cref="HandBuiltRecords"/>).</summary>
public class ReportTotalsTests
{
    private readonly Report _report = HandBuiltRecords.Build();

    [Fact]
    public void Counts_calls_and_errors()
    {
        Assert.Equal(11, _report.Calls);
        Assert.Equal(8, _report.Successes);
        Assert.Equal(3, _report.Errors); // R8 (429), R9 (529), R11 (cut stream)
        Assert.Equal(3.0 / 11, _report.ErrorRate, precision: 12);
    }

    [Fact]
    public void Errors_by_type_ordered_by_count_then_name()
    {
        Assert.Equal(
            [("overloaded_error", 1L), ("rate_limit_error", 1L), ("stream_truncated", 1L)],
            _report.ErrorsByType.Select(e => (e.Key, e.Count)));
        Assert.All(_report.ErrorsByType, e => Assert.Equal(1.0 / 3, e.Share, precision: 12));
    }

    [Fact]
    public void Cost_is_the_recorded_cost_by_default_labelled_with_its_table()
    {
        Assert.Equal(HandBuiltRecords.TotalCost, _report.CostUsd);
        Assert.Equal("recorded", _report.CostMode);
        Assert.Equal("2026-08-07", _report.PriceTableVersion);
    }

    [Fact]
    public void Cost_is_recomputed_from_tokens_exactly_when_asked()
    {
        var recomputed = HandBuiltRecords.Build(new ReportOptions { CostMode = CostMode.Recomputed }, HandBuiltRecords.All.Select(r => r with { Cost = null }));
        Assert.Equal(HandBuiltRecords.TotalCost, recomputed.CostUsd);
        Assert.Equal("recomputed", recomputed.CostMode);
        Assert.Equal("2026-08-07", recomputed.PriceTableVersion);
    }

    [Fact]
    public void Cost_breakdown_by_class()
    {
        var c = _report.CostBreakdownUsd;
        Assert.Equal(0.0633m, c.Input); // .003 + .0006 + .005 + .003 + .05 + .0005 + .0012
        Assert.Equal(0.0075m, c.CacheWrite5m); // R1
        Assert.Equal(0.002m, c.CacheWrite1h); // R4
        Assert.Equal(0.0256m, c.CacheRead); // R2 .0006 + R5 .025
        Assert.Equal(0.07624m, c.Output); // .0075 + .0045 + .00512 + .00512 + .05 + .0025 + .0015
        Assert.Equal(0.02m, c.WebSearch); // R6
        Assert.Equal(_report.CostUsd, c.Input + c.CacheWrite5m + c.CacheWrite1h + c.CacheRead + c.Output + c.WebSearch);
    }

    [Fact]
    public void Tokens_per_class()
    {
        // input 1000+200+5000+3000+10000+100+1000+400; output 500+300+1024+1024+2000+100+1000+100
        Assert.Equal(new TokenTotals(Input: 20700, Output: 6048, CacheWrite: 3000, CacheRead: 52000, Thinking: 500), _report.Tokens);
    }

    [Fact]
    public void Cache_hit_rate_is_reads_over_all_input()
    {
        // 52000 / (20700 + 3000 + 52000): input_tokens excludes cached tokens, so all three buckets are the denominator.
        Assert.Equal(52000.0 / 75700, _report.CacheHitRate!.Value, precision: 12);
    }

    [Fact]
    public void Stop_reasons_and_max_tokens_truncation_rate()
    {
        Assert.Equal([("end_turn", 5L), ("max_tokens", 2L), ("tool_use", 1L)], _report.StopReasons.Select(s => (s.Key, s.Count)));
        Assert.Equal(5.0 / 8, _report.StopReasons[0].Share, precision: 12);
        // 2 of the 8 calls with a stop reason hit max_tokens.
        Assert.Equal(0.25, _report.MaxTokensTruncationRate!.Value, precision: 12);
    }

    [Fact]
    public void Latency_and_ttft_percentiles()
    {
        // latencies sorted: 50 60 100 200 300 400 500 600 700 800 900 (n = 11, rank = p x 10)
        Assert.Equal(11, _report.LatencyMs.Count);
        Assert.Equal(400, _report.LatencyMs.P50!.Value, precision: 9); // rank 5
        Assert.Equal(850, _report.LatencyMs.P95!.Value, precision: 9); // rank 9.5 -> 800 + 0.5 x 100
        Assert.Equal(890, _report.LatencyMs.P99!.Value, precision: 9); // rank 9.9 -> 800 + 0.9 x 100
        Assert.Equal(900, _report.LatencyMs.Max);
        // ttft: 80 150 300 (rank = p x 2)
        Assert.Equal(3, _report.TtftMs.Count);
        Assert.Equal(150, _report.TtftMs.P50!.Value, precision: 9);
        Assert.Equal(285, _report.TtftMs.P95!.Value, precision: 9); // rank 1.9 -> 150 + 0.9 x 150
        Assert.Equal(300, _report.TtftMs.Max);
    }

    [Fact]
    public void Period_spans_the_first_and_last_call()
    {
        Assert.Equal(HandBuiltRecords.R1.StartTime, _report.From);
        Assert.Equal(HandBuiltRecords.R11.StartTime, _report.To);
    }

    [Fact]
    public void Order_of_the_records_does_not_change_the_report()
    {
        var reversed = HandBuiltRecords.Build(records: HandBuiltRecords.All.Reverse());
        var shuffled = HandBuiltRecords.Build(records: HandBuiltRecords.All.OrderBy(r => r.Tags.User).ThenByDescending(r => r.LatencyMs));

        Assert.Equal(ReportJsonContext.Serialize(_report), ReportJsonContext.Serialize(reversed));
        Assert.Equal(ReportJsonContext.Serialize(_report), ReportJsonContext.Serialize(shuffled));
    }

    [Fact]
    public void Empty_report_has_no_rates()
    {
        var empty = HandBuiltRecords.Build(records: []);

        Assert.Equal(0, empty.Calls);
        Assert.Equal(0, empty.ErrorRate);
        Assert.Equal(0m, empty.CostUsd);
        Assert.Null(empty.CacheHitRate);
        Assert.Null(empty.MaxTokensTruncationRate);
        Assert.Null(empty.Coverage.Coverage);
        Assert.Null(empty.From);
        Assert.Empty(empty.By);
        Assert.Equal(PercentileSummary.Empty, empty.LatencyMs);
    }
}
