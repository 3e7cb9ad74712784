using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>The *_over_time kernels and ts_of_*; expectations from functions.test unless derived in a comment.</summary>
public class OverTimeFunctionsTests
{
    public enum Kernel
    {
        Avg, Sum, Min, Max, Count, Last, First, Stddev, Stdvar, Mad, Present,
        TsOfMin, TsOfMax, TsOfLast, TsOfFirst,
    }

    private static bool Run(Kernel kernel, long[] ts, double[] vs, out double r)
    {
        var scratch = new double[vs.Length];
        return kernel switch
        {
            Kernel.Avg => RangeFunctions.AvgOverTime(vs, out r),
            Kernel.Sum => RangeFunctions.SumOverTime(vs, out r),
            Kernel.Min => RangeFunctions.MinOverTime(vs, out r),
            Kernel.Max => RangeFunctions.MaxOverTime(vs, out r),
            Kernel.Count => RangeFunctions.CountOverTime(vs, out r),
            Kernel.Last => RangeFunctions.LastOverTime(ts, vs, out r),
            Kernel.First => RangeFunctions.FirstOverTime(ts, vs, out r),
            Kernel.Stddev => RangeFunctions.StddevOverTime(vs, out r),
            Kernel.Stdvar => RangeFunctions.StdvarOverTime(vs, out r),
            Kernel.Mad => RangeFunctions.MadOverTime(vs, scratch, out r),
            Kernel.Present => RangeFunctions.PresentOverTime(vs, out r),
            Kernel.TsOfMin => RangeFunctions.TsOfMinOverTime(ts, vs, out r),
            Kernel.TsOfMax => RangeFunctions.TsOfMaxOverTime(ts, vs, out r),
            Kernel.TsOfLast => RangeFunctions.TsOfLastOverTime(ts, vs, out r),
            _ => RangeFunctions.TsOfFirstOverTime(ts, vs, out r),
        };
    }

