using System.Globalization;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>
/// Builds kernel inputs from the promqltest <c>load</c> notation, so that cases can be copied
/// from the conformance files: "0+10x3 _ NaN -Inf 5-2x2" is 0 10 20 30, a gap, NaN, -Inf, 5 3 1.
/// </summary>
internal static class Samples
{
    /// <summary>One sample per <paramref name="stepMs"/> starting at t=0; gaps (<c>_</c>) take a step but add no sample.</summary>
    public static (long[] Ts, double[] Vs) Load(long stepMs, string spec)
    {
        var ts = new List<long>();
        var vs = new List<double>();
        long t = 0;
        foreach (string term in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (term == "_")
            {
                t += stepMs;
                continue;
            }
            foreach (double v in Expand(term))
            {
                ts.Add(t);
                vs.Add(v);
                t += stepMs;
            }
        }
        return (ts.ToArray(), vs.ToArray());
    }

    /// <summary>
    /// The samples a range selector <c>[rangeMs]</c> evaluated at <paramref name="evalMs"/> hands to a
    /// kernel: those in (evalMs − rangeMs, evalMs].
    /// </summary>
    public static (long[] Ts, double[] Vs, long Start, long End) Window(long stepMs, string spec, long evalMs, long rangeMs)
    {
        var (ts, vs) = Load(stepMs, spec);
        long start = evalMs - rangeMs, end = evalMs;
        var wts = new List<long>();
        var wvs = new List<double>();
        for (int i = 0; i < ts.Length; i++)
        {
            if (ts[i] > start && ts[i] <= end)
            {
                wts.Add(ts[i]);
                wvs.Add(vs[i]);
            }
        }
        return (wts.ToArray(), wvs.ToArray(), start, end);
    }

    /// <summary>Timestamps 1s apart for kernels that ignore time.</summary>
    public static long[] Times(int n)
    {
        var ts = new long[n];
        for (int i = 0; i < n; i++)
        {
            ts[i] = i * 1000L;
        }
        return ts;
    }

    public static double[] Values(string spec) => Load(1000, spec).Vs;

    /// <summary>A PromQL-style duration ("5m", "15m1s", "10s53ms") in milliseconds.</summary>
    public static long Ms(string duration)
    {
        long total = 0;
        int i = 0;
        while (i < duration.Length)
        {
            int start = i;
            while (i < duration.Length && char.IsAsciiDigit(duration[i]))
            {
                i++;
            }
            long n = long.Parse(duration[start..i], CultureInfo.InvariantCulture);
            int unitStart = i;
            while (i < duration.Length && char.IsAsciiLetter(duration[i]))
            {
                i++;
            }
            total += duration[unitStart..i] switch
            {
                "ms" => n,
                "s" => n * 1000,
                "m" => n * 60_000,
                "h" => n * 3_600_000,
                var u => throw new ArgumentException($"unit {u} in {duration}"),
            };
        }
        return total;
    }

    /// <summary><see cref="Window(long, string, long, long)"/> with durations written as in PromQL.</summary>
    public static (long[] Ts, double[] Vs, long Start, long End) Window(string step, string spec, string eval, string range)
        => Window(Ms(step), spec, Ms(eval), Ms(range));

    private static IEnumerable<double> Expand(string term)
    {
        int x = term.IndexOf('x', StringComparison.Ordinal);
        if (x < 0)
        {
            yield return Parse(term);
            yield break;
        }
        int n = int.Parse(term[(x + 1)..], CultureInfo.InvariantCulture);
        string body = term[..x];
        // The sign of the increment is the last '+' or '-' that is not the value's own sign or exponent sign.
        int op = -1;
        for (int i = body.Length - 1; i > 0; i--)
        {
            if ((body[i] == '+' || body[i] == '-') && body[i - 1] != 'e' && body[i - 1] != 'E')
            {
                op = i;
                break;
            }
        }
        double start = op < 0 ? Parse(body) : Parse(body[..op]);
        double step = op < 0 ? 0 : Parse(body[(op + 1)..]) * (body[op] == '-' ? -1 : 1);
        for (int i = 0; i <= n; i++)
        {
            yield return start + i * step;
        }
    }

    private static double Parse(string s) => s switch
    {
        "NaN" => double.NaN,
        "Inf" or "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
