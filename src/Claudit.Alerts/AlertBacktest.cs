using Claudit.Alerts.Evaluation;
using Claudit.Alerts.Rules;
using Claudit.Core.Reporting;
using Claudit.Store.Alerting;

namespace Claudit.Alerts;

/// <summary>
/// <c>claudit alerts backtest</c>: replays stored history through the same <see cref="AlertEvaluator"/>
/// the gateway runs, on a <see cref="ReplayClock"/> that follows the records' start times. Windows are
/// seeded as a gateway starting at <c>since</c> would seed them; then, record by record, every
/// evaluation that falls before the next record's time runs (every <see cref="AlertsConfig.EvaluateEvery"/>),
/// up to <c>until</c>. Nothing is written and nothing is sent: the result lists when each rule would
/// have fired and resolved. It replays calls only: <c>unrecorded_spend</c>, which reads the billing
/// reconciliation rather than calls, has no source here and stays quiet.
/// </summary>
public static class AlertBacktest
{
    public static async Task<BacktestResult> RunAsync(AlertsConfig config, IAlertStore store, DateTimeOffset since, DateTimeOffset until, decimal? dailyBudgetUsd = null, CancellationToken cancellationToken = default)
    {
        var clock = new ReplayClock(since);
        var spend = new SpendLedger();
        var evaluator = new AlertEvaluator(config.Rules, clock, spend, dailyBudgetUsd is { } limit ? new DailyBudgetStatus(limit, spend) : null);
        await AlertSeeder.SeedAsync(evaluator, store, since, cancellationToken: cancellationToken).ConfigureAwait(false);

        var alerts = new Dictionary<Guid, StoredAlert>();
        var order = new List<Guid>();
        var every = config.EvaluateEvery;
        var next = since + every;
        long records = 0, evaluations = 0;

        void EvaluateUntil(DateTimeOffset time)
        {
            while (next <= time)
            {
                clock.Set(next);
                foreach (var t in evaluator.Evaluate().Transitions)
                {
                    if (!alerts.ContainsKey(t.Alert.Id))
                    {
                        order.Add(t.Alert.Id);
                    }

                    alerts[t.Alert.Id] = t.Alert;
                }

                evaluations++;
                next += every;
            }
        }

        await foreach (var record in store.ReadCallsAsync(new RecordFilter { Since = since, Until = until, Endpoint = EndpointScope.All }, null, cancellationToken).ConfigureAwait(false))
        {
            EvaluateUntil(record.StartTime);
            evaluator.Observe(record);
            records++;
        }

        EvaluateUntil(until);
        return new BacktestResult(since, until, every, records, evaluations, config.Rules, [.. order.Select(id => alerts[id])]);
    }
}
