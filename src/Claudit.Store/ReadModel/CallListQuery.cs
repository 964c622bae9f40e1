namespace Claudit.Store.ReadModel;

/// <summary>
/// Which calls to list beyond the filter — one session's, errors only or answered only, an error type, a
/// stop reason, a request id, a trace, caller-defined properties, a text search — and their order and page.
/// The drill-down from any chart point or table row is a call list with these set.
/// </summary>
public sealed record CallListQuery
{
    public string? Session { get; init; }

    public bool ErrorsOnly { get; init; }

    /// <summary>Answered calls only (status ok).</summary>
    public bool AnsweredOnly { get; init; }

    /// <summary>The error's type (<c>http_error</c> matches an error without a typed body).</summary>
    public string? ErrorType { get; init; }

    public string? StopReason { get; init; }

    /// <summary>Anthropic's <c>request-id</c> of the call.</summary>
    public string? RequestId { get; init; }

    /// <summary>The W3C trace id the call belongs to.</summary>
    public string? TraceId { get; init; }

    /// <summary>Caller-defined properties (<c>Claudit-Property-*</c>) each call must carry with exactly these values.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    /// <summary>Case-insensitive text in the request id, model, error message, session, user, feature or tenant.</summary>
    public string? Search { get; init; }

    public CallOrder Order { get; init; } = CallOrder.Recent;

    /// <summary>Reverses <see cref="Order"/>: oldest, cheapest or fastest first.</summary>
    public bool Ascending { get; init; }

    public int Limit { get; init; } = 50;

    public int Offset { get; init; }
}
