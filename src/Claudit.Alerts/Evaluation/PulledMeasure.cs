using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// A measure read from elsewhere at each evaluation rather than kept over calls (<see cref="MetricInfo.Pulled"/>):
/// it counts no call and keeps no group; its source names the groups, each under one label (<see cref="Label"/>).
/// </summary>
internal abstract class PulledMeasure(AlertRule rule) : Measure(rule)
{
    /// <summary>The one label its alerts carry: <c>budget</c>, <c>day</c>.</summary>
    public abstract string Label { get; }

    public sealed override GroupState NewGroup() => new();

    public sealed override bool Counts(CallRecord record) => false;

    public sealed override void Observe(GroupState group, CallRecord record)
    {
    }

    public sealed override Reading? Read(GroupState group, long now) => null;

    /// <summary>Each group's value (the <see cref="Label"/>'s value, its reading) at <paramref name="now"/>; none when the source has nothing.</summary>
    public abstract IEnumerable<(string Group, Reading Reading)> ReadGroups(DateTimeOffset now);
}
