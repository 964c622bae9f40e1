using Claudit.Core.Anthropic;
using Claudit.Core.Pricing;
using Claudit.Core.Records;

namespace Claudit.Testing;

/// <summary>
/// Realistic call records for benchmarks and samples: a model mix weighted like production traffic,
/// features, users, tenants, multi-turn sessions, prompt caching, streaming, tool use and a few
/// percent of errors (429, 529, timeouts, truncated streams). Deterministic for a seed.
/// </summary>
public sealed class RecordGenerator(int seed, DateTimeOffset start, bool lean = false)
{
    private static readonly (string Model, double Weight, double OutputTps, double TtftMs)[] Models =
    [
        ("claude-sonnet-4-5-20250929", 0.38, 70, 700),
        ("claude-haiku-4-5-20251001", 0.30, 140, 350),
        ("claude-opus-4-8", 0.12, 40, 1300),
        ("claude-sonnet-4-6", 0.12, 75, 650),
        ("claude-3-5-haiku-20241022", 0.05, 120, 400),
        ("claude-opus-5", 0.025, 35, 1400),
        ("claude-mystery-7", 0.005, 50, 800), // not in any price table: reports must count it unpriced
    ];

    private static readonly string[] Features = ["chat", "summarise", "classify", "extract", "code-review", "search-answer", "translate"];
    private static readonly string[] Tools = ["get_weather", "search_docs", "run_sql", "lookup_customer", "create_ticket"];
    private static readonly string[] ToolKeys = ["query", "location", "limit", "customer_id", "priority", "unit"];

    private readonly Random _random = new(seed);
    private readonly CostCalculator _pricing = CostCalculator.Default;
    private DateTimeOffset _clock = start;
    private string? _session;
    private int _turnsLeft;
    private long _cachedPrefix;

