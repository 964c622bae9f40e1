using Claudit.Core.Reporting;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Fills an evaluator's windows from a store as if it had been running: the long memories (hourly
/// baselines, calendar spend, the spend ledger) from the store's hourly totals up to the replay start,
/// then the records since it replayed through <see cref="AlertEvaluator.Observe"/>, the same path live
/// calls take. The replay covers the longest rule window, at least an hour and at most a day, so a
/// restart does not forget the last hour. The live service and backtests both start this way.
/// </summary>
public static class AlertSeeder
{
    public static readonly TimeSpan MinReplay = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxReplay = TimeSpan.FromDays(1);

    /// <summary>How far back records are replayed for these rules.</summary>
    public static TimeSpan ReplaySpan(IEnumerable<Rules.AlertRule> rules)
    {
        var longest = rules.Where(r => r.Info.Calendar is null && !r.Info.Pulled).Select(r => r.Window).DefaultIfEmpty(TimeSpan.Zero).Max();
        return longest < MinReplay ? MinReplay : longest > MaxReplay ? MaxReplay : longest;
    }

    /// <summary>
    /// Seeds <paramref name="evaluator"/> for an evaluation at <paramref name="now"/> and returns how many
    /// records it replayed. <paramref name="replayed"/> is called with each (a live service remembers
    /// the last ones, which may reach it again from the record queue).
    /// </summary>
    public static async Task<long> SeedAsync(AlertEvaluator evaluator, IAlertStore store, DateTimeOffset now, Action<Core.Records.CallRecord>? replayed = null, CancellationToken cancellationToken = default)
    {
        var replayStart = now - ReplaySpan(evaluator.Rules);
        foreach (var tracker in evaluator.Trackers)
        {
            if (tracker.Measure.SeedSince(now) is { } from && Hour(from) is var since && since < replayStart)
            {
                var filter = tracker.Rule.Filter.Calls with { Since = since, Until = replayStart, Endpoint = EndpointScope.All };
                foreach (var hour in await store.QueryHourlyTotalsAsync(filter, tracker.Rule.Filter.Endpoint, tracker.Dimensions, cancellationToken).ConfigureAwait(false))
                {
                    tracker.Seed(hour);
                }
            }
        }

        var ledgerSince = Hour(SpendLedger.MemoryStart(now));
        if (ledgerSince < replayStart)
        {
            foreach (var hour in await store.QueryHourlyTotalsAsync(new RecordFilter { Since = ledgerSince, Until = replayStart, Endpoint = EndpointScope.All }, null, [], cancellationToken).ConfigureAwait(false))
            {
                evaluator.Spend.Seed(hour);
            }
        }

        long count = 0;
        await foreach (var record in store.ReadCallsAsync(new RecordFilter { Since = replayStart, Until = now, Endpoint = EndpointScope.All }, null, cancellationToken).ConfigureAwait(false))
        {
            evaluator.Observe(record);
            replayed?.Invoke(record);
            count++;
        }

        return count;
    }

    /// <summary>The start of the hour: hourly slots are seeded whole, as calls filled them.</summary>
    private static DateTimeOffset Hour(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
}
