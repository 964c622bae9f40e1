using System.Text;
using Claudit.Core.Anthropic;

namespace Claudit.Core.Tests;

/// <summary>A bare usage object, as copied from a log or a response.</summary>
public class UsageParserTests
{
    private static Records.TokenUsage? Parse(string json, string? speed = null) => UsageParser.Parse(Encoding.UTF8.GetBytes(json), speed);

    [Fact]
    public void Every_field_of_the_reference_usage_table()
    {
        var u = Parse("""
            {"input_tokens":50,"cache_creation_input_tokens":700,"cache_read_input_tokens":9000,
             "cache_creation":{"ephemeral_5m_input_tokens":300,"ephemeral_1h_input_tokens":400},
             "output_tokens":250,"output_tokens_details":{"thinking_tokens":90},
             "server_tool_use":{"web_search_requests":3,"web_fetch_requests":2},
             "service_tier":"priority","inference_geo":"us"}
            """)!;

        Assert.Equal(50, u.InputTokens);
        Assert.Equal(700, u.CacheCreationInputTokens);
        Assert.Equal(300, u.CacheCreation5mInputTokens);
        Assert.Equal(400, u.CacheCreation1hInputTokens);
        Assert.Equal(9000, u.CacheReadInputTokens);
        Assert.Equal(250, u.OutputTokens);
        Assert.Equal(90, u.ThinkingTokens);
        Assert.Equal(3, u.WebSearchRequests);
        Assert.Equal(2, u.WebFetchRequests);
        Assert.Equal("priority", u.ServiceTier);
        Assert.Equal("us", u.InferenceGeo);
        Assert.Equal(50 + 700 + 9000, u.TotalInputTokens);
    }

    [Fact]
    public void Absent_and_null_fields_are_zero_or_null()
    {
        var u = Parse("""{"input_tokens":5,"output_tokens":null,"cache_read_input_tokens":null}""")!;

        Assert.Equal(5, u.InputTokens);
        Assert.Equal(0, u.OutputTokens);
        Assert.Equal(0, u.CacheReadInputTokens);
        Assert.Equal(0, u.CacheCreationInputTokens);
        Assert.Null(u.CacheCreation5mInputTokens);
        Assert.Null(u.CacheCreation1hInputTokens);
        Assert.Null(u.ThinkingTokens);
        Assert.Null(u.ServiceTier);
    }

    [Fact]
    public void A_split_without_a_total_gives_the_total()
    {
        var u = Parse("""{"input_tokens":1,"output_tokens":1,"cache_creation":{"ephemeral_5m_input_tokens":30,"ephemeral_1h_input_tokens":12}}""")!;

        Assert.Equal(42, u.CacheCreationInputTokens);
        Assert.Equal(30, u.EffectiveCacheWrite5m);
        Assert.Equal(12, u.EffectiveCacheWrite1h);
    }

    [Fact]
    public void A_total_without_a_split_counts_as_five_minute_writes()
    {
        var u = Parse("""{"input_tokens":1,"cache_creation_input_tokens":800,"output_tokens":1}""")!;

        Assert.Equal(800, u.CacheCreationInputTokens);
        Assert.Null(u.CacheCreation5mInputTokens);
        Assert.Null(u.CacheCreation1hInputTokens);
        Assert.Equal(800, u.EffectiveCacheWrite5m);
        Assert.Equal(0, u.EffectiveCacheWrite1h);
    }

    [Fact]
    public void Speed_comes_from_the_caller()
    {
        Assert.Equal("fast", Parse("""{"input_tokens":1,"output_tokens":2}""", "fast")!.Speed);
        Assert.Null(Parse("""{"input_tokens":1,"output_tokens":2}""")!.Speed);
    }

    [Fact]
    public void Negative_fractional_and_non_numeric_counts_are_ignored()
    {
        var u = Parse("""{"input_tokens":-5,"output_tokens":1.5,"cache_read_input_tokens":"12","cache_creation_input_tokens":3}""")!;

        Assert.Equal(0, u.InputTokens);
        Assert.Equal(0, u.OutputTokens);
        Assert.Equal(0, u.CacheReadInputTokens);
        Assert.Equal(3, u.CacheCreationInputTokens);
    }

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        var u = Parse("""{"future":{"nested":[1,{"input_tokens":999}]},"input_tokens":4,"output_tokens":6}""")!;

        Assert.Equal(4, u.InputTokens);
        Assert.Equal(6, u.OutputTokens);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("{\"service_tier\":\"batch\"}")]
    [InlineData("{\"input_tokens\":")]
    [InlineData("{\"input_tokens\":1")]
    [InlineData("not json")]
    public void Not_a_usage_object_is_null(string json)
    {
        Assert.Null(Parse(json));
    }
}
