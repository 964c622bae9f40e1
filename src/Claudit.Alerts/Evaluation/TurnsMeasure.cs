using Claudit.Alerts.Rules;
using Claudit.Core.Records;

namespace Claudit.Alerts.Evaluation;

/// <summary>
/// Average turns per conversation: over the conversations with a call in the window, the calls each has
/// had (first attempts only: a retry is not a turn). The reading's calls are the conversations.
/// Memory: one entry per active conversation, at most <see cref="MaxConversations"/> per rule.
/// </summary>
internal sealed class TurnsMeasure(AlertRule rule) : Measure<TurnsMeasure.Group>(rule)
{
    public const int MaxConversations = 200_000;

    private int _tracked;

    public override GroupState NewGroup() => new Group();

    public override bool Counts(CallRecord r) => CallFacts.Conversation(r) is not null && r.Tags.Attempt is null or 0;

    protected override void Observe(Group group, CallRecord r)
    {
        var id = CallFacts.Conversation(r)!;
        var ticks = Ticks(r);
        if (group.Conversations.TryGetValue(id, out var c))
        {
            // A conversation quiet for longer than the window starts over, as if it had been forgotten.
            group.Conversations[id] = c.Last <= ticks - Rule.Window.Ticks ? (1, ticks) : (c.Turns + 1, Math.Max(c.Last, ticks));
        }
        else if (_tracked < MaxConversations)
        {
            group.Conversations[id] = (1, ticks);
            _tracked++;
        }
    }

    protected override Reading? Read(Group group, long now)
    {
        var oldest = now - Rule.Window.Ticks;
        long turns = 0;
        foreach (var (id, c) in group.Conversations)
        {
            if (c.Last <= oldest)
            {
                group.Conversations.Remove(id);
                _tracked--;
            }
            else
            {
                turns += c.Turns;
            }
        }

        var count = group.Conversations.Count;
        return count == 0 ? null : new Reading((double)turns / count, Rule.Threshold, count);
    }

    public override void Forget(GroupState group) => _tracked -= ((Group)group).Conversations.Count;

    internal sealed class Group : GroupState
    {
        public Dictionary<string, (int Turns, long Last)> Conversations { get; } = new(StringComparer.Ordinal);
    }
}
