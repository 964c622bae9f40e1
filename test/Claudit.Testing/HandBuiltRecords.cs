using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Reporting;

namespace Claudit.Testing;

/// <summary>
/// Eleven records whose report is worked out by hand below, from the default price table
/// (USD per million tokens: input / 5m write / 1h write / cache read / output):
/// sonnet-4-5 3 / 3.75 / 6 / 0.30 / 15; haiku-4-5 1 / 1.25 / 2 / 0.10 / 5; opus-4-8 5 / 6.25 / 10 / 0.50 / 25;
/// web search $10 per 1,000 requests. Each answered call carries the cost it was priced at when captured
/// (with the same table), as every record Claudit makes does; R10 came from a tool that logged no usage.
/// </summary>
public static class HandBuiltRecords
{
    public const string Sonnet = "claude-sonnet-4-5-20250929";
    public const string Haiku = "claude-haiku-4-5-20251001";
    public const string Opus = "claude-opus-4-8";
    public const string Mystery = "claude-mystery-7";

    public static readonly DateTimeOffset Day1 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Day2 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    // R1 sonnet: 1000 in x 3 = 0.003; 2000 writes, no split so 5m, x 3.75 = 0.0075; 500 out x 15 = 0.0075 => 0.018
    public static readonly CallRecord R1 = Ok(1, Day1.AddHours(10), Sonnet, "chat", "u1", "t1", "s1", 100, "end_turn",
        new TokenUsage { InputTokens = 1000, OutputTokens = 500, CacheCreationInputTokens = 2000 }) with { TtftMs = 80, Streaming = true };

    // R2 sonnet: 200 x 3 = 0.0006; 2000 read x 0.30 = 0.0006; 300 out x 15 = 0.0045 => 0.0057
    public static readonly CallRecord R2 = Ok(2, Day1.AddHours(10).AddMinutes(1), Sonnet, "chat", "u1", "t1", "s1", 200, "end_turn",
        new TokenUsage { InputTokens = 200, OutputTokens = 300, CacheReadInputTokens = 2000 });

    // R3 haiku: 5000 x 1 = 0.005; 1024 out x 5 = 0.00512 => 0.01012
    public static readonly CallRecord R3 = Ok(3, Day1.AddHours(11), Haiku, "summarise", "u2", "t1", "s2", 300, "max_tokens",
        new TokenUsage { InputTokens = 5000, OutputTokens = 1024 });

    // R4 haiku: 3000 x 1 = 0.003; 1000 1h writes x 2 = 0.002; 1024 out x 5 = 0.00512 => 0.01012
    public static readonly CallRecord R4 = Ok(4, Day1.AddHours(12), Haiku, "summarise", "u2", "t2", "s2", 400, "max_tokens",
        new TokenUsage { InputTokens = 3000, OutputTokens = 1024, CacheCreationInputTokens = 1000, CacheCreation5mInputTokens = 0, CacheCreation1hInputTokens = 1000 });

    // R5 opus: 10000 x 5 = 0.05; 50000 read x 0.5 = 0.025; 2000 out x 25 = 0.05 => 0.125
    public static readonly CallRecord R5 = Ok(5, Day2.AddHours(9), Opus, "code-review", "u3", "t2", "s3", 500, "tool_use",
        new TokenUsage { InputTokens = 10000, OutputTokens = 2000, CacheReadInputTokens = 50000, ThinkingTokens = 500 }) with { TtftMs = 150, Streaming = true };

    // R6 opus: 100 x 5 = 0.0005; 100 out x 25 = 0.0025; 2 web searches x $0.01 = 0.02 => 0.023
    public static readonly CallRecord R6 = Ok(6, Day2.AddHours(9).AddMinutes(5), Opus, "code-review", "u3", "t2", "s3", 600, "end_turn",
        new TokenUsage { InputTokens = 100, OutputTokens = 100, WebSearchRequests = 2 });

