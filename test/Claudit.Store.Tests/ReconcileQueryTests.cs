using Claudit.Core.Pricing;
using Claudit.Core.Reconcile;
using Claudit.Core.Records;

namespace Claudit.Store.Tests;

/// <summary>
/// The store's side of a reconciliation (<c>QueryRecordedUsageAsync</c>) and the reconciliations it keeps
/// (Schema/007, <c>IReconcileStore</c>), over a real DuckDB file.
/// </summary>
public class ReconcileQueryTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static CallRecord Call(int n, DateTimeOffset start, string model, TokenUsage usage, string endpoint = AnthropicEndpoints.Messages, string? kind = null) =>
        CostCalculator.Default.Apply(new CallRecord
        {
            Id = Guid.Parse($"01a19467-0000-7000-8000-{n:x12}"),
            StartTime = start,
            Endpoint = endpoint,
            EndpointKind = kind ?? EndpointKinds.Classify(null, endpoint),
            ModelRequested = model,
            ModelUsed = model,
            HttpStatus = 200,
            Usage = usage,
            LatencyMs = 100,
        });

    [Fact]
    public async Task Recorded_usage_is_summed_per_utc_bucket_billed_model_and_tier_with_cache_writes_as_billed()
    {
        using var temp = new TempStore();
        await using var store = temp.Open();
        var late = new DateTimeOffset(2026, 11, 21, 1, 30, 0, TimeSpan.FromHours(2)); // 23:30 UTC on the 20th
        await store.AppendAsync([
            Call(1, Day.AddHours(9), "claude-sonnet-4-6", new TokenUsage { InputTokens = 100, OutputTokens = 10, CacheCreationInputTokens = 700, CacheCreation5mInputTokens = 500, CacheCreation1hInputTokens = 200, CacheReadInputTokens = 30, WebSearchRequests = 2 }),
            Call(2, late, "claude-sonnet-4-6", new TokenUsage { InputTokens = 50, OutputTokens = 5, CacheCreationInputTokens = 40 }),
            Call(3, Day.AddHours(12), "claude-sonnet-4-6", new TokenUsage { InputTokens = 1000, OutputTokens = 100, ServiceTier = "batch" }, "/v1/messages/batches/msgbatch_1/results", EndpointKinds.BatchResult),
            Call(4, Day.AddHours(13), "claude-sonnet-4-6", new TokenUsage { InputTokens = 7 }, AnthropicEndpoints.CountTokens),
            Call(5, Day.AddDays(1).AddMinutes(1), "claude-sonnet-4-6", new TokenUsage { InputTokens = 9, OutputTokens = 9 }),
        ]);

        var cells = await store.QueryRecordedUsageAsync(Day, Day.AddDays(1), ReconcileWidth.Day);

        // count_tokens is free (not billed, not in the usage report); the call after midnight is the next day's.
        Assert.Equal([("claude-sonnet-4-6", "batch"), ("claude-sonnet-4-6", "standard")], cells.Select(c => (c.Key.Model, c.Key.ServiceTier)));
        Assert.All(cells, c => Assert.Equal(Day, c.Key.Bucket));
        var standard = cells.Single(c => c.Key.ServiceTier == "standard").Amounts;
        // A write with no 5m/1h split is billed as 5-minute.
        Assert.Equal((150L, 540L, 200L, 30L, 15L, 2L), (standard.UncachedInputTokens, standard.CacheWrite5mTokens, standard.CacheWrite1hTokens, standard.CacheReadTokens, standard.OutputTokens, standard.WebSearchRequests));
        var batch = cells.Single(c => c.Key.ServiceTier == "batch").Amounts;
        Assert.Equal(CostCalculator.Default.Price("claude-sonnet-4-6", new TokenUsage { InputTokens = 1000, OutputTokens = 100 }).TotalUsd / 2, batch.CostUsd);

        var hours = await store.QueryRecordedUsageAsync(Day, Day.AddDays(1), ReconcileWidth.Hour);
        Assert.Equal([Day.AddHours(9), Day.AddHours(12), Day.AddHours(23)], hours.Select(c => c.Key.Bucket));
    }

    [Fact]
    public async Task A_reconciliation_is_stored_replaced_day_by_day_and_read_back_with_the_unrecorded_spend_per_day()
    {
        using var temp = new TempStore();
        await using var store = temp.Open();
        ReconcileAmounts A(long input, decimal? cost) => new() { UncachedInputTokens = input, OutputTokens = 10, CostUsd = cost };
        ReconcileCell C(DateTimeOffset day, string model, ReconcileAmounts a, string tier = "standard") => new(new ReconcileKey(day, model, tier), a);
        var first = Reconciler.Compare(
            [C(Day, "claude-sonnet-4-6", A(100, 1m)), C(Day.AddDays(1), "claude-sonnet-4-6", A(100, 1m))],
            [C(Day, "claude-sonnet-4-6", A(150, 1.5m)), C(Day.AddDays(1), "claude-sonnet-4-6", A(100, 1m)), C(Day.AddDays(1), "claude-opus-4-6", A(10, null), "priority")],
            Day, Day.AddDays(2), ReconcileWidth.Day, ReconcileTolerance.Default);
        var at = new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero);
        await store.SaveReconciliationAsync(first, at);

        var stored = await store.QueryReconciliationsAsync(Day, Day.AddDays(2));
        Assert.Equal(first.Rows, stored.Select(s => s.Row));
        Assert.All(stored, s => Assert.Equal(at, s.ReconciledAt));
        var spend = await store.QueryUnrecordedSpendAsync(Day, Day.AddDays(2));
        Assert.Equal([(Day, 1.5m, 0.5m), (Day.AddDays(1), 1m, 0m)], spend.Select(d => (d.Day, d.BilledUsd, d.UnrecordedUsd)));

        // The second day reconciled again (usage arrived late): its rows are replaced, the first day's kept.
        var again = Reconciler.Compare([C(Day.AddDays(1), "claude-sonnet-4-6", A(100, 1m))], [C(Day.AddDays(1), "claude-sonnet-4-6", A(300, 3m))],
            Day.AddDays(1), Day.AddDays(2), ReconcileWidth.Day, ReconcileTolerance.Default);
        await store.SaveReconciliationAsync(again, at.AddHours(1));
        var now = await store.QueryReconciliationsAsync(Day, Day.AddDays(2));
        Assert.Equal(2, now.Count);
        Assert.Equal("unrecorded usage", now[0].Row.Verdict);
        Assert.Equal(("claude-sonnet-4-6", 300L, "unrecorded usage", at.AddHours(1)), (now[1].Row.Key.Model, now[1].Row.Billed.UncachedInputTokens, now[1].Row.Verdict, now[1].ReconciledAt));
        Assert.Equal((double)(2m / 3m), (await store.QueryUnrecordedSpendAsync(Day.AddDays(1), Day.AddDays(2))).Single().Value);
    }
}
