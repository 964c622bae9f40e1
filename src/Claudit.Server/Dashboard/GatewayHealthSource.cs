using Claudit.Alerts;
using Claudit.Alerts.Rules;
using Claudit.Server.Budgets;
using Claudit.Server.Upstream;
using Claudit.Store.Alerting;

namespace Claudit.Server.Dashboard;

/// <summary>Reads <see cref="GatewayHealth"/> from the parts that know it: the record queue, the store applier, the upstream's health, the alerts and the policies.</summary>
internal sealed class GatewayHealthSource(JournalRecordQueue records, StoreApplier applier, UpstreamHealth upstream, AlertService alerts, IBudgetStatus budgets)
{
    /// <summary>Near a limit: the Overview's badges and the budget alert's default both start at 80%.</summary>
    public const double NearLimit = 0.8;

    /// <summary>The readiness status <c>/readyz</c> answers: journal_failed, catching_up, degraded or ready.</summary>
    public string Status() =>
        records.Problem is not null ? "journal_failed"
        : !applier.IsCaughtUp ? "catching_up"
        : !applier.Healthy || upstream.Down ? "degraded"
        : "ready";

    public async Task<GatewayHealth> ReadAsync(bool withAlertsAndBudgets, CancellationToken cancellationToken)
    {
        var lag = applier.MeasureLag();
        var snapshot = alerts.Current;
        FiringAlert[] firing = [];
        BudgetNearLimit[] near = [];
        if (withAlertsAndBudgets)
        {
            firing = [.. snapshot.Active.Where(a => a.Status == AlertStatuses.Firing).OrderBy(a => a.StartedAt).Select(a => new FiringAlert(
                a.Id, a.Rule, a.Metric, a.Severity, string.Join(" ", a.Group.Select(g => $"{g.Key}={g.Value ?? "(none)"}")), a.Value, a.Threshold, a.StartedAt))];
            var policies = await budgets.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            near = [.. policies.Where(p => p.Ratio >= NearLimit).OrderByDescending(p => p.Ratio).Select(p => new BudgetNearLimit(
                p.Name, p.Policy.Kind == PolicyKind.Budget ? "budget" : "rate_limit", p.Policy.UnitName, p.Used, p.Limit, p.Ratio, p.Scope))];
        }

        // The latency objectives are the alert rules' thresholds (in seconds), when a rule watches them: read from the
        // configured rules, which the last evaluation's snapshot lists only once the first one (after seeding) has run.
        double? Objective(AlertMetric metric) => alerts.Config.Rules.FirstOrDefault(r => r.Metric == metric)?.Threshold * 1000;
        return new GatewayHealth(Status(), upstream.Down ? "down" : "up", upstream.ConsecutiveFailures, lag.Records,
            lag.Records > 0 ? Math.Round(applier.SinceHeldAll.TotalSeconds, 3) : 0, records.Problem, applier.Problem, firing, near,
            Objective(AlertMetric.LatencyP95), Objective(AlertMetric.TtftP95));
    }
}
