namespace Strata.Query.Engine.Functions;

/// <summary>
/// Compensated summation exactly as Prometheus does it (Neumaier's variant of Kahan): the running
/// compensation is kept apart from the sum and added once at the end. sum, avg, the *_over_time
/// kernels and the regression all go through <see cref="Inc"/>, so results agree with Prometheus
/// to the bit for the same input order.
/// </summary>
internal static class KahanSum
{
    /// <summary>Adds <paramref name="inc"/> to (<paramref name="sum"/>, <paramref name="c"/>) and returns the new pair.</summary>
    /// <remarks>
    /// Once the sum overflows to ±Inf the compensation is reset to 0: a finite correction next to an
    /// infinite sum means nothing, and carrying it would turn a later Inf - Inf into NaN earlier than
    /// Prometheus does.
    /// </remarks>
    public static (double Sum, double C) Inc(double inc, double sum, double c)
    {
        double t = sum + inc;
        if (double.IsInfinity(t))
        {
            c = 0;
        }
        else if (Math.Abs(sum) >= Math.Abs(inc))
        {
            // The larger operand goes first so the low bits lost in t are those of the smaller one.
            c += (sum - t) + inc;
        }
        else
        {
            c += (inc - t) + sum;
        }
        return (t, c);
    }

    /// <summary>The compensated sum of <paramref name="values"/> in order; 0 for an empty span.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0, c = 0;
        foreach (double v in values)
        {
            (sum, c) = Inc(v, sum, c);
        }
        // Prometheus returns an infinite sum as is rather than adding the (zeroed) compensation.
        return double.IsInfinity(sum) ? sum : sum + c;
    }
}
