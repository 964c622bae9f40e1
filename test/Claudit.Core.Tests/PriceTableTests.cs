using Claudit.Core.Pricing;
using Claudit.Core.Records;
using Claudit.Core.Tests.Support;

namespace Claudit.Core.Tests;

/// <summary>The embedded price table against reference section 7, and loading replacement tables.</summary>
public class PriceTableTests
{
    private const string Origin = "test-prices.json";

    private const string MinimalModel = """{"id":"claude-x","rates":{"input":1,"cache_write_5m":1.25,"cache_write_1h":2,"cache_read":0.1,"output":5}}""";

    public static TheoryData<string, decimal, decimal, decimal, decimal, decimal, long, bool> Rows => ReferencePrices.Rows;

    private static PriceTableException ParseFails(string json) =>
        Assert.Throws<PriceTableException>(() => PriceTable.Parse(json, Origin));

    [Fact]
    public void Default_table_carries_its_date_and_the_global_modifiers()
    {
        var table = PriceTable.Default;

        Assert.Equal("2026-08-07", table.Version);
        Assert.Equal("USD", table.Currency);
        Assert.Equal(0.5m, table.BatchMultiplier);
        Assert.Equal(10m, table.WebSearchUsdPer1000);
        Assert.Same(table, PriceTable.Default);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Default_table_has_the_five_reference_rates(string id, decimal input, decimal write5m, decimal write1h, decimal read, decimal output, long context, bool tiered)
    {
        var model = PriceTable.Default.FindModel(id);

        Assert.NotNull(model);
        Assert.Equal(new TokenRates(input, write5m, write1h, read, output), model.Rates);
        Assert.Equal(context, model.ContextWindow);
        Assert.Equal(tiered, model.Tiers.Count > 0);
    }

    [Fact]
    public void Every_default_model_is_a_reference_row()
    {
        // No model in the shipped table without a row in the reference (a priced guess is worse than unpriced).
        var ids = ReferencePrices.Rows.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var model in PriceTable.Default.Models)
        {
            Assert.True(
                model.Aliases.Prepend(model.Id).Any(ids.Contains),
                $"{model.Id} is not in the reference price table");
        }
    }

    [Fact]
    public void Opus_4_8_and_haiku_4_5_are_the_official_prices_not_the_blog_ones()
    {
        Assert.Equal(5m, PriceTable.Default.FindModel("claude-opus-4-8")!.Rates.Input);
        Assert.Equal(25m, PriceTable.Default.FindModel("claude-opus-4-8")!.Rates.Output);
        Assert.Equal(1m, PriceTable.Default.FindModel("claude-haiku-4-5")!.Rates.Input);
        Assert.Equal(5m, PriceTable.Default.FindModel("claude-haiku-4-5")!.Rates.Output);
    }

    [Fact]
    public void Replacement_table_changes_prices_without_a_rebuild()
    {
        const string json = """
            {
              // Comments and trailing commas are allowed in a hand-edited table.
              "version": "2026-09-01",
              "currency": "USD",
              "batch_multiplier": 0.5,
              "web_search_usd_per_1000_requests": 12,
              "models": [
                {"id": "claude-opus-4-8", "rates": {"input": 4, "cache_write_5m": 5, "cache_write_1h": 8, "cache_read": 0.4, "output": 20}},
                {"id": "claude-nova-1", "aliases": ["claude-nova-1-20260901"], "rates": {"input": 7, "cache_write_5m": 8.75, "cache_write_1h": 14, "cache_read": 0.7, "output": 35}, "context_window": 2000000},
              ],
            }
            """;
        var calculator = new CostCalculator(PriceTable.Parse(json, Origin));
        var million = new TokenUsage { InputTokens = 1_000_000 };
        var tenSearches = new TokenUsage { WebSearchRequests = 10 };

        var changed = calculator.Price("claude-opus-4-8", million);
        Assert.True(changed.Priced);
        Assert.Equal(4m, changed.TotalUsd);
        Assert.Equal("2026-09-01", changed.PriceTableVersion);

        var added = calculator.Price("claude-nova-1-20260901", million);
        Assert.True(added.Priced);
        Assert.Equal("claude-nova-1", added.PricingModel);
        Assert.Equal(7m, added.TotalUsd);
        Assert.Equal(0.12m, calculator.Price("claude-nova-1", tenSearches).TotalUsd);

        // Models the replacement does not list are unknown to it, not priced from the default table.
        Assert.Equal(UnpricedReasons.UnknownModel, calculator.Price("claude-haiku-4-5", million).UnpricedReason);

        // The shipped table is untouched.
        Assert.Equal(5m, CostCalculator.Default.Price("claude-opus-4-8", million).TotalUsd);
        Assert.Equal(UnpricedReasons.UnknownModel, CostCalculator.Default.Price("claude-nova-1", million).UnpricedReason);
    }

    [Fact]
    public void Optional_global_fields_default()
    {
        var table = PriceTable.Parse($$"""{"version":"2026-01-01","models":[{{MinimalModel}}]}""", Origin);

        Assert.Equal(0.5m, table.BatchMultiplier);
        Assert.Equal(10m, table.WebSearchUsdPer1000);
        Assert.Equal("USD", table.Currency);
        var model = Assert.Single(table.Models);
        Assert.Empty(model.Aliases);
        Assert.Empty(model.Tiers);
        Assert.Null(model.Fast);
        Assert.Null(model.ContextWindow);
    }

