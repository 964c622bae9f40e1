using Claudit.Core.Anthropic;
using Claudit.Core.Records;

namespace Claudit.Store;

/// <summary>
/// A Message Batch as the gateway knows it: the batch as its latest answer showed it (status, counts,
/// times), the tags of the call that created it, and whether its results were read through the gateway.
/// </summary>
public sealed record BatchEntry
{
    /// <summary>The batch as the latest answer that showed it said (an id only, before any did).</summary>
    public required MessageBatchSnapshot Batch { get; init; }

    public string Id => Batch.Id;

    /// <summary>The create call went through the gateway: <see cref="Tags"/> are its tags.</summary>
    public bool CreatedThroughGateway { get; init; }

    public Guid? CreateCallId { get; init; }

    public CallTags Tags { get; init; } = CallTags.Empty;

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>When its results were last read through the gateway; null if never.</summary>
    public DateTimeOffset? ResultsReadAt { get; init; }

    /// <summary>Records its results made (one per result line, counted once however often they are read).</summary>
    public long ResultsRecords { get; init; }

    /// <summary>
    /// Ended — an answer said so, or it is past <c>expires_at</c>, when the API ends every batch — and its
    /// results were never read through the gateway: its spend is missing from Claudit's cost.
    /// </summary>
    public bool ResultsNotSeen(DateTimeOffset now) =>
        ResultsReadAt is null && (Batch.HasEnded || Batch.EndedAt is not null || (Batch.ExpiresAt is { } expires && now >= expires));
}
