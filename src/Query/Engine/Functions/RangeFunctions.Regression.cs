namespace Strata.Query.Engine.Functions;

internal static partial class RangeFunctions
{
    /// <summary><c>deriv</c>: the per-second slope of the least-squares line through the samples. Needs two samples.</summary>
    public static bool Deriv(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.Length < 2)
        {
            r = 0;
            return false;
        }
        // x is measured from the first sample: Unix-epoch seconds squared lose the precision the
        // slope needs (prometheus/prometheus#2674). The slope does not depend on the origin.
        (r, _) = LinearRegression(ts, vs, ts[0]);
        return true;
    }

    /// <summary>
    /// <c>predict_linear</c>: the value of the least-squares line <paramref name="durationSeconds"/>
    /// after <paramref name="evalTime"/> (the step's evaluation time in ms, not the window end when
    /// an offset or @ applies). Needs two samples.
    /// </summary>
    public static bool PredictLinear(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long evalTime, double durationSeconds, out double r)
    {
        if (vs.Length < 2)
        {
            r = 0;
            return false;
        }
        (double slope, double intercept) = LinearRegression(ts, vs, evalTime);
        r = slope * durationSeconds + intercept;
        return true;
    }

    /// <summary>
    /// Least squares with Kahan-compensated sums, x in seconds relative to <paramref name="interceptTime"/>;
    /// returns the slope per second and the line's value at <paramref name="interceptTime"/>.
    /// </summary>
    /// <remarks>
    /// A constant series is answered exactly (slope 0, intercept the value) instead of through the
    /// sums, which would leave rounding residue; a constant ±Inf series gives NaN for both, as
    /// Prometheus does. NaN values never count as constant (NaN != NaN).
    /// </remarks>
    private static (double Slope, double Intercept) LinearRegression(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long interceptTime)
    {
        double n = 0;
        double sumX = 0, cX = 0;
        double sumY = 0, cY = 0;
        double sumXY = 0, cXY = 0;
        double sumX2 = 0, cX2 = 0;
        double initY = vs[0];
        bool constY = true;
        for (int i = 0; i < vs.Length; i++)
        {
            double y = vs[i];
            if (constY && i > 0 && y != initY)
            {
                constY = false;
            }
            n += 1.0;
            double x = (ts[i] - interceptTime) / 1e3;
            (sumX, cX) = KahanSum.Inc(x, sumX, cX);
            (sumY, cY) = KahanSum.Inc(y, sumY, cY);
            (sumXY, cXY) = KahanSum.Inc(x * y, sumXY, cXY);
            (sumX2, cX2) = KahanSum.Inc(x * x, sumX2, cX2);
        }
        if (constY)
        {
            return double.IsInfinity(initY) ? (double.NaN, double.NaN) : (0, initY);
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;

        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        double intercept = sumY / n - slope * sumX / n;
        return (slope, intercept);
    }

    /// <summary>
    /// <c>double_exponential_smoothing</c> (formerly holt_winters): Holt's linear smoothing of the
    /// values with smoothing factor <paramref name="sf"/> and trend factor <paramref name="tf"/>.
    /// The caller rejects factors outside (0, 1) with a query error. Needs two samples.
    /// </summary>
    /// <remarks>
    /// The level starts at the first value and the trend at the first difference; the trend is
    /// first updated from the second smoothing step on, which is Prometheus's order of updates.
    /// </remarks>
    public static bool DoubleExponentialSmoothing(ReadOnlySpan<double> vs, double sf, double tf, out double r)
    {
        if (vs.Length < 2)
        {
            r = 0;
            return false;
        }
        double previousLevel = 0;
        double level = vs[0];
        double trend = vs[1] - vs[0];
        for (int i = 1; i < vs.Length; i++)
        {
            if (i > 1)
            {
                trend = tf * (level - previousLevel) + (1 - tf) * trend;
            }
            double next = sf * vs[i] + (1 - sf) * (level + trend);
            previousLevel = level;
            level = next;
        }
        r = level;
        return true;
    }
}
