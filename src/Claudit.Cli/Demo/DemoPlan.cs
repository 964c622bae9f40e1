namespace Claudit.Cli.Demo;

/// <summary>The demo's traffic, decided up front from a seed: sessions of calls, sent turn after turn.</summary>
public sealed class DemoPlan
{
    public DemoPlan(int seed, IReadOnlyList<DemoSession> sessions)
    {
        Seed = seed;
        Sessions = sessions;
        Calls = [.. sessions.SelectMany(s => s.Calls)];
    }

    public int Seed { get; }

    public IReadOnlyList<DemoSession> Sessions { get; }

    /// <summary>Every call, session by session.</summary>
    public IReadOnlyList<DemoCall> Calls { get; }
}
