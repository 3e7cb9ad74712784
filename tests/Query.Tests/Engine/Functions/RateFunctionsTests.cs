using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>
/// rate, increase, delta, irate, idelta, resets and changes on windows cut from the load notation.
/// Cases marked "functions.test" are copied from the conformance file with its expected values;
/// the others are derived by hand in the comment next to them. A null expectation means no point.
/// </summary>
public class RateFunctionsTests
{
    public enum Kernel { Rate, Increase, Delta, Irate, Idelta, Resets, Changes }

    [Theory]
    // functions.test, increase(http_requests_total[50m]) @ 50m: the window starts exactly on the
    // first sample's step, so each series has 10 intervals and is extrapolated only by ≤ 1.1 intervals.
    [InlineData(Kernel.Increase, "5m", "0+10x10", "50m", "50m", 100.0)]
    [InlineData(Kernel.Increase, "5m", "0+18x5 0+18x5", "50m", "50m", 160.0)]
    [InlineData(Kernel.Increase, "5m", "10+10x10", "50m", "50m", 100.0)]
    [InlineData(Kernel.Increase, "5m", "1+10x10", "50m", "50m", 100.0)]
    // functions.test, [100m]: the start is 50m before the first sample, so extrapolation is by half
    // an interval (150s), except where the zero point is closer: /dings would hit 0 at -5m (not
    // closer), /bumms at -30s (closer), and /foo, /bar start at 0 already.
    [InlineData(Kernel.Increase, "5m", "0+10x10", "50m", "100m", 100.0)]
    [InlineData(Kernel.Increase, "5m", "0+18x5 0+18x5", "50m", "100m", 162.0)]
    [InlineData(Kernel.Increase, "5m", "10+10x10", "50m", "100m", 105.0)]
    [InlineData(Kernel.Increase, "5m", "1+10x10", "50m", "100m", 101.0)]
    // delta has no zero floor: /bumms gets the full half interval like /dings.
    [InlineData(Kernel.Delta, "5m", "1+10x10", "50m", "100m", 105.0)]
    // functions.test: 3 2 is a reset, read as 3 0 1 2.
    [InlineData(Kernel.Increase, "5m", "0 1 2 3 2 3 4", "30m", "30m", 7.0)]
    // functions.test: rate() handles a reset in the middle; a reset as the last sample gives 0.
    [InlineData(Kernel.Rate, "5m", "0+27x4 0+27x5", "50m", "50m", 0.08)]
    [InlineData(Kernel.Rate, "5m", "0+10x9 0 10", "50m", "5m", null)]
    [InlineData(Kernel.Rate, "5m", "0+10x9 0 10", "50m", "6m", 0.0)]
    [InlineData(Kernel.Rate, "5m", "0+80x10", "50m", "50m", 0.26666666666666666)]
    // functions.test, rate(x[10m] offset 5m) @ 50m: the window is (35m, 45m].
    [InlineData(Kernel.Rate, "5m", "0+10x10", "45m", "10m", 0.03333333333333333)]
    [InlineData(Kernel.Rate, "5m", "0+20x10", "45m", "10m", 0.06666666666666667)]
    // functions.test, zero cutoff @ 10m [20m]: the counter started 0..5m before t=0; the start
    // extension is the zero point while that is under half an interval (2m), else 2m.
    [InlineData(Kernel.Rate, "4m", "0+240x10", "10m", "20m", 0.5)]
    [InlineData(Kernel.Rate, "4m", "60+240x10", "10m", "20m", 0.55)]
    [InlineData(Kernel.Rate, "4m", "120+240x10", "10m", "20m", 0.6)]
    [InlineData(Kernel.Rate, "4m", "180+240x10", "10m", "20m", 0.6)]
    [InlineData(Kernel.Rate, "4m", "300+240x10", "10m", "20m", 0.6)]
    [InlineData(Kernel.Rate, "4m", "0+240x10", "50m", "20m", 0.6)]
    [InlineData(Kernel.Rate, "4m", "300+240x10", "50m", "20m", 0.6)]
    // Samples at 100, 110, 120s in (0, 130s]: 100s to the start is over 1.1 intervals (11s), so
    // extend by 5s only; 10s to the end is under, so extend fully: 20 · (20+5+10)/20 = 35.
    [InlineData(Kernel.Increase, "10s", "_ _ _ _ _ _ _ _ _ _ 10 20 30", "130s", "130s", 35.0)]
    [InlineData(Kernel.Rate, "10s", "_ _ _ _ _ _ _ _ _ _ 10 20 30", "130s", "130s", 0.2692307692307692)]
    // Same but starting at 1: the line reaches 0 one second before the first sample, closer than 5s: 20 · 31/20.
    [InlineData(Kernel.Increase, "10s", "_ _ _ _ _ _ _ _ _ _ 1 11 21", "130s", "130s", 31.0)]
    [InlineData(Kernel.Delta, "10s", "_ _ _ _ _ _ _ _ _ _ 1 11 21", "130s", "130s", 35.0)]
    // A negative first value disables the zero point rule.
    [InlineData(Kernel.Increase, "10s", "_ _ _ _ _ _ _ _ _ _ -5 5 15", "130s", "130s", 35.0)]
    // A counter that only drops: 10 → 7 and 7 → 4 are both resets, so the increase is 7 + 4 = 11,
    // extrapolated by 10s on each side (under 1.1 intervals; the zero point is 18s away): 11 · 40/20.
    [InlineData(Kernel.Increase, "10s", "_ 10 7 4", "40s", "40s", 22.0)]
    // As a gauge the same drop is -6 and extrapolates symmetrically: -6 · 40/20.
    [InlineData(Kernel.Delta, "10s", "_ 10 7 4", "40s", "40s", -12.0)]
    // Fewer than two samples: no point.
    [InlineData(Kernel.Rate, "10s", "5", "10s", "1m", null)]
    [InlineData(Kernel.Delta, "10s", "_", "10s", "1m", null)]
    // functions.test, irate/idelta: last two samples only; after a drop irate takes the last value as the increase.
    [InlineData(Kernel.Irate, "5m", "0+10x10", "50m", "50m", 0.03333333333333333)]
    [InlineData(Kernel.Irate, "5m", "0+10x5 0+10x5", "30m", "50m", 0.0)]
    [InlineData(Kernel.Irate, "5m", "0+10x5 0+10x5", "35m", "50m", 0.03333333333333333)]
    [InlineData(Kernel.Irate, "5m", "1 NaN NaN 5 11", "0m", "15m1s", null)]
    [InlineData(Kernel.Irate, "5m", "1 NaN NaN 5 11", "5m", "15m1s", double.NaN)]
    [InlineData(Kernel.Irate, "5m", "1 NaN NaN 5 11", "10m", "15m1s", double.NaN)]
    [InlineData(Kernel.Irate, "5m", "1 NaN NaN 5 11", "15m", "15m1s", double.NaN)]
    [InlineData(Kernel.Irate, "5m", "1 NaN NaN 5 11", "20m", "15m1s", 0.02)]
    [InlineData(Kernel.Idelta, "5m", "0 50 100 150", "20m", "20m", 50.0)]
    [InlineData(Kernel.Idelta, "5m", "0 50 100 50", "20m", "20m", -50.0)]
    [InlineData(Kernel.Idelta, "5m", "1 NaN NaN 5 11", "15m", "15m1s", double.NaN)]
    [InlineData(Kernel.Idelta, "5m", "1 NaN NaN 5 11", "20m", "15m1s", 6.0)]
    // irate divides by the last interval (10s here), not by the range.
    [InlineData(Kernel.Irate, "10s", "0 100 130", "1m", "1m", 3.0)]
    // functions.test, delta(http_requests[20m]) @ 20m.
    [InlineData(Kernel.Delta, "5m", "0 50 100 150 200", "20m", "20m", 200.0)]
    [InlineData(Kernel.Delta, "5m", "200 150 100 50 0", "20m", "20m", -200.0)]
    // functions.test, resets(http_requests[...]) @ 50m. No sample in (45m, 50m]: no point.
    [InlineData(Kernel.Resets, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "5m", null)]
    [InlineData(Kernel.Resets, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "10m", 0.0)]
    [InlineData(Kernel.Resets, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "20m", 1.0)]
    [InlineData(Kernel.Resets, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "30m", 1.0)]
    [InlineData(Kernel.Resets, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "32m", 2.0)]
    [InlineData(Kernel.Resets, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "50m", 3.0)]
    [InlineData(Kernel.Resets, "5m", "1 2 3 4 5 1 2 3 4 5", "50m", "32m", 1.0)]
    [InlineData(Kernel.Resets, "5m", "0 0 0 0 0 1 1 1 1 1", "50m", "50m", 0.0)]
    // functions.test, changes(http_requests[...]) @ 50m; NaN to NaN is no change, NaN to 0 is.
    [InlineData(Kernel.Changes, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "5m", null)]
    [InlineData(Kernel.Changes, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "6m", 0.0)]
    [InlineData(Kernel.Changes, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "20m", 2.0)]
    [InlineData(Kernel.Changes, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "30m", 3.0)]
    [InlineData(Kernel.Changes, "5m", "1 2 3 0 1 0 0 1 2 0", "50m", "50m", 7.0)]
    [InlineData(Kernel.Changes, "5m", "1 2 3 4 5 1 2 3 4 5", "50m", "30m", 4.0)]
    [InlineData(Kernel.Changes, "5m", "1 2 3 4 5 1 2 3 4 5", "50m", "50m", 8.0)]
    [InlineData(Kernel.Changes, "5m", "0 0 0 0 0 1 1 1 1 1", "50m", "50m", 1.0)]
    [InlineData(Kernel.Changes, "5m", "NaN NaN NaN", "15m", "20m", 0.0)]
    [InlineData(Kernel.Changes, "5m", "0 NaN 0", "15m", "20m", 2.0)]
    public void Window(Kernel kernel, string step, string load, string eval, string range, double? expected)
    {
        var (ts, vs, start, end) = Samples.Window(step, load, eval, range);
        double r;
        bool ok = kernel switch
        {
            Kernel.Rate => RangeFunctions.Rate(ts, vs, start, end, out r),
            Kernel.Increase => RangeFunctions.Increase(ts, vs, start, end, out r),
            Kernel.Delta => RangeFunctions.Delta(ts, vs, start, end, out r),
            Kernel.Irate => RangeFunctions.Irate(ts, vs, out r),
            Kernel.Idelta => RangeFunctions.Idelta(ts, vs, out r),
            Kernel.Resets => RangeFunctions.Resets(ts, vs, out r),
            _ => RangeFunctions.Changes(ts, vs, out r),
        };
        string name = $"{kernel}({load})[{range}] @ {eval}";
        Assert.True(ok == expected.HasValue, $"{name}: point expected: {expected.HasValue}, got: {ok}");
        if (expected is double e)
        {
            Approx.Equal(e, r, name);
        }
    }

