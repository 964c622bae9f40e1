using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// The failure rate after retries: logical requests (a first attempt and the retries that name it as
/// their parent) whose latest attempt failed, over logical requests. A failed attempt that may be
/// retried is remembered; when a retry of it succeeds, its failure is taken back from the slot it was
/// counted in. Memory: the retryable failures of the window, at most <see cref="MaxRemembered"/>.
/// </summary>
internal sealed class FailureMeasure(AlertRule rule) : Measure<TallyGroup>(rule)
{
    public const int MaxRemembered = 100_000;

    private readonly Dictionary<Guid, (TallyGroup Group, long Ticks)> _failed = [];

    public override GroupState NewGroup() => new TallyGroup(Rule.Window);

    public override bool Counts(CallRecord r) => true;

    protected override void Observe(TallyGroup group, CallRecord r)
    {
        var ticks = Ticks(r);
        if (r.Tags.ParentId is { } parentText && Guid.TryParse(parentText, out var parent))
        {
            if (_failed.Remove(parent, out var first))
            {
                if (r.IsError)
                {
                    _failed[parent] = first; // still failed: the request's outcome is unchanged
                }
                else
                {
                    first.Group.Window.Add(first.Ticks, 0, -1, 0); // retried into success
                }

                return;
            }

            // A retry whose first attempt this window never saw: a logical request of its own.
            Count(group, r, ticks, parent);
            return;
        }

        Count(group, r, ticks, r.Id);
    }

    private void Count(TallyGroup group, CallRecord r, long ticks, Guid logical)
    {
        group.Window.Add(ticks, 1, r.IsError ? 1 : 0, 1);
        if (r.IsError && r.Error?.Retryable == true && _failed.Count < MaxRemembered)
        {
            _failed[logical] = (group, ticks);
        }
    }

    public override void Prune(long now)
    {
        var oldest = now - Rule.Window.Ticks;
        foreach (var (id, entry) in _failed)
        {
            if (entry.Ticks < oldest)
            {
                _failed.Remove(id);
            }
        }
    }

    protected override Reading? Read(TallyGroup group, long now)
    {
        var t = group.Window.Sum(now);
        return t.B > 0 ? new Reading(t.A / t.B, Rule.Threshold, t.Calls) : null;
    }
}