    public CallRecord Next()
    {
        _clock += TimeSpan.FromMilliseconds(_random.Next(5, 400));
        if (_turnsLeft-- <= 0)
        {
            _session = $"sess_{_random.Next(1, 200_000):x6}";
            _turnsLeft = _random.Next(1, 12);
            _cachedPrefix = 0;
        }

        var (model, tps, ttftBase) = PickModel();
        var feature = Features[Skewed(Features.Length)];
        var user = $"user_{Skewed(5_000):d5}";
        var tenant = $"tenant_{Skewed(40):d2}";
        var streaming = _random.NextDouble() < 0.6;
        var maxTokens = _random.NextDouble() < 0.5 ? 1024 : 4096;
        var errorRoll = _random.NextDouble();
        var id = Guid.CreateVersion7(_clock);
        var requestId = $"req_{id:N}"[..28];
        var tags = new CallTags
        {
            User = user,
            Tenant = tenant,
            Feature = feature,
            Session = _session,
            Conversation = _session,
            TraceId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            SpanId = Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()))[..16],
            Attempt = 0,
        };

        if (errorRoll < 0.035)
        {
            var (type, status) = errorRoll switch
            {
                < 0.015 => (ErrorTypes.RateLimit, 429),
                < 0.025 => (ErrorTypes.Overloaded, 529),
                < 0.030 => (ErrorTypes.Api, 500),
                _ => (ErrorTypes.TransportTimeout, (int?)null ?? 0),
            };
            return new CallRecord
            {
                Id = id,
                StartTime = _clock,
                Streaming = streaming,
                ModelRequested = model,
                Status = CallStatus.Error,
                HttpStatus = status == 0 ? null : status,
                Error = new CallError
                {
                    Type = type,
                    Message = type switch { ErrorTypes.RateLimit => "Number of request tokens has exceeded your per-minute rate limit", ErrorTypes.Overloaded => "Overloaded", _ => "Internal server error" },
                    Retryable = true,
                    Origin = status == 0 ? ErrorOrigin.Transport : ErrorOrigin.Api,
                },
                LatencyMs = status == 0 ? 600_000 : _random.Next(40, 900),
                RequestId = status == 0 ? null : requestId,
                Tags = tags,
                MaxTokens = maxTokens,
            };
        }

        var prompt = (long)(_random.NextDouble() * _random.NextDouble() * 20_000) + 50;
        long cacheRead = 0, cacheWrite = 0, write1h = 0;
        if (_cachedPrefix > 0 && _random.NextDouble() < 0.85)
        {
            cacheRead = _cachedPrefix;
        }
        else if (_random.NextDouble() < 0.35)
        {
            cacheWrite = 1024 + _random.Next(0, 8000);
            write1h = _random.NextDouble() < 0.2 ? cacheWrite : 0;
            _cachedPrefix = cacheWrite;
        }

        var wanted = (long)(_random.NextDouble() * _random.NextDouble() * 3000) + 5;
        var truncated = wanted > maxTokens;
        var output = Math.Min(wanted, maxTokens);
        var thinking = _random.NextDouble() < 0.1 ? output / 3 : (long?)null;
        var toolCalls = _random.NextDouble() < 0.18
            ? new[] { new ToolCallInfo(Tools[_random.Next(Tools.Length)], [ToolKeys[_random.Next(ToolKeys.Length)], ToolKeys[_random.Next(ToolKeys.Length)]]) }
            : [];
        var webSearches = feature == "search-answer" ? _random.Next(0, 4) : 0;
        var usage = new TokenUsage
        {
            InputTokens = prompt,
            OutputTokens = output,
            CacheCreationInputTokens = cacheWrite,
            CacheCreation5mInputTokens = cacheWrite - write1h,
            CacheCreation1hInputTokens = write1h,
            CacheReadInputTokens = cacheRead,
            ThinkingTokens = thinking,
            WebSearchRequests = webSearches,
            ServiceTier = _random.NextDouble() < 0.03 ? "batch" : "standard",
        };
        var ttft = ttftBase * (0.6 + _random.NextDouble()) + (prompt + cacheWrite) / 200.0;
        var generation = output / tps * 1000 * (0.8 + (_random.NextDouble() * 0.4));
        var cut = streaming && _random.NextDouble() < 0.004;
        var record = new CallRecord
        {
            Id = id,
            StartTime = _clock,
            Streaming = streaming,
            ModelRequested = model.Split("-2025")[0],
            ModelUsed = model,
            Status = cut ? CallStatus.Error : CallStatus.Ok,
            HttpStatus = 200,
            Error = cut ? new CallError { Type = ErrorTypes.StreamTruncated, Message = "stream ended before message_stop", Retryable = true, Origin = ErrorOrigin.Transport } : null,
            Complete = !cut,
            StopReason = cut ? null : toolCalls.Length > 0 ? "tool_use" : truncated ? "max_tokens" : _random.NextDouble() < 0.01 ? "refusal" : "end_turn",
            MaxTokens = maxTokens,
            Usage = usage,
            LatencyMs = Math.Round(ttft + generation, 3),
            TtftMs = streaming ? Math.Round(ttft, 3) : null,
            TtfbMs = Math.Round(ttft * 0.7, 3),
            OutputTokensPerSecond = Math.Round(output / (generation / 1000), 2),
            RequestId = requestId,
            MessageId = "msg_" + id.ToString("N")[8..],
            OrganizationId = "org_claudit_demo",
            RateLimits = new RateLimitSnapshot { RequestsLimit = 4000, RequestsRemaining = 4000 - _random.Next(0, 400), TokensLimit = 2_000_000, TokensRemaining = 2_000_000 - _random.Next(0, 500_000) },
            ToolCalls = toolCalls,
            Tags = tags,
            PromptHash = "sha256:" + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64())),
        };
        // Lean records are what the in-process library writes when it has no rate-limit headers, trace
        // context or cost to copy: the ~400-byte shape the report benchmark is specified against.
        return lean ? record with { RateLimits = null, OrganizationId = null, PromptHash = null, MessageId = null, Tags = tags with { TraceId = null, SpanId = null, Conversation = null } }
            : _pricing.Apply(record);
    }

    private (string Model, double Tps, double TtftMs) PickModel()
    {
        var roll = _random.NextDouble();
        foreach (var (model, weight, tps, ttft) in Models)
        {
            if ((roll -= weight) <= 0)
            {
                return (model, tps, ttft);
            }
        }

        return (Models[0].Model, Models[0].OutputTps, Models[0].TtftMs);
    }

    /// <summary>A Zipf-like pick: a few values are common, most are rare.</summary>
    private int Skewed(int n) => (int)(n * Math.Pow(_random.NextDouble(), 2.5));
}