    [Fact]
    public void Rate_divides_by_the_range_as_Go_converts_durations()
    {
        // A 1118ms range is 1 + 0.118 seconds in Go (whole seconds plus nanoseconds / 1e9), which
        // rounds to 1.1179999999999999, not to the 1.118 that 1118 / 1000.0 gives.
        Assert.Equal(1.1179999999999999, RangeFunctions.DurationSeconds(1118));
        Assert.NotEqual(1118 / 1000.0, RangeFunctions.DurationSeconds(1118));
        Assert.Equal(300.0, RangeFunctions.DurationSeconds(300_000));

        // Two samples at 559ms and 1118ms in (0, 1118]: the gap to the start equals the sample
        // interval (and the zero point, at 1 → 0, is as far), so the factor is exactly 2 and increase
        // is exactly 2. rate divides by Go's seconds.
        Assert.True(RangeFunctions.Increase([559, 1118], [1.0, 2.0], 0, 1118, out double increase));
        Assert.Equal(2.0, increase);
        Assert.True(RangeFunctions.Rate([559, 1118], [1.0, 2.0], 0, 1118, out double rate));
        Assert.NotEqual(2 / 1.118, 2 / 1.1179999999999999);
        Assert.Equal(2 / 1.1179999999999999, rate);
    }
}
