using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>The rank-interpolating quantile behind the quantile aggregation and quantile_over_time.</summary>
public class QuantileTests
{
    [Theory]
    [InlineData("1 2 3 4", 0.5, 2.5)]
    [InlineData("4 3 2 1", 0.25, 1.75)]
    [InlineData("7", 0.9, 7.0)]
    [InlineData("", 0.5, double.NaN)]
    [InlineData("1 2", double.NaN, double.NaN)]
    [InlineData("1 2", -0.1, double.NegativeInfinity)]
    [InlineData("1 2", 1.1, double.PositiveInfinity)]
    // NaN sorts first: [NaN 1 3], so q=0 is NaN, q=0.5 the 1 and q=1 the 3.
    [InlineData("3 NaN 1", 0.0, double.NaN)]
    [InlineData("3 NaN 1", 0.5, 1.0)]
    [InlineData("3 NaN 1", 1.0, 3.0)]
    // Between NaN and 1 the interpolation is NaN.
    [InlineData("3 NaN 1", 0.25, double.NaN)]
    // Prometheus interpolates even at weight 0: 1·1 + Inf·0 is NaN, not 1; and at q=1 both
    // neighbours are the Inf, Inf·1 + Inf·0 is NaN as well. Only an infinite lower neighbour survives.
    [InlineData("1 Inf", 0.0, double.NaN)]
    [InlineData("1 Inf", 1.0, double.NaN)]
    [InlineData("1 Inf", 0.5, double.PositiveInfinity)]
    [InlineData("-Inf 1", 0.0, double.NegativeInfinity)]
    public void Of(string load, double q, double expected)
    {
        double[] values = Samples.Values(load);
        Approx.Same(expected, Quantile.Of(q, values), $"quantile({q}, {load})");
    }

    [Fact]
    public void Of_sorts_in_place_with_NaN_first()
    {
        double[] values = [3, double.NaN, 1, double.NaN, 2];
        Quantile.Of(0.5, values);
        Assert.True(double.IsNaN(values[0]) && double.IsNaN(values[1]));
        Assert.Equal([1.0, 2.0, 3.0], values[2..]);
    }
}
