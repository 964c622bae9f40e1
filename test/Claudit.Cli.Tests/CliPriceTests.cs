using System.Text.Json;

namespace Claudit.Cli.Tests;

/// <summary>
/// <c>claudit price</c>: the cost of one response, bucket by bucket, worked out by hand from the reference prices
/// (USD per million tokens; web search $10 per 1,000 requests).
/// </summary>
public class CliPriceTests
{
    // sonnet-4-5 (3 / 3.75 / 6 / 0.30 / 15):
    //   input 1200 x 3 = 0.0036; 5m writes 1000 x 3.75 = 0.00375; 1h writes 2000 x 6 = 0.012;
    //   reads 40000 x 0.30 = 0.012; output 850 x 15 = 0.01275; 3 web searches x $0.01 = 0.03 => 0.0741
    private const string ResponseBody = """
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Hello"},{"type":"tool_use","id":"tu_1","name":"lookup","input":{"q":"x"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":1200,"cache_creation_input_tokens":3000,"cache_read_input_tokens":40000,
                  "cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},
                  "output_tokens":850,"server_tool_use":{"web_search_requests":3},"service_tier":"standard"}}
        """;

    // opus-4-8 (5 / 6.25 / 10 / 0.50 / 25): input 25 x 5 = 0.000125; 100 writes (no split: 5m) x 6.25 = 0.000625;
    // 2000 reads x 0.50 = 0.001; output 15 x 25 = 0.000375 (message_delta's cumulative 15, not 1 + 15) => 0.002125.
    // It ends with the blank line that closes message_stop, as a stream saved with curl -N does.
    private const string Stream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-opus-4-8","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

        event: some_future_event
        data: {"type":"some_future_event","x":1}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    [Fact]
    public async Task Response_body_priced_bucket_by_bucket()
    {
        var (result, json) = await PriceJson(ResponseBody);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("claude-sonnet-4-5-20250929", json.GetProperty("model").GetString());
        Assert.Equal("claude-sonnet-4-5", json.GetProperty("pricing_model").GetString());
        Assert.True(json.GetProperty("priced").GetBoolean());
        Assert.Equal("2026-08-07", json.GetProperty("price_table_version").GetString());
        Assert.Equal(0.0036m, json.GetProperty("input_usd").GetDecimal());
        Assert.Equal(0.00375m, json.GetProperty("cache_write_5m_usd").GetDecimal());
        Assert.Equal(0.012m, json.GetProperty("cache_write_1h_usd").GetDecimal());
        Assert.Equal(0.012m, json.GetProperty("cache_read_usd").GetDecimal());
        Assert.Equal(0.01275m, json.GetProperty("output_usd").GetDecimal());
        Assert.Equal(0.03m, json.GetProperty("web_search_usd").GetDecimal());
        Assert.Equal(0.0741m, json.GetProperty("cost_usd").GetDecimal());
        Assert.Equal("tool_use", json.GetProperty("stop_reason").GetString());
        var tokens = json.GetProperty("tokens");
        Assert.Equal((1200L, 1000L, 2000L, 40000L, 850L, 3L),
            (tokens.GetProperty("input").GetInt64(), tokens.GetProperty("cache_write_5m").GetInt64(), tokens.GetProperty("cache_write_1h").GetInt64(),
             tokens.GetProperty("cache_read").GetInt64(), tokens.GetProperty("output").GetInt64(), tokens.GetProperty("web_search_requests").GetInt64()));
    }

