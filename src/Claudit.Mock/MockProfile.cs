namespace Claudit.Mock;

/// <summary>How the mock paces its answers.</summary>
public enum MockProfile
{
    /// <summary>Time to first token and output speed per model family (Haiku fastest, Opus slowest).</summary>
    Realistic,

    /// <summary>Answers at once: for load tests, where the mock must not be the bottleneck.</summary>
    Fast,
}
