namespace Claudit.Alerts.Evaluation;

/// <summary>What a rule keeps for one group: its windows (in the subclass of its metric) and when the group's calls began and last came.</summary>
internal class GroupState
{
    public long FirstSeen = long.MaxValue;
    public long LastSeen = long.MinValue;

    public void Saw(long ticks)
    {
        FirstSeen = Math.Min(FirstSeen, ticks);
        LastSeen = Math.Max(LastSeen, ticks);
    }
}
