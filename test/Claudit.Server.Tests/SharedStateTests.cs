using Claudit.Alerts.Evaluation;
using Claudit.Server.Budgets;
using Claudit.Server.SharedState;
using Claudit.Store.Alerting;
using StackExchange.Redis;

namespace Claudit.Server.Tests;

/// <summary>
/// The fleet's shared state against a real Redis (Debian's redis-server, started by the test): two ledgers on two
/// connections — two gateways — reserving against one budget never admit past it together, settlements count
/// what was used, and of two gateways firing the same alert exactly one sends it.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SharedStateTests
{
    [Fact]
    public async Task Two_gateways_reserving_on_one_budget_never_admit_past_it_together()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        await using var b = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        IPolicyLedger[] ledgers = [new RedisPolicyLedger(a), new RedisPolicyLedger(b)];
        var now = DateTimeOffset.UtcNow;
        // $1.00 a day, each call reserving $0.03 strictly: at most 33 calls fit, whichever gateway they reach.
        LedgerClaim Claim() => new("daily", "acme", PolicyWindow.Day, PolicyUnit.Usd, 1.00m, 0.03m, ClaimMode.Strict);

        var admitted = 0;
        await Parallel.ForAsync(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var outcome = await ledgers[i % 2].ReserveAsync([Claim()], now, ct);
            if (outcome.Admitted)
            {
                Interlocked.Increment(ref admitted);
                await ledgers[(i + 1) % 2].SettleAsync(outcome.Hold!, new LedgerAmounts(0.03m, 100));
            }
            else
            {
                Assert.True(outcome.Totals.Committed + 0.03m > 1.00m);
            }
        });

        Assert.Equal(33, admitted);
        var scope = Assert.Single(await ledgers[1].ScopesAsync("daily", PolicyWindow.Day, now));
        Assert.Equal(new CounterTotals(0.99m, 0m), scope.Totals);
        Assert.Equal(PolicyWindow.Day.BucketStart(PolicyWindow.Day.BucketOf(now) + 1), scope.ResetsAt);

        // A release gives the reservation back and counts nothing.
        var held = await ledgers[0].ReserveAsync([Claim() with { Limit = 2m }], now);
        Assert.Equal(new CounterTotals(0.99m, 0m), held.Before[0]);
        await ledgers[1].ReleaseAsync(held.Hold!);
        Assert.Equal(new CounterTotals(0.99m, 0m), (await ledgers[0].ScopesAsync("daily", PolicyWindow.Day, now))[0].Totals);

        // A restart's rebuild does not overwrite what the fleet already counts.
        await ledgers[0].RestoreAsync("daily", "acme", PolicyWindow.Day, PolicyWindow.Day.BucketOf(now), 0.10m);
        Assert.Equal(0.99m, (await ledgers[0].ScopesAsync("daily", PolicyWindow.Day, now))[0].Totals.Used);
    }

    [Fact]
    public async Task Of_gateways_firing_the_same_alert_exactly_one_sends_it_and_its_resolution()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port}");
        var leases = Enumerable.Range(0, 3).Select(i => new RedisAlertSendLease(connection, $"gateway-{i}")).ToArray();
        // Each gateway evaluates its own calls: its own alert id for the same rule and group.
        AlertTransition Fired(int gateway, AlertEvent e) => new(e, new StoredAlert
        {
            Id = Guid.NewGuid(),
            Rule = "errors",
            Metric = "error_rate",
            Group = [new("model", "claude-haiku-4-5")],
            Status = e == AlertEvent.Resolved ? AlertStatuses.Resolved : AlertStatuses.Firing,
            Comparison = "above",
            StartedAt = DateTimeOffset.UtcNow,
        });

        var sent = await Task.WhenAll(leases.Select((l, i) => l.TryClaimAsync(Fired(i, AlertEvent.Firing), CancellationToken.None).AsTask()));
        Assert.Equal(1, sent.Count(s => s));
        var sender = Array.IndexOf(sent, true);

        Assert.Equal([sender], leases.Select((l, i) => (l, i)).Where(x => x.l.TryClaimAsync(Fired(x.i, AlertEvent.Repeat), CancellationToken.None).AsTask().Result).Select(x => x.i));
        var resolved = await Task.WhenAll(leases.Select((l, i) => l.TryClaimAsync(Fired(i, AlertEvent.Resolved), CancellationToken.None).AsTask()));
        Assert.Equal([sender], resolved.Select((r, i) => (r, i)).Where(x => x.r).Select(x => x.i));

        // Resolved: the next episode is anyone's to send, once.
        var next = await Task.WhenAll(leases.Select((l, i) => l.TryClaimAsync(Fired(i, AlertEvent.Firing), CancellationToken.None).AsTask()));
        Assert.Equal(1, next.Count(s => s));
    }
}
