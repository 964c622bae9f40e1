namespace Claudit.Core.Anthropic;

/// <summary>
/// One <c>message_batch</c> object as an answer showed it (create, retrieve, list, cancel): what Claudit
/// keeps of a batch to follow it to its results.
/// </summary>
public sealed record MessageBatchSnapshot
{
    public required string Id { get; init; }

    /// <summary><c>in_progress</c>, <c>canceling</c> or <c>ended</c>.</summary>
    public string? ProcessingStatus { get; init; }

    /// <summary>The sum of <c>request_counts</c>: every request of the batch, whatever its state.</summary>
    public long? RequestCount { get; init; }

    public long Succeeded { get; init; }

    public long Errored { get; init; }

    public long Canceled { get; init; }

    public long Expired { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Where the results are, as the upstream wrote it (before the gateway rewrites it).</summary>
    public string? ResultsUrl { get; init; }

    public bool HasEnded => ProcessingStatus == "ended";
}
