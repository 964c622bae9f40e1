using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>The pricing engine against reference section 7: every bucket at its own rate, modifiers, tiers, exact decimals.</summary>
public class CostCalculatorTests
{
    private const long Million = 1_000_000;

    private static readonly CostCalculator Calculator = CostCalculator.Default;

    public static TheoryData<string, decimal, decimal, decimal, decimal, decimal, long, bool> Rows => ReferencePrices.Rows;

    private static CallCost Price(string model, TokenUsage usage) => Calculator.Price(model, usage);

    private static TokenUsage Input(long n) => new() { InputTokens = n };

    private static TokenUsage Writes5m(long n) => new() { CacheCreationInputTokens = n, CacheCreation5mInputTokens = n, CacheCreation1hInputTokens = 0 };

    private static TokenUsage Writes1h(long n) => new() { CacheCreationInputTokens = n, CacheCreation5mInputTokens = 0, CacheCreation1hInputTokens = n };

    private static TokenUsage Reads(long n) => new() { CacheReadInputTokens = n };

    private static TokenUsage Output(long n) => new() { OutputTokens = n };

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_million_tokens_in_one_bucket_costs_the_reference_rate(string id, decimal input, decimal write5m, decimal write1h, decimal read, decimal output, long context, bool tiered)
    {
        _ = context;
        // Output never counts toward the long-context threshold: a million output tokens are at the base rate.
        var o = Price(id, Output(Million));
        Assert.True(o.Priced);
        Assert.Equal(output, o.OutputUsd);
        Assert.Equal(output, o.TotalUsd);

        // A million input-side tokens would cross the >200K tier of Sonnet 4 / 4.5 (tested on its own below),
        // so those ids are checked at 200,000 tokens, the most the base rates apply to: a fifth of the rate.
        var n = tiered ? 200_000 : Million;
        var share = (decimal)n / Million;

        var i = Price(id, Input(n));
        Assert.Equal(input * share, i.InputUsd);
        Assert.Equal(input * share, i.TotalUsd);

        var w5 = Price(id, Writes5m(n));
        Assert.Equal(write5m * share, w5.CacheWrite5mUsd);
        Assert.Equal(write5m * share, w5.TotalUsd);

        var w1 = Price(id, Writes1h(n));
        Assert.Equal(write1h * share, w1.CacheWrite1hUsd);
        Assert.Equal(write1h * share, w1.TotalUsd);

        var r = Price(id, Reads(n));
        Assert.Equal(read * share, r.CacheReadUsd);
        Assert.Equal(read * share, r.TotalUsd);

        Assert.All(new[] { o, i, w5, w1, r }, c =>
        {
            Assert.True(c.Priced);
            Assert.Null(c.UnpricedReason);
            Assert.Equal("2026-08-07", c.PriceTableVersion);
        });
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void One_hour_writes_cost_twice_input(string id, decimal input, decimal write5m, decimal write1h, decimal read, decimal output, long context, bool tiered)
    {
        _ = (write5m, write1h, read, output, context, tiered);
        Assert.Equal(2 * input * 100_000 / Million, Price(id, Writes1h(100_000)).TotalUsd);
    }

    [Fact]
    public void Haiku_3_irregular_rates()
    {
        Assert.Equal(0.30m, Price("claude-3-haiku-20240307", Writes5m(Million)).TotalUsd);
        Assert.Equal(0.03m, Price("claude-3-haiku-20240307", Reads(Million)).TotalUsd);
        Assert.NotEqual(0.25m * 1.25m, Price("claude-3-haiku-20240307", Writes5m(Million)).TotalUsd);
    }

    [Fact]
    public void Dated_snapshots_price_as_their_family()
    {
        var opus40 = Price("claude-opus-4-20250514", Input(Million));
        Assert.Equal("claude-opus-4-0", opus40.PricingModel);
        Assert.Equal(15m, opus40.TotalUsd);

        // Opus 4.5 is $5, not the $15 of Opus 4 / 4.1 whose ids it shares a prefix with.
        var opus45 = Price("claude-opus-4-5-20251101", Input(Million));
        Assert.Equal("claude-opus-4-5", opus45.PricingModel);
        Assert.Equal(5m, opus45.TotalUsd);

        var sonnet45 = Price("claude-sonnet-4-5-20250929", Output(Million));
        Assert.Equal("claude-sonnet-4-5", sonnet45.PricingModel);
        Assert.Equal(15m, sonnet45.TotalUsd);
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("claude-sonnet-4-5@20250929")]
    public void Bedrock_and_vertex_ids_price_as_the_model(string id)
    {
        var cost = Price(id, new TokenUsage { InputTokens = 1_000, OutputTokens = 1_000 });

        Assert.True(cost.Priced);
        Assert.Equal("claude-sonnet-4-5", cost.PricingModel);
        Assert.Equal(0.003m + 0.015m, cost.TotalUsd);
    }

    [Theory]
    [InlineData("claude-opus-4-9")]
    [InlineData("claude-opus-4-10")]
    [InlineData("claude-opus-4")]
    [InlineData("claude-sonnet-4-7")]
    [InlineData("claude-haiku-5")]
    [InlineData("gpt-4o")]
    [InlineData("claude")]
    [InlineData("anthropic.claude-opus-4-9-v1:0")]
    public void Unknown_models_are_unpriced_never_zero_priced(string id)
    {
        var cost = Price(id, new TokenUsage { InputTokens = 1_000, OutputTokens = 1_000 });

        Assert.False(cost.Priced);
        Assert.Equal(UnpricedReasons.UnknownModel, cost.UnpricedReason);
        Assert.Equal("unknown_model", cost.UnpricedReason);
        Assert.Null(cost.PricingModel);
        Assert.Equal("2026-08-07", cost.PriceTableVersion);
        Assert.Equal(0m, cost.TotalUsd);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_model_id_is_unpriced(string? id)
    {
        var cost = Calculator.Price(id, new TokenUsage { InputTokens = 1_000 });

        Assert.False(cost.Priced);
        // Documented in docs/record-format.md: a call without a model id is "no_model", apart from ids the table does not know.
        Assert.Equal(UnpricedReasons.NoModel, cost.UnpricedReason);
        Assert.Equal(0m, cost.TotalUsd);
    }

    [Fact]
    public void No_usage_is_unpriced()
    {
        var cost = Calculator.Price("claude-opus-4-8", null);

        Assert.False(cost.Priced);
        Assert.Equal(UnpricedReasons.NoUsage, cost.UnpricedReason);
        Assert.Equal("no_usage", cost.UnpricedReason);
    }

    [Fact]
    public void Zero_usage_of_a_known_model_is_priced_at_zero()
    {
        var cost = Price("claude-opus-4-8", TokenUsage.Empty);

        Assert.True(cost.Priced);
        Assert.Equal(0m, cost.TotalUsd);
    }

    [Fact]
    public void Worked_example_every_bucket_at_its_own_rate()
    {
        // claude-sonnet-4-6: $3 in, $3.75 5m write, $6 1h write, $0.30 read, $15 out, $10 per 1,000 searches.
        //   input       1,000 x 3.00 / 1M = 0.003
        //   5m writes   2,000 x 3.75 / 1M = 0.0075
        //   1h writes   4,000 x 6.00 / 1M = 0.024
        //   reads      50,000 x 0.30 / 1M = 0.015
        //   output        500 x 15.0 / 1M = 0.0075
        //   searches        3 x 10 / 1,000 = 0.03
        //   total                         = 0.087
        // input_tokens is uncached input only: nothing is subtracted from it for the 56,000 cache tokens.
        var usage = new TokenUsage
        {
            InputTokens = 1_000,
            CacheCreationInputTokens = 6_000,
            CacheCreation5mInputTokens = 2_000,
            CacheCreation1hInputTokens = 4_000,
            CacheReadInputTokens = 50_000,
            OutputTokens = 500,
            WebSearchRequests = 3,
        };

        var cost = Price("claude-sonnet-4-6", usage);

        Assert.Equal(0.003m, cost.InputUsd);
        Assert.Equal(0.0075m, cost.CacheWrite5mUsd);
        Assert.Equal(0.024m, cost.CacheWrite1hUsd);
        Assert.Equal(0.0315m, cost.CacheWriteUsd);
        Assert.Equal(0.015m, cost.CacheReadUsd);
        Assert.Equal(0.0075m, cost.OutputUsd);
        Assert.Equal(0.03m, cost.WebSearchUsd);
        Assert.Equal(0.087m, cost.TotalUsd);
        Assert.Equal("claude-sonnet-4-6", cost.PricingModel);
    }

    [Fact]
    public void Missing_cache_creation_split_bills_all_writes_as_five_minute_writes()
    {
        var cost = Price("claude-opus-4-8", new TokenUsage { CacheCreationInputTokens = Million });

        Assert.Equal(6.25m, cost.CacheWrite5mUsd);
        Assert.Equal(0m, cost.CacheWrite1hUsd);
        Assert.Equal(6.25m, cost.TotalUsd);
    }

    [Fact]
    public void Partial_split_bills_the_remainder_in_the_other_bucket()
    {
        // Only the 1h part sent: the rest of the total is 5-minute writes.
        var cost = Price("claude-opus-4-8", new TokenUsage { CacheCreationInputTokens = 300_000, CacheCreation1hInputTokens = 100_000 });

        Assert.Equal(200_000 * 6.25m / Million, cost.CacheWrite5mUsd);
        Assert.Equal(100_000 * 10m / Million, cost.CacheWrite1hUsd);
    }

    [Fact]
    public void Batch_halves_every_token_bucket()
    {
        var usage = new TokenUsage
        {
            InputTokens = 12_345,
            CacheCreationInputTokens = 3_000,
            CacheCreation5mInputTokens = 1_000,
            CacheCreation1hInputTokens = 2_000,
            CacheReadInputTokens = 40_000,
            OutputTokens = 6_789,
        };

        var standard = Price("claude-opus-4-8", usage);
        var batch = Price("claude-opus-4-8", usage with { ServiceTier = "batch" });

        Assert.Equal(standard.InputUsd / 2, batch.InputUsd);
        Assert.Equal(standard.CacheWrite5mUsd / 2, batch.CacheWrite5mUsd);
        Assert.Equal(standard.CacheWrite1hUsd / 2, batch.CacheWrite1hUsd);
        Assert.Equal(standard.CacheReadUsd / 2, batch.CacheReadUsd);
        Assert.Equal(standard.OutputUsd / 2, batch.OutputUsd);
        Assert.Equal(standard.TotalUsd / 2, batch.TotalUsd);
        Assert.Equal(2.5m, Price("claude-opus-4-8", Input(Million) with { ServiceTier = "batch" }).TotalUsd);
        Assert.Equal(12.5m, Price("claude-opus-4-8", Output(Million) with { ServiceTier = "batch" }).TotalUsd);
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("priority")]
    [InlineData(null)]
    public void Other_service_tiers_are_not_discounted(string? tier)
    {
        Assert.Equal(5m, Price("claude-opus-4-8", Input(Million) with { ServiceTier = tier }).TotalUsd);
    }

    [Theory]
    [InlineData("claude-fable-5", 10)]
    [InlineData("claude-opus-5", 5)]
    [InlineData("claude-opus-4-8", 5)]
    [InlineData("claude-opus-4-7", 5)]
    [InlineData("claude-opus-4-6", 5)]
    [InlineData("claude-sonnet-5", 2)]
    [InlineData("claude-sonnet-4-6", 3)]
    public void Inference_geo_us_is_1_1x_on_claude_4_6_and_later(string id, int input)
    {
        var cost = Price(id, Input(Million) with { InferenceGeo = "us" });

        Assert.Equal(input * 1.1m, cost.TotalUsd);
        Assert.Equal(Price(id, Output(Million)).TotalUsd * 1.1m, Price(id, Output(Million) with { InferenceGeo = "us" }).TotalUsd);
        Assert.Equal(Price(id, Reads(Million)).TotalUsd * 1.1m, Price(id, Reads(Million) with { InferenceGeo = "us" }).TotalUsd);
    }

    [Theory]
    [InlineData("claude-haiku-4-5", 1)]
    [InlineData("claude-opus-4-5", 5)]
    [InlineData("claude-opus-4-1", 15)]
    [InlineData("claude-sonnet-4-5", 3)]
    [InlineData("claude-3-haiku-20240307", 0.25)]
    public void Inference_geo_us_does_not_apply_before_claude_4_6(string id, double input)
    {
        Assert.Equal((decimal)input * 100_000 / Million, Price(id, Input(100_000) with { InferenceGeo = "us" }).TotalUsd);
    }

    [Fact]
    public void Other_inference_geos_are_standard()
    {
        Assert.Equal(5m, Price("claude-opus-4-8", Input(Million) with { InferenceGeo = "global" }).TotalUsd);
    }

    [Fact]
    public void Batch_and_inference_geo_multiply()
    {
        Assert.Equal(5m * 0.5m * 1.1m, Price("claude-opus-4-8", Input(Million) with { ServiceTier = "batch", InferenceGeo = "us" }).TotalUsd);
    }

    [Theory]
    [InlineData("claude-opus-4-8")]
    [InlineData("claude-opus-5")]
    public void Fast_mode_is_10_in_and_50_out(string id)
    {
        Assert.Equal(10m, Price(id, Input(Million) with { Speed = "fast" }).TotalUsd);
        Assert.Equal(50m, Price(id, Output(Million) with { Speed = "fast" }).TotalUsd);
        // Without speed: the standard $5 / $25.
        Assert.Equal(5m, Price(id, Input(Million)).TotalUsd);
        Assert.Equal(25m, Price(id, Output(Million) with { Speed = "standard" }).TotalUsd);
    }

    [Fact]
    public void Fast_on_a_model_without_fast_mode_is_the_standard_price()
    {
        Assert.Equal(3m, Price("claude-sonnet-4-6", Input(Million) with { Speed = "fast" }).TotalUsd);
    }

    [Theory]
    [InlineData(1, "0.01")]
    [InlineData(3, "0.03")]
    [InlineData(1_000, "10")]
    [InlineData(2_500, "25")]
    public void Web_search_is_10_dollars_per_1000_requests(long requests, string usd)
    {
        var cost = Price("claude-opus-4-8", new TokenUsage { WebSearchRequests = requests });

        Assert.Equal(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), cost.WebSearchUsd);
        Assert.Equal(cost.WebSearchUsd, cost.TotalUsd);
    }

    [Fact]
    public void Long_context_tier_applies_above_200k_not_at_200k()
    {
        // Exactly 200,000 input tokens: standard rates, $3 in / $15 out.
        var at = Price("claude-sonnet-4-5", new TokenUsage { InputTokens = 200_000, OutputTokens = 1_000 });
        Assert.Equal(0.6m, at.InputUsd);      // 200,000 x 3 / 1M
        Assert.Equal(0.015m, at.OutputUsd);   // 1,000 x 15 / 1M
        Assert.Equal(0.615m, at.TotalUsd);

        // 200,001: every token at 2x input ($6) and 1.5x output ($22.50), not only those above 200K.
        var above = Price("claude-sonnet-4-5", new TokenUsage { InputTokens = 200_001, OutputTokens = 1_000 });
        Assert.Equal(1.200006m, above.InputUsd);  // 200,001 x 6 / 1M
        Assert.Equal(0.0225m, above.OutputUsd);   // 1,000 x 22.5 / 1M
        Assert.Equal(1.222506m, above.TotalUsd);
    }

    [Fact]
    public void Long_context_threshold_counts_cache_tokens_too()
    {
        // 100,000 input + 60,000 writes + 40,000 reads = 200,000: standard.
        var at = Price("claude-sonnet-4-5-20250929", new TokenUsage { InputTokens = 100_000, CacheCreationInputTokens = 60_000, CacheReadInputTokens = 40_000, OutputTokens = 2_000 });
        Assert.Equal(0.3m, at.InputUsd);
        Assert.Equal(0.03m, at.OutputUsd);

        // One more cache read token crosses it: input and output are repriced.
        var above = Price("claude-sonnet-4-5-20250929", new TokenUsage { InputTokens = 100_000, CacheCreationInputTokens = 60_000, CacheReadInputTokens = 40_001, OutputTokens = 2_000 });
        Assert.Equal(0.6m, above.InputUsd);
        Assert.Equal(0.045m, above.OutputUsd);
    }

    [Fact]
    public void Output_tokens_do_not_count_toward_the_long_context_threshold()
    {
        var cost = Price("claude-sonnet-4-5", new TokenUsage { InputTokens = 100_000, OutputTokens = 150_000 });

        Assert.Equal(0.3m, cost.InputUsd);
        Assert.Equal(2.25m, cost.OutputUsd);
    }

    [Fact]
    public void Claude_4_6_bills_the_full_1m_window_at_standard_rates()
    {
        var cost = Price("claude-sonnet-4-6", new TokenUsage { InputTokens = 900_000, OutputTokens = 10_000 });

        Assert.Equal(2.7m, cost.InputUsd);
        Assert.Equal(0.15m, cost.OutputUsd);
    }

    [Fact]
    public void Decimal_exactness()
    {
        Assert.Equal(0.000009m, Price("claude-sonnet-4-6", Input(3)).TotalUsd);
        Assert.Equal(0.00000003m, Price("claude-3-haiku-20240307", Reads(1)).TotalUsd);
        Assert.Equal(0.0000021m, Price("claude-sonnet-4-6", Reads(7)).TotalUsd);
        Assert.Equal(0.0000011m, Price("claude-haiku-4-5", Reads(11)).TotalUsd);

        // Ten thousand single-token calls sum to exactly ten thousand times one call.
        var sum = 0m;
        for (var i = 0; i < 10_000; i++)
        {
            sum += Price("claude-3-5-haiku-20241022", Reads(1)).TotalUsd;
        }

        Assert.Equal(0.0008m, sum);
    }

    [Fact]
    public void Apply_prices_a_record_by_the_model_used_else_the_model_requested()
    {
        var record = new CallRecord { Id = Guid.Empty, StartTime = DateTimeOffset.UnixEpoch, ModelRequested = "claude-haiku-4-5", ModelUsed = "claude-opus-4-8-20260101", Usage = Input(Million) };

        var used = Calculator.Apply(record).Cost!;
        var requested = Calculator.Apply(record with { ModelUsed = null }).Cost!;

        Assert.True(used.Priced);
        Assert.Equal("claude-opus-4-8", used.PricingModel);
        Assert.Equal(5m, used.TotalUsd);
        Assert.Equal("claude-haiku-4-5", requested.PricingModel);
        Assert.Equal(1m, requested.TotalUsd);
    }

    [Fact]
    public void Stored_amounts_carry_no_trailing_zeros()
    {
        // 1,024 writes at $3.75/MTok: 0.00384, not 0.00384000.
        var cost = CostCalculator.Default.Price("claude-sonnet-4-6", new Claudit.Core.Records.TokenUsage { CacheCreationInputTokens = 1024 });

        Assert.Equal("0.00384", cost.CacheWrite5mUsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.00384", cost.TotalUsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
