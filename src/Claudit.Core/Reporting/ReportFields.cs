using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Core.Reporting;

/// <summary>
/// The parts of one call a report folds, as values: what <see cref="ReportAccumulator"/> reads, without a
/// <see cref="CallRecord"/> (and its usage, cost and tags objects) per line. The call's id and request id are
/// not among them: the few calls that make the top-N or recent-error lists are materialised as records by
/// <see cref="Record"/>, from the record they came from or by reading their line again.
/// </summary>
internal ref struct ReportFields
{
    public DateTimeOffset StartTime;
    public string EndpointKind;
    public BatchCallInfo? Batch;
    public string? ModelRequested;
    public string? ModelUsed;
    public bool IsError;

    /// <summary>The typed error of a failed call (an error without one is typed from its HTTP status, as the record's is).</summary>
    public CallError? Error;
    public string? StopReason;
    public UsageValues? Usage;
    public CostValues? Cost;
    public double LatencyMs;
    public double? TtftMs;
    public TagValues Tags;

    private CallRecord? _record;
    private ReadOnlySpan<byte> _line;
    private Utf8StringPool? _pool;
    private CallRecordReadOptions? _readOptions;

    /// <summary><see cref="CallRecord.PricedModel"/>'s rule.</summary>
    public readonly string? PricedModel => ModelUsed ?? ModelRequested;

    /// <summary>A record's fields.</summary>
    public static ReportFields Of(CallRecord r) => new()
    {
        StartTime = r.StartTime,
        EndpointKind = r.EndpointKind,
        Batch = r.Batch,
        ModelRequested = r.ModelRequested,
        ModelUsed = r.ModelUsed,
        IsError = r.IsError,
        Error = r.Error,
        StopReason = r.StopReason,
        Usage = r.Usage is { } usage ? UsageValues.Of(usage) : null,
        Cost = r.Cost is { } cost ? CostValues.Of(cost) : null,
        LatencyMs = r.LatencyMs,
        TtftMs = r.TtftMs,
        Tags = TagValues.Of(r.Tags),
        _record = r,
    };

    /// <summary>
    /// Where these fields were read from, so that <see cref="Record"/> can read the whole record again:
    /// the line, the reading thread's string pool and the options that read every part the lists show.
    /// </summary>
    public void ReadFrom(ReadOnlySpan<byte> line, Utf8StringPool? pool, CallRecordReadOptions options)
    {
        _line = line;
        _pool = pool;
        _readOptions = options;
    }

    /// <summary>The call as a record: the one these fields came from, or its line read again (it read before, so it reads the same).</summary>
    public readonly CallRecord Record() =>
        _record ?? (CallRecordJsonReader.TryRead(_line, _pool, _readOptions!, out var record, out var error)
            ? record!
            : throw new InvalidOperationException($"A line read once did not read again: {error}"));
}
