using Claudit.Core.Reconcile;

namespace Claudit.Core.Tests.Reconcile;

/// <summary>
/// Anthropic's side from the two reports: the daily cost line items shared out to the usage results of the same
/// model, tier, context window, geo and token class; web search shared by searches; tiers without cost.
/// </summary>
public class BilledUsageTests
{
    private static readonly DateTimeOffset Day = new(2026, 9, 3, 0, 0, 0, TimeSpan.Zero);

    private static BilledUsageResult Usage(DateTimeOffset bucket, string model, string tier, long input, long output, string window = "0-200k", string geo = "global", long searches = 0, long w1h = 0) =>
        new(bucket, model, tier, window, geo, new ReconcileAmounts { UncachedInputTokens = input, OutputTokens = output, WebSearchRequests = searches, CacheWrite1hTokens = w1h });

    private static BilledCostLine Tokens(string tokenType, string model, string tier, decimal cents, string window = "0-200k", string geo = "global") =>
        new(Day, "tokens", tokenType, model, tier, window, geo, cents / 100m);

    [Fact]
    public void The_reference_worked_example_gives_each_tier_its_own_cost()
    {
        // §6: call A standard (1000 in, 300 out, 2000 read, 500 5m writes), call B batch (10000 in, 1000 out): $0.032475.
        var usage = new[]
        {
            new BilledUsageResult(Day, "claude-sonnet-4-6", "standard", "0-200k", "global", new ReconcileAmounts { UncachedInputTokens = 1000, CacheReadTokens = 2000, CacheWrite5mTokens = 500, OutputTokens = 300 }),
            Usage(Day, "claude-sonnet-4-6", "batch", 10000, 1000),
        };
        var costs = new[]
        {
            Tokens("uncached_input_tokens", "claude-sonnet-4-6", "standard", 0.3m), Tokens("cache_read_input_tokens", "claude-sonnet-4-6", "standard", 0.06m),
            Tokens("cache_creation.ephemeral_5m_input_tokens", "claude-sonnet-4-6", "standard", 0.1875m), Tokens("output_tokens", "claude-sonnet-4-6", "standard", 0.45m),
            Tokens("uncached_input_tokens", "claude-sonnet-4-6", "batch", 1.5m), Tokens("output_tokens", "claude-sonnet-4-6", "batch", 0.75m),
        };

        var cells = BilledUsage.Combine(usage, costs, ReconcileWidth.Day);

        Assert.Equal(0.009975m, cells.Single(c => c.Key.ServiceTier == "standard").Amounts.CostUsd);
        Assert.Equal(0.0225m, cells.Single(c => c.Key.ServiceTier == "batch").Amounts.CostUsd);
        Assert.Equal(0.032475m, cells.Sum(c => c.Amounts.CostUsd));
    }

    [Fact]
    public void By_hour_a_days_line_is_shared_by_each_hours_tokens_of_the_same_window_so_the_long_context_premium_stays_with_its_hour()
    {
        // Sonnet 4.5 bills a premium above 200k: the 200k-1M lines cost double per input token. Hour 10 has the long call.
        var usage = new[]
        {
            Usage(Day.AddHours(9), "claude-sonnet-4-5", "standard", 1000, 0),
            Usage(Day.AddHours(10), "claude-sonnet-4-5", "standard", 3000, 0),
            Usage(Day.AddHours(10), "claude-sonnet-4-5", "standard", 250_000, 0, window: "200k-1M"),
        };
        var costs = new[]
        {
            Tokens("uncached_input_tokens", "claude-sonnet-4-5", "standard", 4000 * 3m / 10_000m),
            Tokens("uncached_input_tokens", "claude-sonnet-4-5", "standard", 250_000 * 6m / 10_000m, window: "200k-1M"),
        };

        var cells = BilledUsage.Combine(usage, costs, ReconcileWidth.Hour);

        Assert.Equal(0.003m, cells.Where(c => c.Key.Bucket == Day.AddHours(9)).Sum(c => c.Amounts.CostUsd));
        Assert.Equal(0.009m + 1.5m, cells.Where(c => c.Key.Bucket == Day.AddHours(10)).Sum(c => c.Amounts.CostUsd));
    }

    [Fact]
    public void Us_inference_is_its_own_line_and_stays_with_the_calls_that_made_it()
    {
        var usage = new[] { Usage(Day.AddHours(1), "claude-opus-4-6", "standard", 1000, 0, geo: "us"), Usage(Day.AddHours(2), "claude-opus-4-6", "standard", 1000, 0) };
        var costs = new[] { Tokens("uncached_input_tokens", "claude-opus-4-6", "standard", 0.55m, geo: "us"), Tokens("uncached_input_tokens", "claude-opus-4-6", "standard", 0.5m) };

        var cells = BilledUsage.Combine(usage, costs, ReconcileWidth.Hour);

        Assert.Equal([0.0055m, 0.005m], cells.OrderBy(c => c.Key.Bucket).Select(c => c.Amounts.CostUsd!.Value));
    }

    [Fact]
    public void Web_search_has_no_model_in_the_cost_report_and_is_shared_by_searches()
    {
        var usage = new[] { Usage(Day, "claude-sonnet-4-6", "standard", 10, 0, searches: 3), Usage(Day, "claude-haiku-4-5", "standard", 10, 0, searches: 1) };
        var costs = new[] { new BilledCostLine(Day, "web_search", null, null, null, null, null, 0.04m) };

        var cells = BilledUsage.Combine(usage, costs, ReconcileWidth.Day);

        Assert.Equal(0.03m, cells.Single(c => c.Key.Model == "claude-sonnet-4-6").Amounts.CostUsd);
        Assert.Equal(0.01m, cells.Single(c => c.Key.Model == "claude-haiku-4-5").Amounts.CostUsd);
    }

    [Fact]
    public void One_hour_cache_writes_take_their_own_line()
    {
        var usage = new[] { Usage(Day, "claude-opus-4-6", "standard", 0, 0, w1h: 2000) };
        var costs = new[] { Tokens("cache_creation.ephemeral_1h_input_tokens", "claude-opus-4-6", "standard", 2.0m), Tokens("cache_creation.ephemeral_5m_input_tokens", "claude-opus-4-6", "standard", 9m) };

        var cells = BilledUsage.Combine(usage, costs, ReconcileWidth.Day);

        // The 1h line is the row's; the 5m line had no 5m usage to share it and is kept on a row of its own, no money dropped.
        Assert.Equal([0.02m, 0.09m], cells.Select(c => c.Amounts.CostUsd!.Value).Order());
        Assert.Equal(2000, cells.Sum(c => c.Amounts.CacheWrite1hTokens));
    }

    [Fact]
    public void Priority_tier_usage_has_no_billed_cost_since_the_cost_report_leaves_it_out()
    {
        var cells = BilledUsage.Combine([Usage(Day, "claude-opus-4-6", "priority", 1000, 100)], [], ReconcileWidth.Day);
        Assert.Null(Assert.Single(cells).Amounts.CostUsd);
        Assert.Equal(0m, BilledUsage.Combine([Usage(Day, "claude-opus-4-6", "standard", 1000, 100)], [], ReconcileWidth.Day).Single().Amounts.CostUsd);
    }
}
