namespace Claudit.Core.Records;

/// <summary>
/// The Message Batch a call belongs to. On a management call (<c>batches</c>): the batch its answer
/// described, its <c>processing_status</c> and, on creation, how many requests it holds. On a result
/// (<c>batch_result</c>): the request's <c>custom_id</c> and how it ended.
/// </summary>
public sealed record BatchCallInfo
{
    /// <summary>The batch id, <c>msgbatch_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The request's <c>custom_id</c> (results only).</summary>
    public string? CustomId { get; init; }

    /// <summary>How the request ended (results only): <c>succeeded</c>, <c>errored</c>, <c>canceled</c> or <c>expired</c>.</summary>
    public string? Result { get; init; }

    /// <summary>The batch's <c>processing_status</c> in the answer (management calls): <c>in_progress</c>, <c>canceling</c>, <c>ended</c>.</summary>
    public string? ProcessingStatus { get; init; }

    /// <summary>How many requests the batch holds, as its <c>request_counts</c> add up (management calls).</summary>
    public long? RequestCount { get; init; }
}
