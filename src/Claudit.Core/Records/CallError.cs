namespace Claudit.Core.Records;

/// <summary>
/// A typed error: Anthropic's <c>error.type</c> (e.g. <c>rate_limit_error</c>) or a transport kind
/// (<c>timeout</c>, <c>connection</c>, <c>canceled</c>, <c>client_closed</c>, <c>stream_truncated</c>) or a refusal of
/// the gateway's own (<c>budget_exceeded</c>, <c>rate_limited_by_policy</c>).
/// The message never carries secrets: it is scrubbed before it is stored.
/// </summary>
public sealed record CallError
{
    public required string Type { get; init; }

    public string? Message { get; init; }

    public bool Retryable { get; init; }

    /// <summary>Where the error came from: the API's answer or the transport around it.</summary>
    public ErrorOrigin Origin { get; init; } = ErrorOrigin.Api;
}

public enum ErrorOrigin
{
    Api,
    Transport,

    /// <summary>Claudit's gateway answered itself (a budget or rate-limit policy, a virtual key): the upstream never saw the call.</summary>
    Gateway,
}
