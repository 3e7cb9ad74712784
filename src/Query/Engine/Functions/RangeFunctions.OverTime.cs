namespace Strata.Query.Engine.Functions;

internal static partial class RangeFunctions
{
    /// <summary>
    /// <c>avg_over_time</c>: the mean, summed directly with Kahan compensation and divided once;
    /// only if the running sum would overflow to ±Inf does it switch to an incremental mean.
    /// </summary>
    /// <remarks>
    /// Direct summation is the more accurate of the two on ordinary data (a constant series
    /// averages to exactly its value), the incremental mean is what survives values near
    /// double.MaxValue (prometheus/prometheus#16714). On the switch the compensation is scaled
    /// with the mean so that neither loses what was accumulated.
    /// </remarks>
    public static bool AvgOverTime(ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        double sum = vs[0], count = 1;
        double mean = 0, c = 0;
        bool incremental = false;
        for (int i = 1; i < vs.Length; i++)
        {
            double v = vs[i];
            count = i + 1;
            if (!incremental)
            {
                (double newSum, double newC) = KahanSum.Inc(v, sum, c);
                if (!double.IsInfinity(newSum))
                {
                    sum = newSum;
                    c = newC;
                    continue;
                }
                incremental = true;
                mean = sum / (count - 1);
                c /= count - 1;
            }
            double q = (count - 1) / count;
            (mean, c) = KahanSum.Inc(v / count, q * mean, q * c);
        }
        r = incremental ? mean + c : sum / count + c / count;
        return true;
    }

    /// <summary><c>sum_over_time</c>: the Kahan-compensated sum.</summary>
    public static bool SumOverTime(ReadOnlySpan<double> vs, out double r)
    {
        r = KahanSum.Sum(vs);
        return !vs.IsEmpty;
    }

    /// <summary><c>min_over_time</c>: the smallest value; NaNs are ignored unless every value is NaN.</summary>
    public static bool MinOverTime(ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        // A NaN current value is replaced by whatever comes next, and a NaN candidate never wins a comparison.
        double min = vs[0];
        for (int i = 1; i < vs.Length; i++)
        {
            double v = vs[i];
            if (v < min || double.IsNaN(min))
            {
                min = v;
            }
        }
        r = min;
        return true;
    }

    /// <summary><c>max_over_time</c>: the largest value; NaNs are ignored unless every value is NaN.</summary>
    public static bool MaxOverTime(ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        double max = vs[0];
        for (int i = 1; i < vs.Length; i++)
        {
            double v = vs[i];
            if (v > max || double.IsNaN(max))
            {
                max = v;
            }
        }
        r = max;
        return true;
    }

    /// <summary><c>count_over_time</c>: the number of samples (NaN values count).</summary>
    public static bool CountOverTime(ReadOnlySpan<double> vs, out double r)
    {
        r = vs.Length;
        return !vs.IsEmpty;
    }

    /// <summary><c>present_over_time</c>: 1 when the window holds any sample.</summary>
    public static bool PresentOverTime(ReadOnlySpan<double> vs, out double r)
    {
        r = 1;
        return !vs.IsEmpty;
    }

    /// <summary>
    /// <c>last_over_time</c>: the value of the newest sample. The timestamps are taken so that the
    /// histogram-aware version can pick between the newest float and the newest histogram.
    /// </summary>
    public static bool LastOverTime(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        r = vs[^1];
        return true;
    }

    /// <summary><c>first_over_time</c>: the value of the oldest sample (see <see cref="LastOverTime"/> for the timestamps).</summary>
    public static bool FirstOverTime(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        r = vs[0];
        return true;
    }

    /// <summary><c>stdvar_over_time</c>: the population variance (Welford's update with Kahan-compensated mean and sum of squares).</summary>
    public static bool StdvarOverTime(ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        r = Variance(vs);
        return true;
    }

    /// <summary><c>stddev_over_time</c>: the square root of <see cref="StdvarOverTime"/>.</summary>
    public static bool StddevOverTime(ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        r = Math.Sqrt(Variance(vs));
        return true;
    }

    private static double Variance(ReadOnlySpan<double> vs)
    {
        double count = 0;
        double mean = 0, cMean = 0;
        double aux = 0, cAux = 0;
        foreach (double v in vs)
        {
            count++;
            double delta = v - (mean + cMean);
            (mean, cMean) = KahanSum.Inc(delta / count, mean, cMean);
            (aux, cAux) = KahanSum.Inc(delta * (v - (mean + cMean)), aux, cAux);
        }
        return (aux + cAux) / count;
    }

    /// <summary>
    /// <c>quantile_over_time</c>: see <see cref="Quantile.Of"/> (q &lt; 0 → −Inf, q &gt; 1 → +Inf,
    /// NaN q → NaN; the caller adds the invalid-quantile warning).
    /// </summary>
    /// <param name="scratch">At least <c>vs.Length</c> doubles; overwritten (the values are sorted there, not in place).</param>
    public static bool QuantileOverTime(double q, ReadOnlySpan<double> vs, Span<double> scratch, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        Span<double> values = scratch[..vs.Length];
        vs.CopyTo(values);
        r = Quantile.Of(q, values);
        return true;
    }

    /// <summary>
    /// <c>mad_over_time</c>: the median of the absolute deviations from the median. Any NaN sample
    /// makes the result NaN (Prometheus since #19040; before that the NaN sorted first and was
    /// usually ignored).
    /// </summary>
    /// <param name="scratch">At least <c>vs.Length</c> doubles; overwritten.</param>
    public static bool MadOverTime(ReadOnlySpan<double> vs, Span<double> scratch, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        foreach (double v in vs)
        {
            if (double.IsNaN(v))
            {
                r = double.NaN;
                return true;
            }
        }
        Span<double> values = scratch[..vs.Length];
        vs.CopyTo(values);
        double median = Quantile.Of(0.5, values);
        // The sort moved the values around, but the set of deviations is what matters.
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Abs(values[i] - median);
        }
        r = Quantile.Of(0.5, values);
        return true;
    }

    /// <summary>
    /// <c>ts_of_min_over_time</c>: the time in seconds of the minimum; on ties the LAST such sample
    /// (Prometheus compares with &lt;=), NaNs skipped as in <see cref="MinOverTime"/>.
    /// </summary>
    public static bool TsOfMinOverTime(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        double min = vs[0];
        long at = ts[0];
        for (int i = 0; i < vs.Length; i++)
        {
            double v = vs[i];
            if (v <= min || double.IsNaN(min))
            {
                min = v;
                at = ts[i];
            }
        }
        r = at / 1000.0;
        return true;
    }

    /// <summary><c>ts_of_max_over_time</c>: the time in seconds of the maximum; on ties the LAST such sample.</summary>
    public static bool TsOfMaxOverTime(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        double max = vs[0];
        long at = ts[0];
        for (int i = 0; i < vs.Length; i++)
        {
            double v = vs[i];
            if (v >= max || double.IsNaN(max))
            {
                max = v;
                at = ts[i];
            }
        }
        r = at / 1000.0;
        return true;
    }

    /// <summary><c>ts_of_last_over_time</c>: the time in seconds of the newest sample.</summary>
    public static bool TsOfLastOverTime(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (ts.IsEmpty)
        {
            r = 0;
            return false;
        }
        r = ts[^1] / 1000.0;
        return true;
    }

    /// <summary><c>ts_of_first_over_time</c>: the time in seconds of the oldest sample.</summary>
    public static bool TsOfFirstOverTime(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (ts.IsEmpty)
        {
            r = 0;
            return false;
        }
        r = ts[0] / 1000.0;
        return true;
    }
}