    [Fact]
    public void Invalid_json_names_the_origin_and_where()
    {
        var ex = ParseFails("""{"version": "2026-08-07", "models": [ }""");

        Assert.StartsWith(Origin + ":", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BytePositionInLine", ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public void Not_an_object()
    {
        var ex = ParseFails("[]");

        Assert.Equal($"{Origin}: $ must be a JSON object", ex.Message);
    }

    [Fact]
    public void Missing_version()
    {
        var ex = ParseFails($$"""{"models":[{{MinimalModel}}]}""");

        Assert.StartsWith(Origin + ": $.version ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("20260807")]
    [InlineData("\"latest\"")]
    [InlineData("\"2026-13-01\"")]
    [InlineData("\"2026-02-30\"")]
    [InlineData("\"07/08/2026\"")]
    public void Bad_version_date(string version)
    {
        var ex = ParseFails($$"""{"version":{{version}},"models":[{{MinimalModel}}]}""");

        Assert.StartsWith(Origin + ": $.version ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_models()
    {
        var ex = ParseFails("""{"version":"2026-08-07"}""");

        Assert.StartsWith(Origin + ": $.models ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_id()
    {
        var ex = ParseFails("""{"version":"2026-08-07","models":[{"rates":{"input":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1,"output":1}}]}""");

        Assert.StartsWith(Origin + ": $.models[0].id ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_rates_object()
    {
        var ex = ParseFails($$"""{"version":"2026-08-07","models":[{{MinimalModel}},{"id":"claude-y"}]}""");

        Assert.StartsWith(Origin + ": $.models[1].rates ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("input")]
    [InlineData("cache_write_5m")]
    [InlineData("cache_write_1h")]
    [InlineData("cache_read")]
    [InlineData("output")]
    public void Missing_rate_field(string field)
    {
        var rates = new Dictionary<string, string> { ["input"] = "1", ["cache_write_5m"] = "1.25", ["cache_write_1h"] = "2", ["cache_read"] = "0.1", ["output"] = "5" };
        rates.Remove(field);
        var ratesJson = "{" + string.Join(",", rates.Select(r => $"\"{r.Key}\":{r.Value}")) + "}";

        var ex = ParseFails($$"""{"version":"2026-08-07","models":[{"id":"claude-y","rates":{{ratesJson}}}]}""");

        Assert.StartsWith($"{Origin}: $.models[0].rates.{field} ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_rate()
    {
        var ex = ParseFails("""{"version":"2026-08-07","models":[{"id":"claude-y","rates":{"input":1,"cache_write_5m":1.25,"cache_write_1h":2,"cache_read":-0.1,"output":5}}]}""");

        Assert.StartsWith(Origin + ": $.models[0].rates.cache_read ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("non-negative", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_that_is_not_a_number()
    {
        var ex = ParseFails("""{"version":"2026-08-07","models":[{"id":"claude-y","rates":{"input":"1","cache_write_5m":1.25,"cache_write_1h":2,"cache_read":0.1,"output":5}}]}""");

        Assert.StartsWith(Origin + ": $.models[0].rates.input ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_tier_and_fast_rates_name_their_path()
    {
        var tier = ParseFails("""{"version":"2026-08-07","models":[{"id":"claude-y","rates":{"input":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1,"output":1},"tiers":[{"rates":{"input":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1,"output":1}}]}]}""");
        var fast = ParseFails("""{"version":"2026-08-07","models":[{"id":"claude-y","rates":{"input":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1,"output":1},"fast":{"input":1}}]}""");

        Assert.StartsWith(Origin + ": $.models[0].tiers[0] ", tier.Message, StringComparison.Ordinal);
        Assert.StartsWith(Origin + ": $.models[0].fast.cache_write_5m ", fast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_alias()
    {
        var ex = ParseFails("""
            {"version":"2026-08-07","models":[
              {"id":"claude-a","aliases":["claude-a-20260101"],"rates":{"input":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1,"output":1}},
              {"id":"claude-b","aliases":["claude-b-1","claude-a-20260101"],"rates":{"input":2,"cache_write_5m":2,"cache_write_1h":2,"cache_read":2,"output":2}}
            ]}
            """);

        Assert.StartsWith(Origin + ": $.models[1] ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("claude-a-20260101", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_id_differing_only_in_case()
    {
        var ex = ParseFails("""
            {"version":"2026-08-07","models":[
              {"id":"claude-a","rates":{"input":1,"cache_write_5m":1,"cache_write_1h":1,"cache_read":1,"output":1}},
              {"id":"Claude-A","rates":{"input":2,"cache_write_5m":2,"cache_write_1h":2,"cache_read":2,"output":2}}
            ]}
            """);

        Assert.StartsWith(Origin + ": $.models[1] ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_refuses_a_table_without_a_version()
    {
        Assert.Throws<PriceTableException>(() => new PriceTable(" ", []));
    }
}