    [Theory]
    // All on 10s samples. avg_over_time @ 55s: [10s] holds nothing, [20s] only the 5, [1m] all.
    [InlineData(Kernel.Avg, "1 2 3 4 5", "55s", "10s", null)]
    [InlineData(Kernel.Avg, "1 2 3 4 5", "55s", "20s", 5.0)]
    [InlineData(Kernel.Avg, "1 2 3 4 5", "55s", "1m", 3.0)]
    [InlineData(Kernel.Avg, "1 2 3 4 Inf", "55s", "1m", double.PositiveInfinity)]
    [InlineData(Kernel.Avg, "1 2 3 4 -Inf", "55s", "1m", double.NegativeInfinity)]
    [InlineData(Kernel.Avg, "1 2 3 Inf -Inf", "55s", "1m", double.NaN)]
    [InlineData(Kernel.Avg, "Inf 0 Inf", "55s", "1m", double.PositiveInfinity)]
    [InlineData(Kernel.Avg, "Inf Inf Inf -Inf", "55s", "1m", double.NaN)]
    [InlineData(Kernel.Avg, "1 2 3 -Inf -Inf", "55s", "1m", double.NegativeInfinity)]
    [InlineData(Kernel.Avg, "-Inf 0 -Inf", "55s", "1m", double.NegativeInfinity)]
    [InlineData(Kernel.Avg, "-Inf -Inf -Inf Inf", "55s", "1m", double.NaN)]
    [InlineData(Kernel.Avg, "1 2 -Inf -Inf Inf", "55s", "1m", double.NaN)]
    // The sum overflows; the incremental mean does not (sum_over_time/count_over_time gives ±Inf here).
    [InlineData(Kernel.Avg, "9.988465674311579e+307 9.988465674311579e+307", "55s", "1m", 9.988465674311579e+307)]
    [InlineData(Kernel.Sum, "9.988465674311579e+307 9.988465674311579e+307", "55s", "1m", double.PositiveInfinity)]
    [InlineData(Kernel.Avg, "-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307", "55s", "1m", -9.988465674311579e+307)]
    [InlineData(Kernel.Avg, "-9.988465674311579e+307 9.988465674311579e+307", "55s", "1m", 0.0)]
    [InlineData(Kernel.Avg, "1 2 3 NaN NaN", "55s", "1m", double.NaN)]
    [InlineData(Kernel.Sum, "1 2 3 NaN NaN", "55s", "1m", double.NaN)]
    // Big intermediate values must not lose the small ones.
    [InlineData(Kernel.Sum, "1 1e100 1 -1e100", "1m", "2m", 2.0)]
    [InlineData(Kernel.Avg, "1 1e100 1 -1e100", "1m", "2m", 0.5)]
    // stdvar/stddev of 0 8 8 2 3: mean 4.2, squared deviations sum to 52.8.
    [InlineData(Kernel.Stdvar, "0 8 8 2 3", "1m", "2m", 10.56)]
    [InlineData(Kernel.Stddev, "0 8 8 2 3", "1m", "2m", 3.249615)]
    [InlineData(Kernel.Stdvar, "5", "55s", "1m", 0.0)]
    [InlineData(Kernel.Stdvar, "1 NaN 3", "55s", "1m", double.NaN)]
    [InlineData(Kernel.Stddev, "", "55s", "1m", null)]
    // min/max skip NaNs unless all are NaN; last/first/count take NaN as a value.
    [InlineData(Kernel.Min, "2 0 3", "1m", "2m", 0.0)]
    [InlineData(Kernel.Min, "2 0 NaN", "1m", "2m", 0.0)]
    [InlineData(Kernel.Min, "2 NaN 1", "1m", "2m", 1.0)]
    [InlineData(Kernel.Min, "NaN 0 1", "1m", "2m", 0.0)]
    [InlineData(Kernel.Min, "NaN NaN NaN", "1m", "2m", double.NaN)]
    [InlineData(Kernel.Min, "_ 5 2 _ 4 _", "1m", "2m", 2.0)]
    [InlineData(Kernel.Max, "2 0 3", "1m", "2m", 3.0)]
    [InlineData(Kernel.Max, "2 0 NaN", "1m", "2m", 2.0)]
    [InlineData(Kernel.Max, "2 NaN 1", "1m", "2m", 2.0)]
    [InlineData(Kernel.Max, "NaN 0 1", "1m", "2m", 1.0)]
    [InlineData(Kernel.Max, "NaN NaN NaN", "1m", "2m", double.NaN)]
    [InlineData(Kernel.Max, "_ 5 2 _ 4 _", "1m", "2m", 5.0)]
    [InlineData(Kernel.Max, "", "1m", "2m", null)]
    [InlineData(Kernel.Last, "2 0 3", "1m", "2m", 3.0)]
    [InlineData(Kernel.Last, "2 0 NaN", "1m", "2m", double.NaN)]
    [InlineData(Kernel.Last, "2 NaN 1", "1m", "2m", 1.0)]
    [InlineData(Kernel.Last, "_ 5 2 _ 4 _", "1m", "2m", 4.0)]
    [InlineData(Kernel.First, "2 0 3", "1m", "2m", 2.0)]
    [InlineData(Kernel.First, "NaN 0 1", "1m", "2m", double.NaN)]
    [InlineData(Kernel.First, "_ 5 2 _ 4 _", "1m", "2m", 5.0)]
    [InlineData(Kernel.First, "", "1m", "2m", null)]
    [InlineData(Kernel.Count, "NaN NaN NaN", "1m", "2m", 3.0)]
    [InlineData(Kernel.Count, "_ 5 2 _ 4 _", "1m", "2m", 3.0)]
    [InlineData(Kernel.Count, "", "1m", "2m", null)]
    [InlineData(Kernel.Present, "NaN", "1m", "2m", 1.0)]
    [InlineData(Kernel.Present, "", "1m", "2m", null)]
    // mad_over_time: 4 6 2 1 999 1 2 @ 70s [70s] holds 6 2 1 999 1 2: median 2, deviations 4 0 1 997 1 0, median 1.
    [InlineData(Kernel.Mad, "4 6 2 1 999 1 2", "70s", "70s", 1.0)]
    [InlineData(Kernel.Mad, "1 2 3 4 5", "40s", "50s", 1.0)]
    [InlineData(Kernel.Mad, "7 7 7 7 7", "40s", "50s", 0.0)]
    [InlineData(Kernel.Mad, "5", "0s", "10s", 0.0)]
    // A NaN propagates (before prometheus#19040 it sorted first and the result here was 0.5).
    [InlineData(Kernel.Mad, "1 2 NaN 4", "30s", "40s", double.NaN)]
    [InlineData(Kernel.Mad, "", "30s", "40s", null)]
    public void Window(Kernel kernel, string load, string eval, string range, double? expected)
    {
        var (ts, vs, _, _) = Samples.Window("10s", load, eval, range);
        bool ok = Run(kernel, ts, vs, out double r);
        string name = $"{kernel}({load}[{range}]) @ {eval}";
        Assert.True(ok == expected.HasValue, $"{name}: point expected: {expected.HasValue}, got: {ok}");
        if (expected is double e)
        {
            Approx.Equal(e, r, name);
        }
    }

