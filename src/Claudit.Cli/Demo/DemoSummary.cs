namespace Claudit.Cli.Demo;

/// <summary>What a run of <see cref="DemoTraffic"/> sent and what came back.</summary>
public sealed record DemoSummary
{
    public required int CallsPlanned { get; init; }

    /// <summary>Calls whose last attempt ended with a whole answer.</summary>
    public required int CallsSucceeded { get; init; }

    /// <summary>Calls that failed after their retries (or were not retried: a mid-stream error).</summary>
    public required int CallsFailed { get; init; }

    /// <summary>HTTP requests sent, retries included: the gateway records one call record for each.</summary>
    public required int Attempts { get; init; }

    /// <summary>Attempts after a call's first (<c>x-stainless-retry-count</c> 1 or more).</summary>
    public required int Retries { get; init; }

    /// <summary>Attempts by the HTTP status the gateway answered; 0 when no answer came (connection failure).</summary>
    public required IReadOnlyDictionary<int, int> AttemptsByStatus { get; init; }

    /// <summary>Attempts by the API error type they ended with (an error body or a mid-stream <c>error</c> event).</summary>
    public required IReadOnlyDictionary<string, int> ErrorsByType { get; init; }

    public required int StreamedCalls { get; init; }

    public required int ToolUseReplies { get; init; }

    public required int MaxTokensStops { get; init; }

    /// <summary>Answers that read part of their prompt from the cache.</summary>
    public required int CacheReadReplies { get; init; }

    public required long InputTokens { get; init; }

    public required long CacheWriteTokens { get; init; }

    public required long CacheReadTokens { get; init; }

    public required long OutputTokens { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>The run was stopped before every call was sent.</summary>
    public required bool Canceled { get; init; }
}
