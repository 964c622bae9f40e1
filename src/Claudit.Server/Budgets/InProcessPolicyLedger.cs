namespace Claudit.Server.Budgets;

/// <summary>
/// The gateway's own ledger: every counter in this process, behind one lock, so a reservation over several
/// counters is one atomic step. A lock held for a few dictionary lookups per call is far below the cost of
/// the call it guards (bench/Claudit.Benchmarks PolicyGateBenchmarks). Counters whose windows emptied are
/// swept now and then — after as many reservations as there are counters, at least 4,096, so the sweep's
/// cost per call stays constant — and memory follows the scopes active in their windows, not every scope ever seen.
/// Lost with the process: calls in flight at a crash free their reservations, and finished calls are
/// counted again from the store at start (<see cref="LedgerRebuild"/>).
/// </summary>
public sealed class InProcessPolicyLedger : IPolicyLedger
{
    private const int MinSweepEvery = 4096;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, WindowCounter>> _policies = new(StringComparer.Ordinal);
    private int _reservations;
    private int _counters;

    public ValueTask<LedgerOutcome> ReserveAsync(LedgerClaim[] claims, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var before = new CounterTotals[claims.Length];
        var counters = new WindowCounter[claims.Length];
        lock (_lock)
        {
            for (var i = 0; i < claims.Length; i++)
            {
                var claim = claims[i];
                var counter = counters[i] = Counter(claim.Policy, claim.Scope, claim.Window);
                var current = claim.Window.BucketOf(now);
                var totals = counter.Totals(current);
                if (!Fits(claim, totals))
                {
                    return ValueTask.FromResult(LedgerOutcome.Refuse(i, totals, counter.RoomAt(current, claim.Limit, claim.Amount, claim.Mode == ClaimMode.Strict)));
                }

                before[i] = totals;
            }

            for (var i = 0; i < claims.Length; i++)
            {
                counters[i].Add(claims[i].Window.BucketOf(now), 0, claims[i].Amount);
            }

            if (++_reservations >= Math.Max(MinSweepEvery, _counters))
            {
                _reservations = 0;
                Sweep(now);
            }
        }

        return ValueTask.FromResult(LedgerOutcome.Admit(new LedgerHold(claims, now, counters), before));
    }

    public ValueTask SettleAsync(LedgerHold hold, LedgerAmounts used)
    {
        Adjust(hold, used);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(LedgerHold hold)
    {
        Adjust(hold, null);
        return ValueTask.CompletedTask;
    }

    public ValueTask<ScopeTotals[]> ScopesAsync(string policy, PolicyWindow window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_policies.TryGetValue(policy, out var scopes))
            {
                return ValueTask.FromResult<ScopeTotals[]>([]);
            }

            var list = new List<ScopeTotals>(scopes.Count);
            foreach (var (scope, counter) in scopes)
            {
                var totals = counter.Totals(now);
                if (!counter.IsEmpty)
                {
                    list.Add(new ScopeTotals(scope, totals, counter.NextDrop(now)));
                }
            }

            return ValueTask.FromResult(list.ToArray());
        }
    }

    public ValueTask RestoreAsync(string policy, string scope, PolicyWindow window, long bucket, decimal used, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Counter(policy, scope, window).SetUsed(bucket, used);
        }

        return ValueTask.CompletedTask;
    }

    private static bool Fits(in LedgerClaim claim, CounterTotals totals) => claim.Mode switch
    {
        ClaimMode.Track => true,
        ClaimMode.Strict => totals.Committed + claim.Amount <= claim.Limit,
        _ => totals.Committed < claim.Limit,
    };

    /// <summary>
    /// Settles (with <paramref name="used"/>) or releases (without) every claim of the hold, on the counters it
    /// reserved on. A counter swept since had no bucket left, so its claim's bucket had left the window anyway.
    /// </summary>
    private void Adjust(LedgerHold hold, LedgerAmounts? used)
    {
        var counters = (WindowCounter[])hold.LedgerState!;
        lock (_lock)
        {
            for (var i = 0; i < counters.Length; i++)
            {
                var claim = hold.Claims[i];
                counters[i].Adjust(claim.Window.BucketOf(hold.ReservedAt), used?.In(claim.Unit) ?? 0, -claim.Amount);
            }
        }
    }

    private WindowCounter Counter(string policy, string scope, PolicyWindow window)
    {
        if (!_policies.TryGetValue(policy, out var scopes))
        {
            _policies[policy] = scopes = new Dictionary<string, WindowCounter>(StringComparer.Ordinal);
        }

        if (!scopes.TryGetValue(scope, out var counter))
        {
            scopes[scope] = counter = new WindowCounter(window);
            _counters++;
        }

        return counter;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var scopes in _policies.Values)
        {
            foreach (var (scope, counter) in scopes)
            {
                counter.Totals(now);
                if (counter.IsEmpty)
                {
                    scopes.Remove(scope);
                    _counters--;
                }
            }
        }
    }
}