    [Fact]
    public async Task Saved_sse_stream()
    {
        var (result, json) = await PriceJson(Stream);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("claude-opus-4-8", json.GetProperty("model").GetString());
        Assert.Equal(0.000125m, json.GetProperty("input_usd").GetDecimal());
        Assert.Equal(0.000625m, json.GetProperty("cache_write_5m_usd").GetDecimal());
        Assert.Equal(0m, json.GetProperty("cache_write_1h_usd").GetDecimal());
        Assert.Equal(0.001m, json.GetProperty("cache_read_usd").GetDecimal());
        Assert.Equal(0.000375m, json.GetProperty("output_usd").GetDecimal());
        Assert.Equal(0m, json.GetProperty("web_search_usd").GetDecimal());
        Assert.Equal(0.002125m, json.GetProperty("cost_usd").GetDecimal());
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        Assert.True(json.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task Saved_sse_stream_with_crlf_line_ends()
    {
        var (result, json) = await PriceJson(Stream.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0.002125m, json.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Bare_usage_object_with_model()
    {
        // Haiku 3 breaks the usual ratios: 0.25 / 0.30 / 0.50 / 0.03 / 1.25.
        // input 2000 x 0.25 = 0.0005; 500 writes x 0.30 = 0.00015; 10000 reads x 0.03 = 0.0003; 1000 out x 1.25 = 0.00125 => 0.0022
        var (result, json) = await PriceJson(
            """{"input_tokens":2000,"output_tokens":1000,"cache_creation_input_tokens":500,"cache_read_input_tokens":10000}""",
            "--model", "claude-3-haiku-20240307");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("claude-3-haiku-20240307", json.GetProperty("model").GetString());
        Assert.Equal("claude-3-haiku", json.GetProperty("pricing_model").GetString());
        Assert.Equal(0.0005m, json.GetProperty("input_usd").GetDecimal());
        Assert.Equal(0.00015m, json.GetProperty("cache_write_5m_usd").GetDecimal());
        Assert.Equal(0.0003m, json.GetProperty("cache_read_usd").GetDecimal());
        Assert.Equal(0.00125m, json.GetProperty("output_usd").GetDecimal());
        Assert.Equal(0.0022m, json.GetProperty("cost_usd").GetDecimal());
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", 100_000, "0.3")] // 100K x 3
    [InlineData("claude-sonnet-4-6", 1_000_000, "3")] // Claude 4.6+ bill the whole 1M window at the standard rate
    [InlineData("claude-sonnet-4-5", 1_000_000, "6")] // past 200K, Sonnet 4.5's long-context tier: 2x input
    [InlineData("claude-sonnet-4-5", 200_000, "0.6")] // the tier starts above 200K, not at it
    public async Task Input_tokens_at_the_standard_and_long_context_rates(string model, long inputTokens, string usd)
    {
        var (_, json) = await PriceJson($$"""{"input_tokens":{{inputTokens}}}""", "--model", model);

        Assert.Equal(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Model_option_overrides_the_response_model()
    {
        // The same tokens at opus-4-8 rates: 1200 x 5 = 0.006; 1000 x 6.25 = 0.00625; 2000 x 10 = 0.02;
        // 40000 x 0.5 = 0.02; 850 x 25 = 0.02125; web search 0.03 => 0.1035
        var (_, json) = await PriceJson(ResponseBody, "--model", "claude-opus-4-8");

        Assert.Equal("claude-opus-4-8", json.GetProperty("model").GetString());
        Assert.Equal(0.1035m, json.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Batch_service_tier_halves_the_token_cost()
    {
        var body = ResponseBody.Replace("\"server_tool_use\":{\"web_search_requests\":3},", "", StringComparison.Ordinal);

        var (_, standard) = await PriceJson(body);
        var (result, batch) = await PriceJson(body, "--service-tier", "batch");

        // 0.0036 + 0.00375 + 0.012 + 0.012 + 0.01275 = 0.0441, halved
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0.0441m, standard.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0.02205m, batch.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0.0018m, batch.GetProperty("input_usd").GetDecimal());
        Assert.Equal(0.001875m, batch.GetProperty("cache_write_5m_usd").GetDecimal());
        Assert.Equal(0.006m, batch.GetProperty("cache_write_1h_usd").GetDecimal());
        Assert.Equal(0.006m, batch.GetProperty("cache_read_usd").GetDecimal());
        Assert.Equal(0.006375m, batch.GetProperty("output_usd").GetDecimal());
        Assert.Equal("batch", batch.GetProperty("service_tier").GetString());
    }

    [Fact]
    public async Task Us_inference_geo_costs_ten_percent_more_on_claude_4_6_and_later_only()
    {
        var (_, opus) = await PriceJson(Stream, "--inference-geo", "us");
        var (_, sonnet45) = await PriceJson("""{"input_tokens":100000}""", "--model", "claude-sonnet-4-5", "--inference-geo", "us");

        Assert.Equal(0.0023375m, opus.GetProperty("cost_usd").GetDecimal()); // 0.002125 x 1.1
        Assert.Equal(0.3m, sonnet45.GetProperty("cost_usd").GetDecimal()); // 100K x 3, no geo multiplier before 4.6
    }

    [Fact]
    public async Task Fast_speed_uses_the_fast_mode_rates()
    {
        // opus-4-8 fast (10 / 12.5 / 20 / 1.0 / 50): 25 x 10 = 0.00025; 100 x 12.5 = 0.00125; 2000 x 1 = 0.002; 15 x 50 = 0.00075 => 0.00425
        var (_, json) = await PriceJson(Stream, "--speed", "fast");

        Assert.Equal(0.00425m, json.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Unknown_model_is_unpriced_and_exits_1()
    {
        var (result, json) = await PriceJson("""{"input_tokens":1000,"output_tokens":10}""", "--model", "claude-opus-4-9");

        Assert.Equal(ClauditCli.Failure, result.ExitCode);
        Assert.False(json.GetProperty("priced").GetBoolean());
        Assert.Equal("unknown_model", json.GetProperty("unpriced_reason").GetString());
        Assert.Equal(0m, json.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Unknown_model_in_a_table_says_unpriced()
    {
        var result = await Cli.RunAsync(["price", "--model", "claude-mystery-7"], """{"input_tokens":1000}""");

        Assert.Equal(ClauditCli.Failure, result.ExitCode);
        Assert.Contains("Unpriced", result.Out, StringComparison.Ordinal);
        Assert.Contains("claude-mystery-7", result.Out, StringComparison.Ordinal);
        Assert.Contains("--prices", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_lists_the_buckets_and_the_total()
    {
        var result = await Cli.RunAsync(["price"], ResponseBody);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        foreach (var text in new[] { "claude-sonnet-4-5-20250929", "priced as claude-sonnet-4-5", "2026-08-07", "input (uncached)", "cache write 5m", "cache write 1h", "cache read", "output", "web search", "$0.0741", "$0.01275", "stop reason tool_use" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reads_a_file_argument()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("stream.txt", Stream);

        var result = await Cli.RunAsync("price", path, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(0.002125m, doc.RootElement.GetProperty("cost_usd").GetDecimal());
    }

    private static async Task<(CliResult Result, JsonElement Json)> PriceJson(string input, params string[] options)
    {
        var result = await Cli.RunAsync(["price", "--format", "json", .. options], input);
        Assert.True(result.ExitCode is 0 or 1, $"exit {result.ExitCode}: {result.Error}");
        using var doc = JsonDocument.Parse(result.Out);
        return (result, doc.RootElement.Clone());
    }
}