    // R7: a model no price table knows: tokens counted, cost unpriced.
    public static readonly CallRecord R7 = Ok(7, Day1.AddHours(13), Mystery, "chat", "u1", "t1", "s1", 700, "end_turn",
        new TokenUsage { InputTokens = 1000, OutputTokens = 1000 });

    // R8: a 429 before any token: no usage, no cost, only the requested model is known.
    public static readonly CallRecord R8 = Failed(8, Day1.AddHours(14), "claude-sonnet-4-5", "chat", "u2", "t1", null, 50, 429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");

    // R9: a 529 before any token.
    public static readonly CallRecord R9 = Failed(9, Day2.AddHours(10), Opus, "code-review", "u3", "t2", null, 60, 529, "overloaded_error", "Overloaded");

    // R10: a successful call that carries no usage (e.g. imported from a tool that did not log it): a hole in the cost.
    public static readonly CallRecord R10 = new()
    {
        Id = IdOf(10),
        StartTime = Day2.AddHours(11),
        ModelUsed = Haiku,
        HttpStatus = 200,
        StopReason = "end_turn",
        LatencyMs = 800,
        Tags = new CallTags { Feature = "summarise", User = "u2", Conversation = "c9" },
    };

    // R11 sonnet, a stream cut after some tokens: an error that was billed. 400 x 3 = 0.0012; 100 out x 15 = 0.0015 => 0.0027
    public static readonly CallRecord R11 = Ok(11, Day2.AddHours(12), Sonnet, "chat", "u1", "t1", "s1", 900, null,
        new TokenUsage { InputTokens = 400, OutputTokens = 100 }) with
    {
        Status = CallStatus.Error,
        Complete = false,
        Streaming = true,
        TtftMs = 300,
        Error = new CallError { Type = "stream_truncated", Message = "stream ended before message_stop", Retryable = true, Origin = ErrorOrigin.Transport },
    };

    public static IReadOnlyList<CallRecord> All => [R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11];

    /// <summary>0.018 + 0.0057 + 0.01012 + 0.01012 + 0.125 + 0.023 + 0.0027.</summary>
    public const decimal TotalCost = 0.19464m;

    public static Report Build(ReportOptions? options = null, IEnumerable<CallRecord>? records = null)
    {
        var accumulator = new ReportAccumulator(options ?? new ReportOptions(), CostCalculator.Default);
        foreach (var r in records ?? All)
        {
            accumulator.Add(r);
        }

        return accumulator.Build();
    }

    public static Guid IdOf(int n) => Guid.Parse($"01a19467-0000-7000-8000-{n:x12}");

    private static CallRecord Ok(int n, DateTimeOffset start, string model, string feature, string user, string tenant, string session,
        double latencyMs, string? stopReason, TokenUsage usage) => CostCalculator.Default.Apply(new CallRecord
        {
            Id = IdOf(n),
            StartTime = start,
            ModelRequested = model.Replace("-20250929", "", StringComparison.Ordinal).Replace("-20251001", "", StringComparison.Ordinal),
            ModelUsed = model,
            HttpStatus = 200,
            StopReason = stopReason,
            Usage = usage,
            LatencyMs = latencyMs,
            RequestId = $"req_{n}",
            MessageId = $"msg_{n}",
            Tags = new CallTags { Feature = feature, User = user, Tenant = tenant, Session = session },
        });

    private static CallRecord Failed(int n, DateTimeOffset start, string model, string feature, string user, string tenant, string? session,
        double latencyMs, int http, string type, string message) => new()
        {
            Id = IdOf(n),
            StartTime = start,
            ModelRequested = model,
            Status = CallStatus.Error,
            HttpStatus = http,
            Error = new CallError { Type = type, Message = message, Retryable = true },
            LatencyMs = latencyMs,
            RequestId = $"req_{n}",
            Tags = new CallTags { Feature = feature, User = user, Tenant = tenant, Session = session },
        };
}
