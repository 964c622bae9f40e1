namespace Claudit.Alerts.Evaluation;

/// <summary>
/// What one slot of a window holds: the calls it counted and two sums whose meaning is the metric's
/// (errors and attempts, cache reads and input tokens, cost, …).
/// </summary>
internal struct Tally
{
    public long Calls;
    public double A;
    public double B;

    public void Add(in Tally other)
    {
        Calls += other.Calls;
        A += other.A;
        B += other.B;
    }
}
