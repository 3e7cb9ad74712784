namespace Strata.Query.Engine.Functions;

/// <summary>
/// The φ-quantile of a set of floats as PromQL's <c>quantile</c> aggregation and
/// <c>quantile_over_time</c> compute it: linear interpolation between the two closest ranks of
/// the sorted values, rank = φ·(n−1).
/// </summary>
internal static class Quantile
{
    /// <summary>
    /// Returns the <paramref name="q"/>-quantile of <paramref name="values"/>, sorting them in place.
    /// Empty input or NaN <paramref name="q"/> → NaN; q &lt; 0 → −Inf; q &gt; 1 → +Inf.
    /// </summary>
    /// <remarks>
    /// NaNs sort before every number, as in Go's sort of Prometheus's sample heap; .NET's
    /// <see cref="MemoryExtensions.Sort{T}(Span{T})"/> for <see cref="double"/> moves NaNs to the
    /// front first, so the order is the same. The interpolation is deliberately not short-cut when
    /// the weight is 0 or 1: Prometheus computes lo·(1−w) + hi·w unconditionally, so an infinite
    /// neighbour with weight 0 yields NaN there too.
    /// </remarks>
    public static double Of(double q, Span<double> values)
    {
        if (values.IsEmpty || double.IsNaN(q))
        {
            return double.NaN;
        }
        if (q < 0)
        {
            return double.NegativeInfinity;
        }
        if (q > 1)
        {
            return double.PositiveInfinity;
        }
        values.Sort();

        double n = values.Length;
        double rank = q * (n - 1);
        double lowerIndex = Math.Max(0, Math.Floor(rank));
        double upperIndex = Math.Min(n - 1, lowerIndex + 1);
        double weight = rank - Math.Floor(rank);
        return values[(int)lowerIndex] * (1 - weight) + values[(int)upperIndex] * weight;
    }
}
