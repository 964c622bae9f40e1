using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// How one catalogue metric is kept and read for a rule: which calls count, what each adds to its
/// group's windows, and the value (with its threshold) a group has now. One instance per rule; the
/// rule's tracker keeps the groups. Subclasses keep their windows in their own <see cref="GroupState"/>.
/// </summary>
internal abstract class Measure(AlertRule rule)
{
    /// <summary>Slots per window: a window slides in steps of 1/30 of itself.</summary>
    public const int Slots = 30;

    public AlertRule Rule { get; } = rule;

    /// <summary>How long a group is kept after its last call: its longest memory.</summary>
    public virtual TimeSpan Memory => Rule.Window;

    /// <summary>When its long memory (hourly baselines, calendar spend) needs the store's hourly totals from, for an evaluator starting at <paramref name="now"/>; null: the replayed records are enough.</summary>
    public virtual DateTimeOffset? SeedSince(DateTimeOffset now) => null;

    public abstract GroupState NewGroup();

    /// <summary>Whether the call is one this metric is computed over (a TTFT only for streams, truncation only for answers…).</summary>
    public abstract bool Counts(CallRecord record);

    public abstract void Observe(GroupState group, CallRecord record);

    /// <summary>The group's value at <paramref name="now"/> (ticks), or null when there is none to judge.</summary>
    public abstract Reading? Read(GroupState group, long now);

    /// <summary>One hour of the store's totals for the group, at start.</summary>
    public virtual void Seed(GroupState group, HourlyTotals hour)
    {
    }

    /// <summary>Called once per evaluation before the groups are read: forget what is older than any window.</summary>
    public virtual void Prune(long now)
    {
    }

    /// <summary>The group is dropped (no call within its memory): release what the measure counted for it.</summary>
    public virtual void Forget(GroupState group)
    {
    }

    protected static long Ticks(CallRecord record) => record.StartTime.UtcTicks;
}

/// <summary>A measure whose groups keep a <typeparamref name="TState"/>.</summary>
internal abstract class Measure<TState>(AlertRule rule) : Measure(rule)
    where TState : GroupState
{
    public sealed override void Observe(GroupState group, CallRecord record) => Observe((TState)group, record);

    public sealed override Reading? Read(GroupState group, long now) => Read((TState)group, now);

    public sealed override void Seed(GroupState group, HourlyTotals hour) => Seed((TState)group, hour);

    protected abstract void Observe(TState group, CallRecord record);

    protected abstract Reading? Read(TState group, long now);

    protected virtual void Seed(TState group, HourlyTotals hour)
    {
    }
}

/// <summary>A group that keeps one window of tallies, in <see cref="Measure.Slots"/> slots unless told otherwise.</summary>
internal sealed class TallyGroup(TimeSpan window, int slots = Measure.Slots) : GroupState
{
    public TallyRing Window { get; } = new(window, slots);
}
