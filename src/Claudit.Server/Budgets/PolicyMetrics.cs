using System.Diagnostics.Metrics;
using Claudit.Core.Telemetry;

namespace Claudit.Server.Budgets;

/// <summary>
/// The policies' series on the <c>Claudit</c> meter (served at <c>/metrics</c> with the call metrics):
/// <c>claude_requests_blocked_total{policy}</c>, calls a policy refused, and <c>claude_budget_used_ratio{policy}</c>,
/// each policy's used plus reserved over its limit, for its fullest scope. Policy names come from the policy
/// file and the virtual keys, so the label's values are bounded by configuration, never by traffic.
/// </summary>
internal sealed class PolicyMetrics : IDisposable
{
    private readonly Meter _meter = new(CallTelemetry.MeterName);
    private readonly Counter<long> _blocked;

    public PolicyMetrics(IBudgetStatus status)
    {
        _blocked = _meter.CreateCounter<long>("claude_requests_blocked", description: "Calls the gateway refused because a budget or rate-limit policy was at its limit");
        _meter.CreateObservableGauge("claude_budget_used_ratio", () => Ratios(status), description: "Used plus reserved over the limit, per policy (its fullest scope)");
    }

    public void Blocked(string policy)
    {
        if (_blocked.Enabled)
        {
            _blocked.Add(1, new KeyValuePair<string, object?>("policy", policy));
        }
    }

    private static IEnumerable<Measurement<double>> Ratios(IBudgetStatus status)
    {
        // Read at scrape time; the in-process ledger answers at once (a shared one makes the scrape wait for it).
        var pending = status.GetStatusAsync();
        var statuses = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        foreach (var s in statuses)
        {
            yield return new Measurement<double>(s.Ratio, new KeyValuePair<string, object?>("policy", s.Name));
        }
    }

    public void Dispose() => _meter.Dispose();
}
