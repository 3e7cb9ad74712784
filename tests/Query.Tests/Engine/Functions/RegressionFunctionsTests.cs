using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>deriv, predict_linear and double_exponential_smoothing.</summary>
public class RegressionFunctionsTests
{
    private const string ResetMiddle = "0+10x4 0+10x5"; // functions.test testcounter_reset_middle_total, every 5m

    [Theory]
    // functions.test: deriv equals rate on a clean counter.
    [InlineData("5m", "0+80x10", "50m", "50m", 0.26666666666666666)]
    // functions.test: slope of the least-squares line through 0 10 20 30 40 0 10 20 30 40 50.
    [InlineData("5m", ResetMiddle, "50m", "100m", 0.010606060606060607)]
    // functions.test: an infinite sample makes the slope NaN.
    [InlineData("5m", "-Inf 0+80x10 Inf", "100m", "100m", double.NaN)]
    // Constant series are answered exactly: slope 0, or NaN when the constant is infinite.
    [InlineData("10s", "7 7 7", "30s", "1m", 0.0)]
    [InlineData("10s", "Inf Inf Inf", "30s", "1m", double.NaN)]
    // Two points: the slope of the segment, per second (10 over 10s).
    [InlineData("10s", "5 15", "10s", "1m", 1.0)]
    [InlineData("10s", "5", "10s", "1m", null)]
    public void Deriv(string step, string load, string eval, string range, double? expected)
    {
        var (ts, vs, _, _) = Samples.Window(step, load, eval, range);
        bool ok = RangeFunctions.Deriv(ts, vs, out double r);
        Assert.Equal(expected.HasValue, ok);
        if (expected is double e)
        {
            Approx.Equal(e, r, $"deriv({load}[{range}]) @ {eval}");
        }
    }

    [Fact]
    public void Deriv_is_exact_far_from_the_epoch()
    {
        // x is taken relative to the first sample; with Unix-epoch seconds the sums of x² would
        // swallow the slope. 1e9 s is 2001; one sample per second rising by 0.001.
        long[] ts = [1_000_000_000_000, 1_000_000_001_000, 1_000_000_002_000, 1_000_000_003_000];
        double[] vs = [1, 1.001, 1.002, 1.003];
        Assert.True(RangeFunctions.Deriv(ts, vs, out double r));
        Approx.Equal(0.001, r, "deriv near 2001");
    }

    [Theory]
    // functions.test: predict_linear(testcounter_reset_middle_total[50m], 3600) @ 50m.
    [InlineData(ResetMiddle, "50m", "50m", "50m", 3600.0, 70.0)]
    // functions.test: [55m] @ 3000 fixes the window to all 11 samples, but the prediction is made
    // from the step's time (the intercept moves with it): 3000+3600, 600+3600 and 4200+3600 seconds.
    [InlineData(ResetMiddle, "50m", "55m", "50m", 3600.0, 76.81818181818181)]
    [InlineData(ResetMiddle, "50m", "55m", "10m", 3600.0, 51.36363636363637)]
    [InlineData(ResetMiddle, "50m", "55m", "70m", 3600.0, 89.54545454545455)]
    // functions.test: an infinite sample gives NaN.
    [InlineData("-Inf 0+80x10 Inf", "100m", "100m", "100m", 6000.0, double.NaN)]
    // A constant predicts itself, whatever the horizon.
    [InlineData("3 3 3", "10m", "10m", "10m", 1e9, 3.0)]
    public void PredictLinear(string load, string windowAt, string range, string evalAt, double duration, double expected)
    {
        var (ts, vs, _, _) = Samples.Window("5m", load, windowAt, range);
        Assert.True(RangeFunctions.PredictLinear(ts, vs, Samples.Ms(evalAt), duration, out double r));
        Approx.Equal(expected, r, $"predict_linear({load}[{range}] @ {windowAt}, {duration}) at {evalAt}");
    }

    [Fact]
    public void PredictLinear_needs_two_samples()
    {
        Assert.False(RangeFunctions.PredictLinear([1000], [1.0], 1000, 60, out _));
        Assert.False(RangeFunctions.PredictLinear([], [], 1000, 60, out _));
    }

    [Theory]
    // functions.test: on a straight line the level tracks the values exactly.
    [InlineData("0+10x1000 100+30x1000", 8000.0)]
    [InlineData("0+40x2000", 32000.0)]
    [InlineData("0-40x1000 0+40x1000", -32000.0)]
    [InlineData("8000-10x1000", 0.0)]
    public void DoubleExponentialSmoothing_on_lines(string load, double expected)
    {
        // double_exponential_smoothing(x[1m], 0.01, 0.1) @ 8000s on 10s samples.
        var (_, vs, _, _) = Samples.Window("10s", load, "8000s", "1m");
        Assert.True(RangeFunctions.DoubleExponentialSmoothing(vs, 0.01, 0.1, out double r));
        Approx.Equal(expected, r, load);
    }

    [Theory]
    // level 1, trend 2; step 1 (trend not yet updated): .5·3 + .5·(1+2) = 3;
    // step 2: trend .5·(3−1) + .5·2 = 2, level .5·2 + .5·(3+2) = 3.5.
    [InlineData("1 3 2", 0.5, 0.5, 3.5)]
    // level 0, trend 10; step 1: 3 + .7·10 = 10; step 2: trend .6·10 + .4·10 = 10, level 0 + .7·20 = 14;
    // step 3: trend .6·4 + .4·10 = 6.4, level 3 + .7·20.4 = 17.28.
    [InlineData("0 10 0 10", 0.3, 0.6, 17.28)]
    // Two samples: one step with the initial trend.
    [InlineData("4 6", 0.5, 0.9, 6.0)]
    public void DoubleExponentialSmoothing_by_hand(string load, double sf, double tf, double expected)
    {
        Assert.True(RangeFunctions.DoubleExponentialSmoothing(Samples.Values(load), sf, tf, out double r));
        Approx.Equal(expected, r, $"{load} sf={sf} tf={tf}");
    }

    [Fact]
    public void DoubleExponentialSmoothing_needs_two_samples()
    {
        Assert.False(RangeFunctions.DoubleExponentialSmoothing([5.0], 0.5, 0.5, out _));
    }
}
