namespace Claudit.Core.Records;

/// <summary>
/// The endpoint dimension of a record: which kind of Anthropic API call it was, classified from the
/// request's method and path by <see cref="Classify"/>, the one rule every way in uses. A bounded set
/// (it is a metric label): <c>messages</c>, <c>count_tokens</c>, <c>batches</c> (the Message Batches
/// management calls: create, get, list, cancel, delete, and the results download itself),
/// <c>batch_result</c> (one result line of a batch, recorded when its results pass through the gateway),
/// <c>models</c>, <c>files</c>, <c>other</c>.
/// </summary>
public static class EndpointKinds
{
    public const string Messages = "messages";
    public const string CountTokens = "count_tokens";
    public const string Batches = "batches";
    public const string BatchResult = "batch_result";
    public const string Models = "models";
    public const string Files = "files";
    public const string Other = "other";

    /// <summary>Every kind, in the order reports list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Messages, BatchResult, CountTokens, Batches, Models, Files, Other];

    /// <summary>The kinds Anthropic bills by the token: what reports and the dashboard show by default.</summary>
    public static IReadOnlyList<string> Billable { get; } = [Messages, BatchResult];

    /// <summary>The kinds Anthropic does not bill: priced at exactly $0 by the pricing engine, never a hole in cost coverage.</summary>
    public static IReadOnlyList<string> Free { get; } = [CountTokens, Batches, Models, Files];

    public static bool IsBillable(string kind) => kind is Messages or BatchResult;

    public static bool IsFree(string kind) => kind is CountTokens or Batches or Models or Files;

    /// <summary>The kind of a call from its HTTP method and path (query string excluded); unknown paths are <see cref="Other"/>.</summary>
    public static string Classify(string? method, string path)
    {
        var p = path.AsSpan().TrimEnd('/');
        if (p.StartsWith("/v1/messages/batches", StringComparison.Ordinal) && (p.Length == 20 || p[20] == '/'))
        {
            return Batches;
        }

        if (p.SequenceEqual("/v1/messages/count_tokens"))
        {
            return CountTokens;
        }

        if (p.SequenceEqual("/v1/messages"))
        {
            return method is null || string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase) ? Messages : Other;
        }

        if (IsUnder(p, "/v1/models"))
        {
            return Models;
        }

        return IsUnder(p, "/v1/files") ? Files : Other;
    }

    /// <summary>A kind named by a person or a URL (<c>--endpoint</c>, <c>endpoint=</c>), or null when it is none.</summary>
    public static string? Parse(string? text) =>
        text is null ? null : All.FirstOrDefault(k => string.Equals(k, text.Trim(), StringComparison.OrdinalIgnoreCase));

    private static bool IsUnder(ReadOnlySpan<char> path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');
}