    [Theory]
    // functions.test "More tests for extreme values", avg_over_time(x[1m]) @ 55s on 5s samples.
    [InlineData("1e10 1e-6 1e-6 1e-6 1e-6 1e-6", 1.6666666666666675e+09)]
    [InlineData("5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154", 1.67186744582113)]
    [InlineData("1.78264e50 0.76342771 1.9592258 7.69805412 458.90154", 3.56528E+49)]
    [InlineData("0.76342771 1.9592258 7.69805412 1.78264e50 458.90154", 3.56528E+49)]
    [InlineData("1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154", 3.76333333333333E+219)]
    [InlineData("-1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154", 3.76333333333333E+219)]
    [InlineData("-1.78264E+50 0.76342771 1.9592258 -2.258E+220 7.69805412 -458.90154", -3.76333333333333E+219)]
    [InlineData("-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 -458.90154", 3.76330362266667E+219)]
    [InlineData("-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 1.78264E+215 -458.90154", 3.225714285714286e+219)]
    [InlineData("-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154", 2.5088888888888888e+219)]
    // The true mean is -44.848083237000004, but Prometheus's Kahan sum gets exactly 0 here, and so must we.
    [InlineData("-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154", 0.0)]
    public void Avg_extreme_values(string load, double expected)
    {
        var (_, vs, _, _) = Samples.Window("5s", load, "55s", "1m");
        Assert.True(RangeFunctions.AvgOverTime(vs, out double r));
        Approx.Equal(expected, r, load);
    }

    [Theory]
    [InlineData("100s")]
    [InlineData("110s")]
    [InlineData("120s")]
    [InlineData("130s")]
    public void Avg_of_a_constant_is_exactly_the_constant(string range)
    {
        // functions.test relies on avg_over_time(foo[...]) == 52 holding exactly; an incremental
        // mean drifts in the last bits here, the direct sum does not.
        var (_, vs, _, _) = Samples.Window("10s", "52+0x100", "10m", range);
        Assert.True(RangeFunctions.AvgOverTime(vs, out double r));
        Assert.Equal(52.0, r);
    }

    [Theory]
    [InlineData("1000ms", 1000.0)]
    [InlineData("1003ms", 1003.0)]
    [InlineData("2001ms", 2001.0)]
    [InlineData("3003ms", 3003.0)]
    public void Sum_of_dense_samples(string range, double expected)
    {
        var (_, vs, _, _) = Samples.Window("1ms", "1+0x4000", "4s", range);
        Assert.True(RangeFunctions.SumOverTime(vs, out double r));
        Assert.Equal(expected, r);
    }

    [Fact]
    public void Stddev_of_a_repeated_awkward_value_is_exactly_zero()
    {
        // prometheus#4927: a naive sum-of-squares variance comes out slightly above zero.
        double[] vs = [1.5990505637277868, 1.5990505637277868, 1.5990505637277868];
        Assert.True(RangeFunctions.StdvarOverTime(vs, out double variance));
        Assert.True(RangeFunctions.StddevOverTime(vs, out double dev));
        Assert.Equal(0.0, variance);
        Assert.Equal(0.0, dev);
    }

