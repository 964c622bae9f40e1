using System.Text.Json.Serialization;
using Claudit.Core.Records;

namespace Claudit.Store.ReadModel;

/// <summary>
/// A call as a row of a list: enough to find it and see what happened; the full record is at <c>/api/calls/{id}</c>.
/// <see cref="ParentId"/> and <see cref="Attempt"/> fold retries under the attempt they repeat (a session's turns);
/// <see cref="ToolResults"/> and <see cref="ToolResultErrors"/> count the tool results the request sent back and those marked is_error.
/// </summary>
public sealed record CallListItem(
    Guid Id,
    DateTimeOffset StartTime,
    string? Model,
    string Status,
    string? ErrorType,
    string? ErrorMessage,
    int? HttpStatus,
    string? StopReason,
    long? InputTokens,
    long? OutputTokens,
    long? CacheWriteTokens,
    long? CacheReadTokens,
    decimal? CostUsd,
    double LatencyMs,
    double? TtftMs,
    string[] Tools,
    string? RequestId,
    string? Session,
    string? User,
    string? Feature,
    string? Tenant,
    string? ParentId = null,
    int? Attempt = null,
    string? TraceId = null,
    int? ToolResults = null,
    int? ToolResultErrors = null)
{
    /// <summary>What the call said and answered, redacted, when content capture stored it (a session's timeline only); else absent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CallContent? Content { get; init; }
}
