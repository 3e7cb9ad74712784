using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>The compensated sum shared by sum, avg, *_over_time and the regression.</summary>
public class KahanSumTests
{
    [Theory]
    // functions.test: huge terms that cancel must not swallow the small ones (a naive sum gives 0).
    [InlineData(new[] { 1, 1e100, 1, -1e100 }, 2.0)]
    [InlineData(new[] { 1e16, 1, 1, 1, 1 }, 1.0000000000000004e16)]
    [InlineData(new double[0], 0.0)]
    [InlineData(new[] { double.PositiveInfinity, 1 }, double.PositiveInfinity)]
    [InlineData(new[] { 1e308, 1e308 }, double.PositiveInfinity)]
    [InlineData(new[] { double.PositiveInfinity, double.NegativeInfinity }, double.NaN)]
    [InlineData(new[] { 1, double.NaN }, double.NaN)]
    public void Sum(double[] values, double expected)
    {
        Approx.Same(expected, KahanSum.Sum(values), string.Join(",", values));
    }

    [Fact]
    public void Inc_resets_the_compensation_on_overflow()
    {
        var (sum, c) = KahanSum.Inc(1e-300, 1.0, 0);
        Assert.Equal(1.0, sum);
        Assert.Equal(1e-300, c);
        (sum, c) = KahanSum.Inc(double.MaxValue, double.MaxValue, c);
        Assert.Equal(double.PositiveInfinity, sum);
        Assert.Equal(0, c);
    }

    [Fact]
    public void Inc_keeps_the_low_bits_of_the_smaller_operand()
    {
        // 1 + 2^-60 loses 2^-60 in the sum; it must appear in c whichever operand is larger.
        double tiny = Math.Pow(2, -60);
        Assert.Equal((1.0, tiny), KahanSum.Inc(tiny, 1.0, 0));
        Assert.Equal((1.0, tiny), KahanSum.Inc(1.0, tiny, 0));
    }
}