    [Theory]
    // functions.test: odd 10.053s interval to catch rounding of ms → s. @ 90s [90s] holds samples 1..8.
    [InlineData(Kernel.TsOfMin, "10s53ms", "1 2 3 0 5 6 2 1 4", "90s", "90s", 30.159)]
    [InlineData(Kernel.TsOfMax, "10s53ms", "1 2 3 0 5 6 2 1 4", "90s", "90s", 50.265)]
    [InlineData(Kernel.TsOfLast, "10s53ms", "1 2 3 _ _", "90s", "90s", 20.106)]
    [InlineData(Kernel.TsOfLast, "10s53ms", "1 2 3 _ _", "95s", "90s", 20.106)]
    [InlineData(Kernel.TsOfFirst, "10s53ms", "_ _ 1 2 3 _ _", "90s", "90s", 20.106)]
    [InlineData(Kernel.TsOfFirst, "10s53ms", "_ _ 1 2 3 _ _", "15s", "90s", null)]
    // Ties go to the LAST sample with the extreme value (Prometheus compares with <= and >=).
    [InlineData(Kernel.TsOfMin, "10s", "_ 1 3 1 3", "40s", "40s", 30.0)]
    [InlineData(Kernel.TsOfMax, "10s", "_ 1 3 1 3", "40s", "40s", 40.0)]
    // NaNs are skipped like in min/max: a leading NaN is replaced, a later one never wins.
    [InlineData(Kernel.TsOfMin, "10s", "_ NaN 2 NaN 1", "40s", "40s", 40.0)]
    [InlineData(Kernel.TsOfMax, "10s", "_ NaN 2 NaN 1", "40s", "40s", 20.0)]
    [InlineData(Kernel.TsOfMax, "10s", "_ NaN NaN", "40s", "40s", 20.0)]
    public void TsOf(Kernel kernel, string step, string load, string eval, string range, double? expected)
    {
        var (ts, vs, _, _) = Samples.Window(step, load, eval, range);
        bool ok = Run(kernel, ts, vs, out double r);
        string name = $"{kernel}({load}[{range}]) @ {eval}";
        Assert.True(ok == expected.HasValue, $"{name}: point expected: {expected.HasValue}, got: {ok}");
        if (expected is double e)
        {
            // Exact: the kernels must divide the integer milliseconds once, as Prometheus does.
            Assert.Equal(e, r);
        }
    }

    [Theory]
    // functions.test quantile_over_time(q, data[2m]) @ 1m on 10s samples.
    [InlineData("0 1", 0.0, 0.0)]
    [InlineData("0 1 2", 0.0, 0.0)]
    [InlineData("0 1", 0.5, 0.5)]
    [InlineData("0 1 2", 0.5, 1.0)]
    [InlineData("0 1 4", 0.5, 1.0)]
    [InlineData("0 1", 0.75, 0.75)]
    [InlineData("0 1 2", 0.75, 1.5)]
    [InlineData("0 1 4", 0.75, 2.5)]
    [InlineData("0 1", 0.8, 0.8)]
    [InlineData("0 1 2", 0.8, 1.6)]
    [InlineData("0 1 4", 0.8, 2.8)]
    [InlineData("0 1 4", 1.0, 4.0)]
    [InlineData("0 1 4", -1.0, double.NegativeInfinity)]
    [InlineData("0 1 4", 2.0, double.PositiveInfinity)]
    [InlineData("0 1 4", double.NaN, double.NaN)]
    // Unsorted input; the window itself must stay untouched (sorting happens in the scratch).
    [InlineData("4 0 1", 0.5, 1.0)]
    public void QuantileOverTime(string load, double q, double expected)
    {
        double[] vs = Samples.Values(load);
        double[] copy = (double[])vs.Clone();
        var scratch = new double[vs.Length + 3];
        Assert.True(RangeFunctions.QuantileOverTime(q, vs, scratch, out double r));
        Approx.Equal(expected, r, $"quantile_over_time({q}, {load})");
        Assert.Equal(copy, vs);
    }

    [Fact]
    public void QuantileOverTime_of_nothing_has_no_point()
    {
        Assert.False(RangeFunctions.QuantileOverTime(0.5, [], [], out _));
    }
}
