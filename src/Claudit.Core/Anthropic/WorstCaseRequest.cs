namespace Claudit.Core.Anthropic;

/// <summary>
/// The most a Messages request can use, read from its bytes before it is sent: what a budget reserves
/// for a call in flight (docs/budgets.md). Input is bounded by the body's length — a token stands for at
/// least one byte of the text it encodes, and the JSON around the text only adds bytes — plus what the
/// API adds that the body does not carry: the tool-use system prompt, and media referenced by URL or file
/// id. Output is bounded by <c>max_tokens</c> (thinking included). When the body marks any
/// <c>cache_control</c>, all input may be a cache write, at the 1-hour rate if a <c>1h</c> TTL appears.
/// </summary>
internal readonly record struct WorstCaseRequest(long InputTokens, long OutputTokens, bool CacheWrites, bool CacheWrites1h)
{
    /// <summary>The tool-use system prompt the API adds when tools are given (a few hundred tokens on current models), with room.</summary>
    public const long ToolAllowance = 1_000;

    /// <summary>An image referenced by URL or file id: images are scaled to at most ~1.15 megapixels, about 1,600 tokens.</summary>
    public const long MediaAllowance = 1_600;

    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>The bound for <paramref name="request"/>, parsed from <paramref name="body"/>. Every test errs on the side of more.</summary>
    public static WorstCaseRequest Of(MessageRequestInfo request, ReadOnlySpan<byte> body)
    {
        long input = body.Length;
        if (request.ToolCount > 0)
        {
            input += ToolAllowance;
        }

        // Counted as raw JSON: "url" or "file_id" as a key or a value (a source's type) each add an allowance.
        input += MediaAllowance * (Occurrences(body, "\"url\""u8) + Occurrences(body, "\"file_id\""u8));
        var cacheWrites = body.IndexOf("\"cache_control\""u8) >= 0;
        var oneHour = cacheWrites && body.IndexOf("\"1h\""u8) >= 0;
        return new WorstCaseRequest(input, Math.Max(0, request.MaxTokens ?? 0), cacheWrites, oneHour);
    }

    private static int Occurrences(ReadOnlySpan<byte> body, ReadOnlySpan<byte> token)
    {
        var count = 0;
        for (var at = body.IndexOf(token); at >= 0; at = body.IndexOf(token))
        {
            count++;
            body = body[(at + token.Length)..];
        }

        return count;
    }
}
