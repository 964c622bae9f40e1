using Claudit.Core.Reporting;

namespace Claudit.Core.Tests.Reporting;

/// <summary>Percentiles by linear interpolation between closest ranks, as numpy.percentile's default.</summary>
public class PercentileTests
{
    private static readonly double[] OneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Fact]
    public void One_to_ten_matches_numpy()
    {
        // rank = p x (n - 1) = p x 9; value = v[floor] + frac x (v[floor + 1] - v[floor])
        Assert.Equal(5.5, Percentiles.Of(OneToTen, 0.50), precision: 9); // rank 4.5  -> 5 + 0.5
        Assert.Equal(9.55, Percentiles.Of(OneToTen, 0.95), precision: 9); // rank 8.55 -> 9 + 0.55
        Assert.Equal(9.91, Percentiles.Of(OneToTen, 0.99), precision: 9); // rank 8.91 -> 9 + 0.91
        Assert.Equal(3.25, Percentiles.Of(OneToTen, 0.25), precision: 9); // rank 2.25 -> 3 + 0.25
    }

    [Fact]
    public void Ends_are_the_minimum_and_maximum()
    {
        Assert.Equal(1, Percentiles.Of(OneToTen, 0));
        Assert.Equal(10, Percentiles.Of(OneToTen, 1));
    }

    [Fact]
    public void Interpolates_between_uneven_values()
    {
        double[] values = [10, 20, 40, 80];
        // p50: rank 1.5 -> 20 + 0.5 x 20 = 30; p90: rank 2.7 -> 40 + 0.7 x 40 = 68
        Assert.Equal(30, Percentiles.Of(values, 0.5), precision: 9);
        Assert.Equal(68, Percentiles.Of(values, 0.9), precision: 9);
    }

    [Fact]
    public void One_value_is_every_percentile()
    {
        Assert.Equal(42, Percentiles.Of([42.0], 0.5));
        Assert.Equal(42, Percentiles.Of([42.0], 0.99));
    }

    [Fact]
    public void No_values_is_nan()
    {
        Assert.True(double.IsNaN(Percentiles.Of([], 0.5)));
    }

    [Fact]
    public void Summary_sorts_its_input_first()
    {
        double[] values = [7, 1, 10, 3, 9, 2, 8, 5, 4, 6];

        var summary = Percentiles.Summarise(values);

        Assert.Equal(10, summary.Count);
        Assert.Equal(5.5, summary.P50!.Value, precision: 9);
        Assert.Equal(9.55, summary.P95!.Value, precision: 9);
        Assert.Equal(9.91, summary.P99!.Value, precision: 9);
        Assert.Equal(10, summary.Max);
    }

    [Fact]
    public void Summary_of_nothing_has_no_values()
    {
        var summary = Percentiles.Summarise([]);

        Assert.Equal(0, summary.Count);
        Assert.Null(summary.P50);
        Assert.Null(summary.P95);
        Assert.Null(summary.P99);
        Assert.Null(summary.Max);
    }
}
