using Claudit.Core.Anthropic;
using Claudit.Core.Records;
using Claudit.Journal;

namespace Claudit.Store.Tests;

/// <summary>Records for store tests: one with every field set, and a varied, seeded mix for report parity.</summary>
internal static class TestRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static CallRecord Full() => new()
    {
        Id = Guid.Parse("01a19467-e89c-74bb-8c50-cb6bbab3551c"),
        // Sub-microsecond ticks on purpose: DuckDB timestamps stop at the microsecond.
        StartTime = new DateTimeOffset(2026, 11, 1, 0, 0, 0, 156, TimeSpan.Zero).AddTicks(1237),
        Source = CallSource.Library,
        Endpoint = AnthropicEndpoints.Messages,
        Streaming = true,
        ModelRequested = "claude-sonnet-4-5",
        ModelUsed = "claude-sonnet-4-5-20250929",
        Status = CallStatus.Error,
        HttpStatus = 529,
        Error = new CallError { Type = ErrorTypes.Overloaded, Message = "Overloaded \"quoted\" ünïcode", Retryable = true, Origin = ErrorOrigin.Transport },
        StopReason = "max_tokens",
        Complete = false,
        MaxTokens = 1024,
        Usage = new TokenUsage
        {
            InputTokens = 2013,
            OutputTokens = 814,
            CacheCreationInputTokens = 4096,
            CacheCreation5mInputTokens = 1000,
            CacheCreation1hInputTokens = 3096,
            CacheReadInputTokens = 77,
            ThinkingTokens = 100,
            WebSearchRequests = 2,
            WebFetchRequests = 3,
            ServiceTier = "batch",
            InferenceGeo = "us",
            Speed = "fast",
        },
        Cost = new CallCost
        {
            Priced = true,
            TotalUsd = 0.033609m,
            InputUsd = 0.006039m,
            CacheWrite5mUsd = 0.01536m,
            CacheWrite1hUsd = 0.000001234567890123456789m,
            CacheReadUsd = 0.0001m,
            OutputUsd = 0.01221m,
            WebSearchUsd = 0.02m,
            PriceTableVersion = "2026-08-07",
            PricingModel = "claude-sonnet-4-5",
            UnpricedReason = "none really",
        },
        LatencyMs = 10135.979,
        TtftMs = 702.4,
        TtfbMs = 490.177,
        OutputTokensPerSecond = 86.27,
        RequestId = "req_011CSHoEeqs5C35K2UUqR7Fy",
        MessageId = "msg_01XFDUDYJgAACzvnptvVoYEL",
        OrganizationId = "org_123",
        RateLimits = new RateLimitSnapshot
        {
            RequestsLimit = 4000,
            RequestsRemaining = 3620,
            RequestsReset = new DateTimeOffset(2026, 11, 1, 0, 0, 1, TimeSpan.Zero),
            TokensLimit = 2_000_000,
            TokensRemaining = 1_987_562,
            TokensReset = new DateTimeOffset(2026, 11, 1, 0, 0, 2, TimeSpan.Zero),
            InputTokensLimit = 1_000_000,
            InputTokensRemaining = 999_000,
            InputTokensReset = new DateTimeOffset(2026, 11, 1, 0, 0, 3, TimeSpan.Zero),
            OutputTokensLimit = 400_000,
            OutputTokensRemaining = 399_000,
            OutputTokensReset = new DateTimeOffset(2026, 11, 1, 0, 0, 4, TimeSpan.Zero),
            RetryAfterSeconds = 1.5,
        },
        ToolCalls =
        [
            new ToolCallInfo("lookup_customer", ["customer_id", "location"]),
            new ToolCallInfo("web_search", ["query"]) { Kind = "server_tool_use" },
            new ToolCallInfo("no_input", []),
        ],
        Tags = new CallTags
        {
            User = "user_01879",
            Tenant = "acme",
            Feature = "chat",
            Session = "sess_02a8ab",
            Conversation = "conv_1",
            TraceId = "63793e35cb05a645924447d426a75a35",
            SpanId = "5f5eee6175bfef38",
            ParentId = "parent_1",
            Attempt = 2,
            Properties = new Dictionary<string, string> { ["env"] = "prod", ["team"] = "search \"core\"" },
        },
        PromptHash = "sha256:ab5e8fbfbf35bc6275820975e530ff14",
        QualityFlags = ["max_tokens", "short_output"],
        ContextUtilisation = 0.4375,
        ToolResults = 4,
        ToolResultErrors = 1,
    };

    /// <summary>
    /// A seeded mix: the benchmark generator's realistic traffic (several models incl. an unknown one,
    /// errors of several types, streaming, 5m/1h cache writes, batch, tags, tool calls), edited so that
    /// every pricing path and edge of the report shows up, plus the 400 sample records and tracer.py lines.
    /// </summary>
    public static async Task<List<CallRecord>> MixAsync(int count, int seed)
    {
        var generator = new RecordGenerator(seed, Start);
        var random = new Random(seed);
        var records = new List<CallRecord>(count + 500);
        for (var i = 0; i < count; i++)
        {
            records.Add(Vary(generator.Next(), random, i));
        }

        await foreach (var r in JsonlRecordReader.ReadFileAsync(RepoFiles.SampleCalls, new ReadStats()))
        {
            records.Add(r);
        }

        var tracer = string.Join('\n', Enumerable.Range(0, 40).Select(i =>
            $"{{\"request_id\":\"req_tr_{i}\",\"caller\":\"app/jobs.py:{i}\",\"function\":\"{(i % 3 == 0 ? "chat" : "tracer_fn")}\",\"ts_start\":{(1793491200 + (i * 7.123456789)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}," +
            $"\"model_requested\":\"{(i % 5 == 0 ? "claude-opus-4-8" : "claude-sonnet-4-5")}\",\"status\":\"{(i % 7 == 0 ? "error" : "ok")}\"," +
            (i % 7 == 0 ? "\"error\":{\"type\":\"RateLimitError\",\"message\":\"slow down\",\"status_code\":429}," : "\"error\":null,") +
            $"\"latency_s\":{(0.5 + (i * 0.37)).ToString(System.Globalization.CultureInfo.InvariantCulture)},\"model_used\":\"claude-sonnet-4-5-20250929\"," +
            $"\"input_tokens\":{1200 + i},\"output_tokens\":{300 + (i * 11)},\"cache_creation_tokens\":400,\"cache_read_tokens\":5000,\"stop_reason\":\"end_turn\"," +
            // Python floats: more decimals than a price table ever has.
            $"\"cost_usd\":{(0.01234 + (i * 0.000000123456789012345)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}"));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(tracer));
        await foreach (var r in JsonlRecordReader.ReadAsync(stream, "tracer.jsonl", new ReadStats()))
        {
            records.Add(r);
        }

        return records;
    }

    private static CallRecord Vary(CallRecord r, Random random, int i)
    {
        var roll = random.NextDouble();
        var usage = r.Usage;
        switch (i % 23)
        {
            case 1 when usage is not null:
                // Long context: past the 200k tier of Sonnet 4.5, on whichever model this is.
                return r with { Usage = usage with { CacheReadInputTokens = 150_000 + random.Next(0, 100_000) } };
            case 2 when usage is not null:
                return r with { ModelUsed = "claude-sonnet-4-6", Usage = usage with { InferenceGeo = roll < 0.5 ? "us" : "eu" } };
            case 3 when usage is not null:
                return r with { ModelUsed = "claude-opus-4-8", Usage = usage with { Speed = "fast", ServiceTier = roll < 0.3 ? "batch" : "priority" } };
            case 4:
                // A success that produced no usage: it lowers coverage.
                return r with { Usage = null, Status = CallStatus.Ok, Error = null, Cost = null };
            case 5 when usage is not null:
                // No 5m/1h split: all writes billed as 5m; or a partial split.
                return r with { Usage = usage with { CacheCreation5mInputTokens = null, CacheCreation1hInputTokens = roll < 0.5 ? null : usage.CacheCreationInputTokens / 3 } };
            case 6:
                return r with { ModelUsed = null, ModelRequested = null, Status = CallStatus.Error, HttpStatus = 400, Error = null };
            case 7 when usage is not null:
                return r with { Status = CallStatus.Error, Error = new CallError { Type = ErrorTypes.StreamTruncated, Origin = ErrorOrigin.Transport }, Usage = usage with { WebFetchRequests = 2 } };
            case 8:
                return r with { Tags = r.Tags with { Feature = null, User = null, Tenant = null, Session = null } };
            case 9:
                return r with { Tags = r.Tags with { Session = null }, ModelUsed = r.ModelUsed?.ToUpperInvariant() };
            case 10:
                // A day boundary, and a start time with ticks below the microsecond.
                return r with { StartTime = r.StartTime.AddDays(1 + (i % 3)).AddTicks(i % 10) };
            case 11:
                return r with { Cost = r.Cost is null ? null : r.Cost with { TotalUsd = r.Cost.TotalUsd + 0.000000000000000001m } };
            case 12:
                // A free endpoint's call: priced at $0, apart from the billable figures.
                return r with { Endpoint = AnthropicEndpoints.CountTokens, EndpointKind = EndpointKinds.CountTokens, Usage = null, Status = CallStatus.Ok, Error = null, Cost = CallCost.Free("2026-08-07") };
            case 13:
                // Batch management: five batches seen ended, of which three have results below (the others are gaps).
                return r with
                {
                    Endpoint = "/v1/messages/batches/x", EndpointKind = EndpointKinds.Batches, Usage = null, Status = CallStatus.Ok, Error = null, Cost = CallCost.Free("2026-08-07"),
                    Batch = new BatchCallInfo { Id = $"msgbatch_{i % 5}", ProcessingStatus = roll < 0.7 ? "ended" : "in_progress", RequestCount = 10 + (i % 5) },
                };
            case 14 when usage is not null:
                return r with
                {
                    EndpointKind = EndpointKinds.BatchResult, Streaming = false, Usage = usage with { ServiceTier = "batch" },
                    Batch = new BatchCallInfo { Id = $"msgbatch_{i % 3}", CustomId = $"r{i}", Result = "succeeded" },
                };
            case 15:
                return r with { Endpoint = "/v1/models", EndpointKind = EndpointKinds.Models, Usage = null, Cost = r.IsError ? null : CallCost.Free("2026-08-07") };
            case 16:
                // Caller-defined properties (Claudit-Property-*), one with characters JSON escapes.
                return r with { Tags = r.Tags with { Properties = new Dictionary<string, string> { ["env"] = roll < 0.5 ? "prod" : "staging", ["team"] = "search \"core\" é" } } };
            default:
                return r;
        }
    }
}
