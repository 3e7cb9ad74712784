using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Engine;

/// <summary>
/// The evaluator's incremental paths (sliding min/max, reset-free rate) against a naive
/// recomputation of every window from the raw samples, over random data with resets, NaNs and gaps.
/// </summary>
public class RangeFunctionPathTests
{
    private const long Step = 15_000;

    private static (PromQLEngine Engine, List<(long T, double V)>[] Raw) Build(int seed)
    {
        var rng = new Random(seed);
        var head = new Head();
        var raw = new List<(long, double)>[6];
        for (int i = 0; i < raw.Length; i++)
        {
            raw[i] = [];
            var s = head.GetOrCreate(LabelSet.From(("__name__", "x_total"), ("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture))), out _);
            double v = 0;
            for (long t = 0; t < 3_600_000; t += 10_000 + rng.Next(0, 9_000))
            {
                if (rng.Next(20) == 0) continue; // gap
                v = rng.Next(40) == 0 ? rng.Next(5) : v + rng.Next(0, 30); // occasional reset
                double value = i == 5 && rng.Next(10) == 0 ? double.NaN : v;
                head.Append(s, t, value);
                raw[i].Add((t, value));
            }
        }
        return (new PromQLEngine(head, new EngineOptions()), raw);
    }

    [Theory]
    [InlineData("max_over_time", 1)]
    [InlineData("min_over_time", 2)]
    [InlineData("rate", 3)]
    [InlineData("increase", 4)]
    public void RangeQueryMatchesPerWindowRecomputation(string function, int seed)
    {
        var (engine, raw) = Build(seed);
        long start = 600_000 + 337, end = 3_000_000 + 337, range = 420_000;
        var result = engine.Range(PromQLParser.ParseExpr($"{function}(x_total[7m])"), start, end, Step, default, CancellationToken.None);
        int checkedPoints = 0;
        foreach (var series in result.Series)
        {
            int i = int.Parse(series.Labels.Get("i")!, System.Globalization.CultureInfo.InvariantCulture);
            for (int p = 0; p < series.Count; p++)
            {
                long t = series.Timestamps[p];
                var window = raw[i].Where(s => s.T > t - range && s.T <= t).ToArray();
                double expected = Naive(function, window, t - range, t);
                double actual = series.Values[p];
                if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"{function} i={i} t={t}: expected NaN got {actual}");
                else Assert.Equal(expected, actual, 12);
                checkedPoints++;
            }
        }
        Assert.True(checkedPoints > 500, $"only {checkedPoints} points compared");
    }

    private static double Naive(string function, (long T, double V)[] w, long rangeStart, long rangeEnd)
    {
        var ts = w.Select(s => s.T).ToArray();
        var vs = w.Select(s => s.V).ToArray();
        double r;
        bool ok = function switch
        {
            "max_over_time" => Strata.Query.Engine.Functions.RangeFunctions.MaxOverTime(vs, out r),
            "min_over_time" => Strata.Query.Engine.Functions.RangeFunctions.MinOverTime(vs, out r),
            "rate" => Strata.Query.Engine.Functions.RangeFunctions.Rate(ts, vs, rangeStart, rangeEnd, out r),
            _ => Strata.Query.Engine.Functions.RangeFunctions.Increase(ts, vs, rangeStart, rangeEnd, out r),
        };
        Assert.True(ok);
        return r;
    }
}
