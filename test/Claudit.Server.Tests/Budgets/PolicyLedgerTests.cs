using Claudit.Server.Budgets;

namespace Claudit.Server.Tests.Budgets;

/// <summary>The in-process ledger's contract, which a shared ledger keeps too: all or nothing, settle or release once, windows that slide.</summary>
public sealed class PolicyLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static LedgerClaim Claim(string policy, decimal limit, decimal amount, ClaimMode mode = ClaimMode.Room, PolicyWindow? window = null, PolicyUnit unit = PolicyUnit.Usd) =>
        new(policy, "s", window ?? PolicyWindow.Day, unit, limit, amount, mode);

    private static async Task<CounterTotals> Totals(IPolicyLedger ledger, string policy, PolicyWindow window, DateTimeOffset at) =>
        (await ledger.ScopesAsync(policy, window, at)).SingleOrDefault(s => s.Scope == "s").Totals;

    [Fact]
    public async Task A_reservation_is_all_or_nothing_across_its_claims()
    {
        var ledger = new InProcessPolicyLedger();
        Assert.True((await ledger.ReserveAsync([Claim("a", 10, 4), Claim("b", 1, 1)], T0)).Admitted);

        var refused = await ledger.ReserveAsync([Claim("a", 10, 4), Claim("b", 1, 1)], T0);
        Assert.False(refused.Admitted);
        Assert.Equal(1, refused.RefusedClaim);
        Assert.Equal(new CounterTotals(0, 1), refused.Totals);
        Assert.Equal(new CounterTotals(0, 4), await Totals(ledger, "a", PolicyWindow.Day, T0)); // "a" was not reserved a second time
    }

    [Fact]
    public async Task Room_admits_while_anything_is_left_strict_only_what_fits_and_track_always()
    {
        var ledger = new InProcessPolicyLedger();
        Assert.True((await ledger.ReserveAsync([Claim("room", 10, 9)], T0)).Admitted);
        Assert.True((await ledger.ReserveAsync([Claim("room", 10, 9)], T0)).Admitted); // 9 < 10: room left, the worst case may cross
        Assert.False((await ledger.ReserveAsync([Claim("room", 10, 0)], T0)).Admitted); // 18 ≥ 10

        Assert.True((await ledger.ReserveAsync([Claim("strict", 10, 6, ClaimMode.Strict)], T0)).Admitted);
        Assert.False((await ledger.ReserveAsync([Claim("strict", 10, 5, ClaimMode.Strict)], T0)).Admitted);
        Assert.True((await ledger.ReserveAsync([Claim("strict", 10, 4, ClaimMode.Strict)], T0)).Admitted);

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await ledger.ReserveAsync([Claim("warn", 1, 1, ClaimMode.Track)], T0)).Admitted);
        }

        Assert.Equal(5m, (await Totals(ledger, "warn", PolicyWindow.Day, T0)).Reserved);
    }

    [Fact]
    public async Task Settling_replaces_the_worst_case_by_what_was_used_and_releasing_by_nothing_once()
    {
        var ledger = new InProcessPolicyLedger();
        var usd = (await ledger.ReserveAsync([Claim("usd", 10, 3), Claim("rpm", 5, 1, unit: PolicyUnit.Requests), Claim("tpm", 900, 700, unit: PolicyUnit.Tokens)], T0)).Hold!;
        await ledger.SettleAsync(usd, new LedgerAmounts(1.25m, 321));
        Assert.Equal(new CounterTotals(1.25m, 0), await Totals(ledger, "usd", PolicyWindow.Day, T0));
        Assert.Equal(new CounterTotals(1, 0), await Totals(ledger, "rpm", PolicyWindow.Day, T0));
        Assert.Equal(new CounterTotals(321, 0), await Totals(ledger, "tpm", PolicyWindow.Day, T0));

        var released = (await ledger.ReserveAsync([Claim("usd", 10, 3)], T0)).Hold!;
        await ledger.ReleaseAsync(released);
        Assert.Equal(new CounterTotals(1.25m, 0), await Totals(ledger, "usd", PolicyWindow.Day, T0));
    }

    [Fact]
    public async Task A_rolling_window_drops_its_oldest_buckets_and_says_when_room_comes_back()
    {
        var ledger = new InProcessPolicyLedger();
        Assert.True(PolicyWindow.TryParse("1h", out var hour));
        var first = (await ledger.ReserveAsync([Claim("h", 2, 1, window: hour)], T0)).Hold!;
        await ledger.SettleAsync(first, new LedgerAmounts(1, 0));
        var second = (await ledger.ReserveAsync([Claim("h", 2, 1, window: hour)], T0.AddMinutes(20))).Hold!;
        await ledger.SettleAsync(second, new LedgerAmounts(1, 0));

        var refused = await ledger.ReserveAsync([Claim("h", 2, 1, window: hour)], T0.AddMinutes(30));
        Assert.False(refused.Admitted);
        Assert.Equal(T0.AddHours(1), refused.ResetsAt); // when the 12:00 bucket slides out, 1 of 2 is used: room

        Assert.True((await ledger.ReserveAsync([Claim("h", 2, 1, window: hour)], T0.AddHours(1))).Admitted);
        Assert.Equal(new CounterTotals(1, 1), await Totals(ledger, "h", hour, T0.AddHours(1)));
        Assert.Empty(await ledger.ScopesAsync("h", hour, T0.AddHours(3))); // everything slid out
    }

    [Fact]
    public async Task A_settlement_after_its_calendar_period_ended_changes_nothing()
    {
        var ledger = new InProcessPolicyLedger();
        var lateNight = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero);
        var hold = (await ledger.ReserveAsync([Claim("d", 10, 5)], lateNight)).Hold!;
        Assert.True((await ledger.ReserveAsync([Claim("d", 10, 5)], lateNight.AddSeconds(2))).Admitted); // a new day
        await ledger.SettleAsync(hold, new LedgerAmounts(4, 0));
        Assert.Equal(new CounterTotals(0, 5), await Totals(ledger, "d", PolicyWindow.Day, lateNight.AddSeconds(2)));
    }

    [Fact]
    public async Task Restoring_sets_a_bucket_so_that_repeating_it_counts_once()
    {
        var ledger = new InProcessPolicyLedger();
        var bucket = PolicyWindow.Day.BucketOf(T0);
        await ledger.RestoreAsync("d", "s", PolicyWindow.Day, bucket, 4);
        await ledger.RestoreAsync("d", "s", PolicyWindow.Day, bucket, 4);
        Assert.Equal(new CounterTotals(4, 0), await Totals(ledger, "d", PolicyWindow.Day, T0));
    }

    [Fact]
    public void Windows_index_their_buckets_in_utc_calendar_periods_or_sixtieths()
    {
        Assert.True(PolicyWindow.TryParse("1mo", out var month));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), month.LeavesAt(month.BucketOf(T0)));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), month.Start(T0));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), PolicyWindow.Day.LeavesAt(PolicyWindow.Day.BucketOf(T0)));
        Assert.True(PolicyWindow.TryParse("24h", out var day));
        Assert.Equal(TimeSpan.FromMinutes(24).Ticks, day.BucketTicks);
        Assert.Equal(T0.AddHours(-24).AddMinutes(24), day.Start(T0));
        Assert.Equal(("today", "this month", "in the last minute", "in the last 24 hours", "in the last 90 minutes"),
            (PolicyWindow.Day.Describe(), month.Describe(), PolicyWindow.Minute.Describe(), day.Describe(), PolicyWindow.TryParse("90m", out var m90) ? m90.Describe() : ""));
        foreach (var bad in new[] { "", "1", "1w", "0h", "01h", "-1m", "1.5h", "1d2", "50000h" })
        {
            Assert.False(PolicyWindow.TryParse(bad, out _), bad);
        }
    }
}
