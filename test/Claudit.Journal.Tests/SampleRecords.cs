using System.Text;
using System.Text.Json;
using Claudit.Core.Records;
using Claudit.Core.Serialization;

namespace Claudit.Journal.Tests;

/// <summary>Records and their JSON lines, built by hand so every expected value is known.</summary>
internal static class SampleRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 30, 15, 123, TimeSpan.Zero);

    /// <summary>Every field of the record set, and no field at its default, so a round trip that drops one shows.</summary>
    public static CallRecord Full() => new()
    {
        Id = Guid.Parse("01a19467-e89c-7b37-a1e7-6e3cfa877061"),
        StartTime = Start,
        Source = CallSource.Library,
        Endpoint = "/v1/messages/count_tokens",
        Streaming = true,
        ModelRequested = "claude-sonnet-4-5",
        ModelUsed = "claude-sonnet-4-5-20250929",
        Status = CallStatus.Error,
        HttpStatus = 200,
        Error = new CallError { Type = "overloaded_error", Message = "Overloaded \"quoted\" \u00e9", Retryable = true, Origin = ErrorOrigin.Transport },
        StopReason = "max_tokens",
        Complete = false,
        MaxTokens = 4096,
        Usage = new TokenUsage
        {
            InputTokens = 2013,
            OutputTokens = 814,
            CacheCreationInputTokens = 5000,
            CacheCreation5mInputTokens = 3000,
            CacheCreation1hInputTokens = 2000,
            CacheReadInputTokens = 12000,
            ThinkingTokens = 200,
            WebSearchRequests = 3,
            WebFetchRequests = 2,
            ServiceTier = "priority",
            InferenceGeo = "us",
            Speed = "fast",
        },
        Cost = new CallCost
        {
            Priced = true,
            TotalUsd = 0.123456789m,
            InputUsd = 0.006039m,
            CacheWrite5mUsd = 0.01125m,
            CacheWrite1hUsd = 0.012m,
            CacheReadUsd = 0.0036m,
            OutputUsd = 0.01221m,
            WebSearchUsd = 0.03m,
            PriceTableVersion = "2026-08-07",
            PricingModel = "claude-sonnet-4-5",
        },
        LatencyMs = 10135.979,
        TtftMs = 702.4,
        TtfbMs = 490.177,
        OutputTokensPerSecond = 86.27,
        RequestId = "req_011CSHoEeqs5C35K2UUqR7Fy",
        MessageId = "msg_01XFDUDYJgAACzvnptvVoYEL",
        OrganizationId = "org_claudit_test",
        RateLimits = new RateLimitSnapshot
        {
            RequestsLimit = 4000,
            RequestsRemaining = 3620,
            RequestsReset = new DateTimeOffset(2026, 11, 1, 12, 30, 16, TimeSpan.Zero),
            TokensLimit = 2_000_000,
            TokensRemaining = 1_987_562,
            TokensReset = new DateTimeOffset(2026, 11, 1, 12, 30, 17, TimeSpan.Zero),
            InputTokensLimit = 1_000_000,
            InputTokensRemaining = 990_000,
            InputTokensReset = new DateTimeOffset(2026, 11, 1, 12, 30, 18, TimeSpan.Zero),
            OutputTokensLimit = 400_000,
            OutputTokensRemaining = 399_000,
            OutputTokensReset = new DateTimeOffset(2026, 11, 1, 12, 30, 19, TimeSpan.Zero),
            RetryAfterSeconds = 1.5,
        },
        ToolCalls =
        [
            new ToolCallInfo("lookup_customer", ["customer_id", "location"]),
            new ToolCallInfo("web_search", ["query"]) { Kind = "server_tool_use" },
        ],
        Tags = new CallTags
        {
            User = "user_01879",
            Tenant = "acme",
            Feature = "chat",
            Session = "sess_02a8ab",
            Conversation = "conv_7",
            TraceId = "63793e35cb05a645924447d426a75a35",
            SpanId = "5f5eee6175bfef38",
            ParentId = "req_parent_1",
            Attempt = 2,
            Properties = new Dictionary<string, string> { ["team"] = "search", ["env"] = "prod" },
        },
        PromptHash = "sha256:ab5e8fbfbf35bc6275820975e530ff14",
        QualityFlags = [QualityFlags.MaxTokens, QualityFlags.LowUniqueness],
        ContextUtilisation = 0.0951,
        ToolResults = 3,
        ToolResultErrors = 1,
    };

    /// <summary>A small successful record, distinct per <paramref name="n"/> and the same every time for one n.</summary>
    public static CallRecord Simple(int n, DateTimeOffset? start = null) => new()
    {
        Id = Guid.Parse($"01a19467-0000-7000-8000-{n:x12}"),
        StartTime = (start ?? Start).AddMilliseconds(n),
        ModelRequested = "claude-haiku-4-5",
        ModelUsed = "claude-haiku-4-5-20251001",
        HttpStatus = 200,
        StopReason = "end_turn",
        Usage = new TokenUsage { InputTokens = 100 + n, OutputTokens = 10 + n },
        LatencyMs = 250 + n,
        Tags = new CallTags { Feature = "chat", User = $"user_{n % 7}" },
    };

    public static byte[] ToJson(CallRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            CallRecordJsonWriter.Write(writer, record);
        }

        return buffer.ToArray();
    }

    public static string ToLine(CallRecord record) => Encoding.UTF8.GetString(ToJson(record));

    public static CallRecord Read(string line, CallRecordReadOptions? options = null)
    {
        var ok = CallRecordJsonReader.TryRead(Encoding.UTF8.GetBytes(line), new Utf8StringPool(), options ?? CallRecordReadOptions.Full, out var record, out var error);
        Assert.True(ok, $"the line did not read: {error}");
        Assert.Null(error);
        return record!;
    }

    /// <summary>
    /// Asserts two records are equal field by field. Records compare collections by reference, so the
    /// collections are compared by content first, then swapped in to compare every other field at once.
    /// </summary>
    public static void AssertEqual(CallRecord expected, CallRecord actual)
    {
        Assert.Equal(expected.ToolCalls.Count, actual.ToolCalls.Count);
        for (var i = 0; i < expected.ToolCalls.Count; i++)
        {
            Assert.Equal(expected.ToolCalls[i].Name, actual.ToolCalls[i].Name);
            Assert.Equal(expected.ToolCalls[i].Kind, actual.ToolCalls[i].Kind);
            Assert.Equal(expected.ToolCalls[i].InputKeys, actual.ToolCalls[i].InputKeys);
        }

        if (expected.Tags.Properties is null)
        {
            Assert.Null(actual.Tags.Properties);
        }
        else
        {
            Assert.NotNull(actual.Tags.Properties);
            Assert.Equal(expected.Tags.Properties.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Tags.Properties.OrderBy(p => p.Key, StringComparer.Ordinal));
        }

        Assert.Equal(expected.QualityFlags, actual.QualityFlags);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.Usage, actual.Usage);
        Assert.Equal(expected.Cost, actual.Cost);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.RateLimits, actual.RateLimits);
        var normalised = actual with
        {
            ToolCalls = expected.ToolCalls,
            QualityFlags = expected.QualityFlags,
            Tags = actual.Tags with { Properties = expected.Tags.Properties },
        };
        Assert.Equal(expected, normalised);
    }
}
