using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// The rules over the call records (docs/alerts.md, "How a rule fires"). <see cref="Observe"/> adds a
/// record to every rule's windows (in memory, per group, in slots: cost per call is a few dictionary
/// lookups); <see cref="Evaluate"/> reads every group at the clock's time and steps each alert's state
/// machine: nothing → pending when the condition holds → firing once it has held for the rule's
/// <c>for</c> (notified once) → resolved when it no longer holds (notified once); a firing alert is sent
/// again every <c>repeat_every</c>. Pending alerts whose condition clears are forgotten. Not thread-safe:
/// one caller at a time (the live service holds a lock; a backtest is one loop).
/// </summary>
public sealed class AlertEvaluator
{
    private readonly TimeProvider _time;
    private readonly RuleTracker[] _trackers;
    private readonly Dictionary<(string Rule, GroupKey Key), AlertInstance> _active = [];

    /// <param name="rules">The rules to keep and evaluate.</param>
    /// <param name="time">The clock evaluations read.</param>
    /// <param name="spend">What calls cost per hour; default a ledger of its own.</param>
    /// <param name="budgets">What the budget rules read; null: those rules stay quiet.</param>
    /// <param name="unrecorded">What <c>unrecorded_spend</c> reads; null (no <c>--admin-key-env</c>): that rule stays quiet.</param>
    public AlertEvaluator(IReadOnlyList<AlertRule> rules, TimeProvider time, SpendLedger? spend = null, IBudgetStatus? budgets = null, IUnrecordedSpendSource? unrecorded = null)
    {
        _time = time;
        Spend = spend ?? new SpendLedger();
        _trackers = [.. rules.Select(r => new RuleTracker(r, Measures.For(r, budgets, unrecorded)))];
        Rules = rules;
    }

    public IReadOnlyList<AlertRule> Rules { get; }

    /// <summary>What calls cost per hour: the budgets' source when they come from <c>--daily-budget</c>.</summary>
    public SpendLedger Spend { get; }

    internal IReadOnlyList<RuleTracker> Trackers => _trackers;

    public void Observe(CallRecord record)
    {
        Spend.Observe(record);
        foreach (var tracker in _trackers)
        {
            tracker.Observe(record);
        }
    }

    /// <summary>
    /// Takes back the pending and firing alerts a previous run stored, so that a restart neither repeats
    /// a notification nor forgets one that is owed. Alerts of rules that are gone (or whose group_by
    /// changed) are closed as resolved, silently: they are returned to be stored.
    /// </summary>
    public IReadOnlyList<StoredAlert> Restore(IEnumerable<StoredAlert> stored)
    {
        var closed = new List<StoredAlert>();
        var now = _time.GetUtcNow();
        foreach (var alert in stored)
        {
            var tracker = _trackers.FirstOrDefault(t => t.Rule.Name == alert.Rule && t.Rule.Info.Name == alert.Metric);
            if (tracker is not null && tracker.TryKey(alert.Group, out var key))
            {
                _active[(alert.Rule, key)] = AlertInstance.FromStored(alert, tracker.Rule, key);
            }
            else if (alert.Status == AlertStatuses.Firing)
            {
                closed.Add(alert with { Status = AlertStatuses.Resolved, EndedAt = now });
            }
        }

        return closed;
    }

    public EvaluationResult Evaluate()
    {
        var now = _time.GetUtcNow();
        var result = new EvaluationResult { At = now };
        var seen = new HashSet<GroupKey>();
        foreach (var tracker in _trackers)
        {
            seen.Clear();
            var rule = tracker.Rule;
            foreach (var (key, reading) in tracker.Read(now, k => _active.ContainsKey((rule.Name, k))))
            {
                seen.Add(key);
                Step(tracker, key, reading, now, result);
            }

            foreach (var ((name, key), _) in _active)
            {
                if (name == rule.Name && !seen.Contains(key))
                {
                    Step(tracker, key, null, now, result);
                }
            }
        }

        return result;
    }

    /// <summary>The active alerts and the rules, as they stand.</summary>
    public AlertsSnapshot Snapshot(DateTimeOffset? evaluatedAt) => new(
        evaluatedAt,
        [.. _active.Values.OrderBy(a => a.StartedAt).Select(a => a.ToStored(a.Status))],
        [.. _trackers.Select(t => new RuleStatus(t.Rule, t.Groups, t.DroppedCalls))]);

    private void Step(RuleTracker tracker, GroupKey key, Reading? reading, DateTimeOffset now, EvaluationResult result)
    {
        var rule = tracker.Rule;
        var breach = reading is { } r && r.Calls >= rule.MinCalls && rule.Breaches(r.Value, r.Threshold);
        _active.TryGetValue((rule.Name, key), out var alert);
        if (alert is null)
        {
            if (!breach)
            {
                return;
            }

            alert = new AlertInstance { Id = Guid.CreateVersion7(now), Rule = rule, Key = key, Labels = tracker.Labels(key), StartedAt = now, Worst = reading!.Value.Value };
            alert.Update(reading.Value);
            _active[(rule.Name, key)] = alert;
            if (rule.For <= TimeSpan.Zero)
            {
                Fire(alert, now, result);
            }
            else
            {
                result.Saves.Add(alert.ToStored(AlertStatuses.Pending));
            }

            return;
        }

        if (reading is { } latest)
        {
            alert.Update(latest);
        }

        if (alert.Status == AlertStatuses.Pending)
        {
            if (!breach)
            {
                _active.Remove((rule.Name, key));
                result.Deletes.Add(alert.Id);
            }
            else if (now - alert.StartedAt >= rule.For)
            {
                Fire(alert, now, result);
            }

            return;
        }

        if (!breach)
        {
            _active.Remove((rule.Name, key));
            var resolved = alert.ToStored(AlertStatuses.Resolved, now);
            result.Saves.Add(resolved);
            result.Transitions.Add(new AlertTransition(AlertEvent.Resolved, resolved));
        }
        else if (rule.RepeatEvery > TimeSpan.Zero && now - (alert.LastNotifiedAt ?? alert.FiredAt ?? now) >= rule.RepeatEvery)
        {
            alert.LastNotifiedAt = now;
            var repeated = alert.ToStored(AlertStatuses.Firing);
            result.Saves.Add(repeated);
            result.Transitions.Add(new AlertTransition(AlertEvent.Repeat, repeated));
        }
    }

    private static void Fire(AlertInstance alert, DateTimeOffset now, EvaluationResult result)
    {
        alert.Status = AlertStatuses.Firing;
        alert.FiredAt = now;
        alert.LastNotifiedAt = now;
        var firing = alert.ToStored(AlertStatuses.Firing);
        result.Saves.Add(firing);
        result.Transitions.Add(new AlertTransition(AlertEvent.Firing, firing));
    }
}
