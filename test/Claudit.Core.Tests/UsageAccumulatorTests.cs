using System.Text;
using System.Text.Json;
using Claudit.Core.Anthropic;

namespace Claudit.Core.Tests;

/// <summary>
/// The one usage rule for every source: each value read replaces the last (streaming usage is
/// cumulative: assign, never add), and a null or absent field never overwrites an earlier value.
/// </summary>
public class UsageAccumulatorTests
{
    private static void Read(ref UsageAccumulator usage, string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        usage.Read(ref reader);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
    }

    [Fact]
    public void Nothing_read_is_no_usage()
    {
        Assert.Null(default(UsageAccumulator).ToUsage());
    }

    [Fact]
    public void An_empty_usage_object_is_a_zero_usage()
    {
        var usage = default(UsageAccumulator);
        Read(ref usage, "{}");

        Assert.Equal(Records.TokenUsage.Empty, usage.ToUsage());
    }

    [Fact]
    public void Later_values_replace_earlier_ones_never_add()
    {
        var usage = default(UsageAccumulator);
        Read(ref usage, """{"input_tokens":100,"output_tokens":1,"cache_read_input_tokens":50,"server_tool_use":{"web_search_requests":1}}""");
        Read(ref usage, """{"input_tokens":100,"output_tokens":40,"cache_read_input_tokens":50,"server_tool_use":{"web_search_requests":2}}""");
        Read(ref usage, """{"input_tokens":130,"output_tokens":90,"cache_read_input_tokens":50,"server_tool_use":{"web_search_requests":3}}""");

        var u = usage.ToUsage()!;
        Assert.Equal(130, u.InputTokens);
        Assert.Equal(90, u.OutputTokens);
        Assert.Equal(50, u.CacheReadInputTokens);
        Assert.Equal(3, u.WebSearchRequests);
    }

    [Fact]
    public void A_null_field_does_not_overwrite_an_earlier_value()
    {
        var usage = default(UsageAccumulator);
        Read(ref usage, """
            {"input_tokens":10,"output_tokens":1,"cache_creation_input_tokens":9,"cache_read_input_tokens":5,
             "cache_creation":{"ephemeral_5m_input_tokens":2,"ephemeral_1h_input_tokens":7},
             "output_tokens_details":{"thinking_tokens":4},
             "server_tool_use":{"web_search_requests":1,"web_fetch_requests":6},
             "service_tier":"priority","inference_geo":"us"}
            """);
        Read(ref usage, """
            {"input_tokens":null,"output_tokens":3,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,
             "cache_creation":{"ephemeral_5m_input_tokens":null,"ephemeral_1h_input_tokens":null},
             "output_tokens_details":{"thinking_tokens":null},
             "server_tool_use":{"web_search_requests":null,"web_fetch_requests":null},
             "service_tier":null,"inference_geo":null}
            """);
        Read(ref usage, """{"cache_creation":null,"output_tokens_details":null,"server_tool_use":null}""");

        var u = usage.ToUsage()!;
        Assert.Equal(10, u.InputTokens);
        Assert.Equal(3, u.OutputTokens);
        Assert.Equal(9, u.CacheCreationInputTokens);
        Assert.Equal(2, u.CacheCreation5mInputTokens);
        Assert.Equal(7, u.CacheCreation1hInputTokens);
        Assert.Equal(5, u.CacheReadInputTokens);
        Assert.Equal(4, u.ThinkingTokens);
        Assert.Equal(1, u.WebSearchRequests);
        Assert.Equal(6, u.WebFetchRequests);
        Assert.Equal("priority", u.ServiceTier);
        Assert.Equal("us", u.InferenceGeo);
    }

    [Fact]
    public void An_absent_field_does_not_overwrite_an_earlier_value()
    {
        var usage = default(UsageAccumulator);
        Read(ref usage, """{"input_tokens":10,"cache_read_input_tokens":5,"service_tier":"standard"}""");
        Read(ref usage, """{"output_tokens":8}""");

        var u = usage.ToUsage()!;
        Assert.Equal(10, u.InputTokens);
        Assert.Equal(5, u.CacheReadInputTokens);
        Assert.Equal(8, u.OutputTokens);
        Assert.Equal("standard", u.ServiceTier);
    }

    [Fact]
    public void Zero_is_a_value_and_replaces_an_earlier_one()
    {
        var usage = default(UsageAccumulator);
        Read(ref usage, """{"cache_read_input_tokens":5}""");
        Read(ref usage, """{"cache_read_input_tokens":0}""");

        Assert.Equal(0, usage.ToUsage()!.CacheReadInputTokens);
    }

    [Fact]
    public void A_non_object_is_skipped_and_not_seen()
    {
        var usage = default(UsageAccumulator);
        var reader = new Utf8JsonReader("[1,2]"u8);
        reader.Read();
        usage.Read(ref reader);

        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
        Assert.Null(usage.ToUsage());
    }
}
