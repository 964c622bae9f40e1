using System.Text.Json;

namespace Claudit.Cli.Tests;

/// <summary><c>--prices FILE</c> replaces the embedded price table at run time, without a rebuild.</summary>
public class CliPriceTableFileTests
{
    // Only sonnet-4-5, at made-up rates: 7 / 8 / 9 / 0.70 / 21 per million tokens.
    private const string Replacement = """
        {
          "version": "2027-01-01",
          // comments and trailing commas are allowed in a hand-edited table
          "models": [
            { "id": "claude-sonnet-4-5", "aliases": ["claude-sonnet-4-5-20250929"],
              "rates": { "input": 7, "cache_write_5m": 8, "cache_write_1h": 9, "cache_read": 0.70, "output": 21 } },
          ]
        }
        """;

    [Fact]
    public async Task Report_prices_with_the_replacement_table()
    {
        using var dir = new TempDirectory();
        var prices = dir.Write("prices.json", Replacement);
        var calls = RecordFiles.Write(dir, "calls.jsonl", [HandBuiltRecords.R1, HandBuiltRecords.R2, HandBuiltRecords.R5]);

        var result = await Cli.RunAsync("report", calls, "--format", "json", "--prices", prices);
        var defaultResult = await Cli.RunAsync("report", calls, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        using var defaults = JsonDocument.Parse(defaultResult.Out);
        // R1: 1000 x 7 = 0.007; 2000 writes x 8 = 0.016; 500 x 21 = 0.0105 => 0.0335
        // R2: 200 x 7 = 0.0014; 2000 reads x 0.70 = 0.0014; 300 x 21 = 0.0063 => 0.0091
        Assert.Equal(0.0426m, doc.RootElement.GetProperty("cost_usd").GetDecimal());
        Assert.Equal("2027-01-01", doc.RootElement.GetProperty("price_table_version").GetString());
        // The replacement does not know opus-4-8: R5 becomes unpriced rather than priced as something else.
        Assert.Equal(1, doc.RootElement.GetProperty("coverage").GetProperty("unpriced_calls").GetInt64());
        Assert.Equal(0.1487m, defaults.RootElement.GetProperty("cost_usd").GetDecimal()); // 0.018 + 0.0057 + 0.125
        Assert.Equal("2026-08-07", defaults.RootElement.GetProperty("price_table_version").GetString());
    }

    [Fact]
    public async Task Price_uses_the_replacement_table()
    {
        using var dir = new TempDirectory();
        var prices = dir.Write("prices.json", Replacement);

        var result = await Cli.RunAsync(["price", "--model", "claude-sonnet-4-5", "--format", "json", "--prices", prices], """{"input_tokens":1000000,"output_tokens":1000000}""");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(28m, doc.RootElement.GetProperty("cost_usd").GetDecimal()); // 7 + 21
        Assert.Equal("2027-01-01", doc.RootElement.GetProperty("price_table_version").GetString());
    }

    [Fact]
    public async Task Price_with_a_broken_table_is_bad_input()
    {
        using var dir = new TempDirectory();
        var prices = dir.Write("prices.json", Replacement.Replace("\"input\": 7", "\"input\": -7", StringComparison.Ordinal));

        var result = await Cli.RunAsync(["price", "--model", "claude-sonnet-4-5", "--prices", prices], """{"input_tokens":1}""");

        Cli.AssertBadInput(result, "$.models[0].rates.input");
    }
}
