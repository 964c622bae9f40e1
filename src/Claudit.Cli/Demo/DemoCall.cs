namespace Claudit.Cli.Demo;

/// <summary>
/// One planned Messages call of the demo traffic: who it is for, what it asks and how, and the fault the
/// mock is told to inject. Only scalars, so two plans compare by value (the same seed gives equal plans).
/// The request body itself is built when the call is sent, because a later turn carries the earlier replies.
/// </summary>
public sealed record DemoCall
{
    /// <summary>Position in the plan (0-based), across sessions.</summary>
    public required int Index { get; init; }

    public required string Session { get; init; }

    public required string Conversation { get; init; }

    /// <summary>0 for a session's first turn.</summary>
    public required int Turn { get; init; }

    public required string User { get; init; }

    public required string Tenant { get; init; }

    public required string Feature { get; init; }

    public required string Model { get; init; }

    public required bool Stream { get; init; }

    public required int MaxTokens { get; init; }

    /// <summary>The TTL of the <c>cache_control</c> breakpoint on the long system prompt (<c>5m</c> or <c>1h</c>); null: a short, uncached one.</summary>
    public string? SystemCacheTtl { get; init; }

    /// <summary>A breakpoint on the latest user message too, so the next turn reads the conversation so far from the cache.</summary>
    public bool CacheConversation { get; init; }

    public DemoToolUse Tools { get; init; }

    /// <summary>What the user says this turn.</summary>
    public required string UserText { get; init; }

    /// <summary>A fault name for the mock's <c>x-mock-fault</c> header, or null.</summary>
    public string? Fault { get; init; }

    /// <summary>How many attempts, from the first, carry <see cref="Fault"/>: a transient failure the retries get past.</summary>
    public int FaultAttempts { get; init; }

    /// <summary>Sent as <c>Claudit-Property-Plan</c> when set: the tenant's subscription.</summary>
    public string? PlanTier { get; init; }

    /// <summary>Sent as <c>Claudit-Property-Experiment</c> when set: a prompt A/B test.</summary>
    public string? Experiment { get; init; }

    /// <summary>The W3C trace id every attempt of this call shares.</summary>
    public required string TraceId { get; init; }
}
