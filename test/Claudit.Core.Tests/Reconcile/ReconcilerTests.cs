using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;

namespace Claudit.Core.Tests.Reconcile;

/// <summary>The comparison of recorded and billed usage: verdicts, tolerance, rows and totals, model families.</summary>
public class ReconcilerTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static ReconcileAmounts Amounts(long input, long output, decimal? cost, long w5m = 0, long w1h = 0, long read = 0, long searches = 0) => new()
    {
        UncachedInputTokens = input, OutputTokens = output, CacheWrite5mTokens = w5m, CacheWrite1hTokens = w1h, CacheReadTokens = read, WebSearchRequests = searches, CostUsd = cost,
    };

    private static ReconcileCell Cell(string model, ReconcileAmounts a, string tier = "standard", DateTimeOffset? bucket = null) => new(new ReconcileKey(bucket ?? Day, model, tier), a);

    private static string Verdict(ReconcileAmounts recorded, ReconcileAmounts billed, string tolerance = "0.5%")
    {
        Assert.True(ReconcileTolerance.TryParse(tolerance, out var t));
        return Reconciler.Verdict(recorded, billed, t);
    }

    [Fact]
    public void Same_counts_and_cost_match()
    {
        Assert.Equal("match", Verdict(Amounts(1000, 300, 0.0075m, w5m: 500, w1h: 200, read: 2000, searches: 2), Amounts(1000, 300, 0.0075m, w5m: 500, w1h: 200, read: 2000, searches: 2)));
    }

    [Fact]
    public void More_billed_than_recorded_is_unrecorded_usage_and_less_is_unbilled_records()
    {
        Assert.Equal("unrecorded usage", Verdict(Amounts(1000, 300, 0.0075m), Amounts(1500, 400, 0.0105m)));
        Assert.Equal("unbilled records", Verdict(Amounts(1500, 400, 0.0105m), Amounts(1000, 300, 0.0075m)));
        // One class over and one under: the side that costs more, even with fewer tokens; without a billed cost, more tokens.
        Assert.Equal("unrecorded usage", Verdict(Amounts(3000, 100, 0.0105m), Amounts(2000, 400, 0.012m)));
        Assert.Equal("unbilled records", Verdict(Amounts(2000, 400, 0.012m), Amounts(3000, 100, 0.0105m)));
        Assert.Equal("unbilled records", Verdict(Amounts(3000, 100, 0.0105m), Amounts(2000, 400, null)));
    }

    [Fact]
    public void Same_counts_with_a_different_cost_is_a_price_mismatch()
    {
        Assert.Equal("price mismatch", Verdict(Amounts(1000, 300, 0.0075m), Amounts(1000, 300, 0.0090m)));
        // An unpriced model was recorded at no cost.
        Assert.Equal("price mismatch", Verdict(Amounts(1000, 300, 0m), Amounts(1000, 300, 0.0075m)));
    }

    [Fact]
    public void Web_searches_and_each_cache_class_count_on_their_own()
    {
        Assert.Equal("unrecorded usage", Verdict(Amounts(1000, 300, 0.02m, searches: 1), Amounts(1000, 300, 0.03m, searches: 2)));
        // The same writes in the other TTL class: not the same usage.
        Assert.NotEqual("match", Verdict(Amounts(0, 0, 0m, w5m: 1000), Amounts(0, 0, 0m, w1h: 1000)));
    }

    [Theory]
    [InlineData("0.5%", 1000, 1005, "match")]
    [InlineData("0.5%", 1000, 1006, "unrecorded usage")]
    [InlineData("0%", 1000, 1001, "unrecorded usage")]
    [InlineData("1%", 1000, 990, "match")]
    [InlineData("0.01", 1000, 1010, "match")]
    public void The_tolerance_is_a_share_of_the_larger_side(string tolerance, long recorded, long billed, string verdict)
    {
        Assert.Equal(verdict, Verdict(Amounts(recorded, 0, 0m), Amounts(billed, 0, 0m), tolerance));
    }

    [Fact]
    public void Cost_has_a_hundredth_of_a_cent_allowance_for_the_reports_rounding()
    {
        Assert.Equal("match", Verdict(Amounts(10, 10, 0.000100m), Amounts(10, 10, 0.000199m), "0%"));
        Assert.Equal("price mismatch", Verdict(Amounts(10, 10, 0.000100m), Amounts(10, 10, 0.000201m), "0%"));
    }

    [Fact]
    public void A_tier_without_billed_cost_is_compared_on_counts_alone()
    {
        Assert.Equal("match", Verdict(Amounts(1000, 300, 0.0075m), Amounts(1000, 300, null)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1%")]
    [InlineData("101%")]
    [InlineData("2")]
    public void Bad_tolerances_do_not_parse(string text) => Assert.False(ReconcileTolerance.TryParse(text, out _));

    [Fact]
    public void Rows_pair_both_sides_by_bucket_model_and_tier_and_totals_sum_them()
    {
        var recorded = new[] { Cell("claude-sonnet-4-6", Amounts(100, 10, 0.00045m)), Cell("claude-haiku-4-5", Amounts(50, 5, 0.000075m)) };
        var billed = new[]
        {
            Cell("claude-sonnet-4-6", Amounts(100, 10, 0.00045m)),
            Cell("claude-haiku-4-5", Amounts(80, 5, 0.000105m)),
            Cell("claude-sonnet-4-6", Amounts(40, 4, 0.00012m), tier: "batch"),
        };

        var r = Reconciler.Compare(recorded, billed, Day, Day.AddDays(1), ReconcileWidth.Day, ReconcileTolerance.Default);

        Assert.Equal(
            [("claude-haiku-4-5", "standard", "unrecorded usage"), ("claude-sonnet-4-6", "batch", "unrecorded usage"), ("claude-sonnet-4-6", "standard", "match")],
            r.Rows.Select(x => (x.Key.Model, x.Key.ServiceTier, x.Verdict)));
        Assert.False(r.AllMatch);
        Assert.Equal(0.000525m, r.Totals.Recorded.CostUsd);
        Assert.Equal(0.000675m, r.Totals.Billed.CostUsd);
        Assert.Equal(0.00015m, r.Totals.Difference.CostUsd);
        Assert.Equal(0.00015m, r.UnrecordedCostUsd);
        Assert.Equal((double)(0.00015m / 0.000675m), r.UnrecordedShare);
    }

    [Fact]
    public void A_price_mismatch_is_not_counted_as_unrecorded_spend()
    {
        var r = Reconciler.Compare([Cell("claude-haiku-4-5", Amounts(100, 10, 0.001m))], [Cell("claude-haiku-4-5", Amounts(100, 10, 0.002m))], Day, Day.AddDays(1), ReconcileWidth.Day, ReconcileTolerance.Default);
        Assert.Equal("price mismatch", Assert.Single(r.Rows).Verdict);
        Assert.Equal(0m, r.UnrecordedCostUsd);
        Assert.Equal(0d, r.UnrecordedShare);
    }

    [Fact]
    public void Aliases_and_dated_snapshots_are_one_row_named_by_the_price_table_family()
    {
        var r = Reconciler.Compare(
            [Cell("claude-sonnet-4-5", Amounts(100, 10, 0.00045m))], [Cell("claude-sonnet-4-5-20250929", Amounts(100, 10, 0.00045m))],
            Day, Day.AddDays(1), ReconcileWidth.Day, ReconcileTolerance.Default, PriceTable.Default);
        var row = Assert.Single(r.Rows);
        Assert.Equal("claude-sonnet-4-5", row.Key.Model);
        Assert.True(row.IsMatch);
    }

    [Fact]
    public void Unrecorded_spend_per_day_sums_the_days_rows()
    {
        var day2 = Day.AddDays(1);
        var rows = Reconciler.Compare(
            [Cell("m", Amounts(100, 10, 1m)), Cell("m", Amounts(100, 10, 2m), bucket: day2)],
            [Cell("m", Amounts(150, 10, 1.5m)), Cell("m", Amounts(100, 10, 2m), bucket: day2), Cell("n", Amounts(10, 1, 0.5m), bucket: day2)],
            Day, day2.AddDays(1), ReconcileWidth.Day, ReconcileTolerance.Default).Rows;

        var days = UnrecordedSpend.ByDay(rows.Select(r => (r, Day)));

        Assert.Equal([(Day, 1.5m, 0.5m), (day2, 2.5m, 0.5m)], days.Select(d => (d.Day, d.BilledUsd, d.UnrecordedUsd)));
        Assert.Equal([(double)(0.5m / 1.5m), 0.2], days.Select(d => d.Value!.Value));
    }
}
