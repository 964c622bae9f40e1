using Claudit.Core.Records;
using Microsoft.Extensions.Time.Testing;

namespace Claudit.Core.Tests;

/// <summary>
/// The one check of records from outside: every real record passes, every value no call could have is
/// refused by the name of its field, and an id seen twice in one batch is refused the second time.
/// </summary>
public class RecordValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CallRecord Good() => new()
    {
        Id = Guid.CreateVersion7(Now),
        StartTime = Now.AddMinutes(-1),
        ModelRequested = "claude-sonnet-4-5",
        HttpStatus = 200,
        Usage = new TokenUsage { InputTokens = 100, OutputTokens = 10 },
        Cost = new CallCost { Priced = true, TotalUsd = 0.01m },
        LatencyMs = 1200,
    };

    [Fact]
    public void Realistic_records_all_pass()
    {
        var generator = new RecordGenerator(3, Now.AddDays(-7));
        var validator = new RecordValidator(new FakeTimeProvider(Now));

        for (var i = 0; i < 20_000; i++)
        {
            var record = generator.Next();
            Assert.Null(validator.Check(record));
        }
    }

    [Fact]
    public void The_bounds_themselves_are_taken()
    {
        var edge = Good() with
        {
            StartTime = Now + RecordValidator.MaxClockAhead,
            HttpStatus = 599,
            Usage = new TokenUsage { InputTokens = RecordValidator.MaxTokens, OutputTokens = 0, CacheReadInputTokens = RecordValidator.MaxTokens },
            Cost = new CallCost { Priced = true, TotalUsd = RecordValidator.MaxCostUsd },
            LatencyMs = RecordValidator.MaxDurationMs,
            Tags = new CallTags { User = new string('u', RecordValidator.MaxNameLength), Properties = Enumerable.Range(0, RecordValidator.MaxProperties).ToDictionary(i => $"p{i}", _ => "v") },
        };

        Assert.Null(RecordValidator.Validate(edge, Now));
        Assert.Null(RecordValidator.Validate(Good() with { StartTime = RecordValidator.Earliest, HttpStatus = 100 }, Now));
    }

    public static TheoryData<string, Func<CallRecord, CallRecord>> Spoiled => new()
    {
        { "id", r => r with { Id = Guid.Empty } },
        { "start_time", r => r with { StartTime = new DateTimeOffset(1999, 12, 31, 0, 0, 0, TimeSpan.Zero) } },
        { "start_time", r => r with { StartTime = Now.AddDays(2) } },
        { "model_requested", r => r with { ModelRequested = new string('m', 300) } },
        { "http_status", r => r with { HttpStatus = 99 } },
        { "http_status", r => r with { HttpStatus = 99_999 } },
        { "max_tokens", r => r with { MaxTokens = -1 } },
        { "error.message", r => r with { Status = CallStatus.Error, Error = new CallError { Type = "api_error", Message = new string('e', 10_000) } } },
        { "usage.input_tokens", r => r with { Usage = new TokenUsage { InputTokens = -6_000_000 } } },
        { "usage.input_tokens", r => r with { Usage = new TokenUsage { InputTokens = long.MaxValue } } },
        { "usage.cache_creation_1h_input_tokens", r => r with { Usage = new TokenUsage { CacheCreation1hInputTokens = RecordValidator.MaxTokens + 1 } } },
        { "usage.web_search_requests", r => r with { Usage = new TokenUsage { WebSearchRequests = -1 } } },
        { "cost.total_usd", r => r with { Cost = new CallCost { Priced = true, TotalUsd = 1e15m } } },
        { "cost.output_usd", r => r with { Cost = new CallCost { Priced = true, OutputUsd = -6000m } } },
        { "latency_ms", r => r with { LatencyMs = -1 } },
        { "latency_ms", r => r with { LatencyMs = double.NaN } },
        { "ttft_ms", r => r with { TtftMs = RecordValidator.MaxDurationMs * 2 } },
        { "rate_limits.tokens_remaining", r => r with { RateLimits = new RateLimitSnapshot { TokensRemaining = -5 } } },
        { "rate_limits.requests_reset", r => r with { RateLimits = new RateLimitSnapshot { RequestsReset = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero) } } },
        { "tool_calls", r => r with { ToolCalls = [.. Enumerable.Range(0, 300).Select(i => new ToolCallInfo($"t{i}", []))] } },
        { "tool_calls.input_keys", r => r with { ToolCalls = [new ToolCallInfo("search", [new string('k', 300)])] } },
        { "tags.user", r => r with { Tags = new CallTags { User = new string('u', 5 * 1024 * 1024) } } },
        { "tags.attempt", r => r with { Tags = new CallTags { Attempt = -1 } } },
        { "tags.properties", r => r with { Tags = new CallTags { Properties = Enumerable.Range(0, 65).ToDictionary(i => $"p{i}", _ => "v") } } },
        { "tags.properties.team", r => r with { Tags = new CallTags { Properties = new Dictionary<string, string> { ["team"] = new string('v', 2000) } } } },
        { "quality_flags", r => r with { QualityFlags = [.. Enumerable.Range(0, 20).Select(i => $"f{i}")] } },
        { "context_utilisation", r => r with { ContextUtilisation = -0.5 } },
    };

    [Theory]
    [MemberData(nameof(Spoiled))]
    public void A_value_no_call_could_have_is_refused_by_its_field(string field, Func<CallRecord, CallRecord> spoil)
    {
        var problem = RecordValidator.Validate(spoil(Good()), Now);

        Assert.NotNull(problem);
        Assert.Equal(field, problem.Field);
        Assert.StartsWith($"{field}: ", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_out_of_range_says_the_range_and_the_value()
    {
        var problem = RecordValidator.Validate(Good() with { Usage = new TokenUsage { InputTokens = -6_000_000 } }, Now);

        Assert.Equal("usage.input_tokens: must be between 0 and 10000000000, not -6000000", problem?.ToString());
    }

    [Fact]
    public void An_id_twice_in_one_batch_is_refused_the_second_time_only()
    {
        var validator = new RecordValidator(new FakeTimeProvider(Now));
        var record = Good();

        Assert.Null(validator.Check(record));
        Assert.Equal("id", validator.Check(record with { LatencyMs = 5 })?.Field);
        Assert.Null(new RecordValidator(new FakeTimeProvider(Now)).Check(record));
    }
}
