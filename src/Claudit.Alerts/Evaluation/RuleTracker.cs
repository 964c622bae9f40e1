using Claudit.Alerts.Rules;
using Claudit.Core.Records;
using Claudit.Store.Alerting;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// One rule's groups: each call the rule's filter takes and its metric counts goes to the group of its
/// group_by values, created on first sight, dropped when it has had no call for the measure's memory.
/// At most <see cref="MaxGroups"/> groups: the calls of further groups are counted as dropped, not kept.
/// </summary>
internal sealed class RuleTracker
{
    public const int MaxGroups = 20_000;

    private readonly Dictionary<GroupKey, GroupState> _groups = [];
    private readonly CallDimension[] _dimensions;

    public RuleTracker(AlertRule rule, Measure measure)
    {
        Rule = rule;
        Measure = measure;
        _dimensions = [.. rule.Dimensions];
    }

    public AlertRule Rule { get; }

    public Measure Measure { get; }

    public IReadOnlyList<CallDimension> Dimensions => _dimensions;

    public int Groups => _groups.Count;

    /// <summary>Calls not kept because the rule already had <see cref="MaxGroups"/> groups.</summary>
    public long DroppedCalls { get; private set; }

    public void Observe(CallRecord record)
    {
        if (!Rule.Filter.Matches(record) || !Measure.Counts(record))
        {
            return;
        }

        if (Group(GroupKey.Of(record, _dimensions)) is { } group)
        {
            group.Saw(record.StartTime.UtcTicks);
            Measure.Observe(group, record);
        }
        else
        {
            DroppedCalls++;
        }
    }

    public void Seed(HourlyTotals hour)
    {
        var g = hour.Group;
        if (Group(new GroupKey(g.Count > 0 ? g[0] : null, g.Count > 1 ? g[1] : null, g.Count > 2 ? g[2] : null)) is { } group)
        {
            group.Saw(hour.Hour.UtcTicks);
            Measure.Seed(group, hour);
        }
    }

    /// <summary>Every group's reading at <paramref name="now"/>, after dropping the groups that went quiet (unless <paramref name="keep"/> holds them: they have an alert).</summary>
    public IEnumerable<(GroupKey Key, Reading? Reading)> Read(DateTimeOffset now, Func<GroupKey, bool> keep)
    {
        if (Measure is PulledMeasure pulled)
        {
            foreach (var (name, reading) in pulled.ReadGroups(now))
            {
                yield return (new GroupKey(name), reading);
            }

            yield break;
        }

        var ticks = now.UtcTicks;
        Measure.Prune(ticks);
        var quiet = ticks - Measure.Memory.Ticks;
        foreach (var (key, group) in _groups)
        {
            if (group.LastSeen < quiet && !keep(key))
            {
                Measure.Forget(group);
                _groups.Remove(key);
                continue;
            }

            yield return (key, Measure.Read(group, ticks));
        }
    }

    /// <summary>The labels of a group as alerts carry them: the rule's group_by, or the pulled measure's one label (the budget's name, the day).</summary>
    public KeyValuePair<string, string?>[] Labels(GroupKey key) =>
        Measure is PulledMeasure pulled ? [new(pulled.Label, key[0])] : key.Labels(_dimensions);

    /// <summary>The key of labels stored with an alert of this rule; false when they no longer fit it (group_by changed).</summary>
    public bool TryKey(IReadOnlyList<KeyValuePair<string, string?>> labels, out GroupKey key)
    {
        if (Measure is PulledMeasure pulled)
        {
            var fits = labels.Count == 1 && labels[0].Key == pulled.Label;
            key = fits ? new GroupKey(labels[0].Value) : default;
            return fits;
        }

        return GroupKey.TryFromLabels(labels, _dimensions, out key);
    }

    private GroupState? Group(GroupKey key)
    {
        if (_groups.TryGetValue(key, out var group))
        {
            return group;
        }

        if (_groups.Count >= MaxGroups)
        {
            return null;
        }

        group = Measure.NewGroup();
        _groups.Add(key, group);
        return group;
    }
}
