using Claudit.Core.Reporting;

namespace Claudit.Core.Tests;

/// <summary>The selection path for large sets must give exactly what sorting gives.</summary>
public class PercentileSelectionTests
{
    [Theory]
    [InlineData(257, 1)]
    [InlineData(1000, 2)]
    [InlineData(10_001, 3)]
    [InlineData(50_000, 4)]
    public void Selection_matches_sorting(int count, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 5000, random.Next(0, 3))).ToArray();
        // Duplicates and runs are where partitioning goes wrong.
        for (var i = 0; i < count / 10; i++)
        {
            values[random.Next(count)] = 42;
        }

        var sorted = values.Order().ToArray();
        var summary = Percentiles.Summarise(values.ToArray());

        Assert.Equal(Percentiles.Of(sorted, 0.50), summary.P50);
        Assert.Equal(Percentiles.Of(sorted, 0.95), summary.P95);
        Assert.Equal(Percentiles.Of(sorted, 0.99), summary.P99);
        Assert.Equal(sorted[^1], summary.Max);
        Assert.Equal(count, summary.Count);
    }

    [Fact]
    public void All_equal_values()
    {
        var summary = Percentiles.Summarise(Enumerable.Repeat(7.5, 1000).ToArray());

        Assert.Equal(7.5, summary.P50);
        Assert.Equal(7.5, summary.P99);
        Assert.Equal(7.5, summary.Max);
    }
}
