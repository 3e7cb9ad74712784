namespace Strata.Query.Engine.Functions;

/// <summary>
/// Scalar functions of Go's math package whose special cases or formulas differ from .NET's
/// <see cref="Math"/>, so that PromQL results match Prometheus in the cases users can observe.
/// </summary>
internal static class GoMath
{
    // log10(e) and log2(e) rounded once from the exact values, as Go's untyped constant
    // expressions 1/Ln10 and 1/Ln2 are. Computing 1 / Math.Log(10) in doubles rounds twice and
    // gives 0.43429448190325176, which would change log10(1000) from 3 to 2.9999999999999996.
    private const double Log10E = 0.43429448190325182765112891891660508229439700580366656611445378;
    private const double Log2E = 1.44269504088896340735992468100189213742664595415298593413544940;

    private const double SmallestNormal = 2.2250738585072014e-308;

    /// <summary>
    /// Go's math.Min: −Inf wins over NaN (IEEE minimum and .NET's <see cref="Math.Min(double, double)"/> return NaN), then NaN, then −0 below +0.
    /// </summary>
    public static double Min(double x, double y)
    {
        if (double.IsNegativeInfinity(x) || double.IsNegativeInfinity(y))
        {
            return double.NegativeInfinity;
        }
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }
        if (x == 0 && x == y)
        {
            return double.IsNegative(x) ? x : y;
        }
        return x < y ? x : y;
    }

    /// <summary>Go's math.Max: +Inf wins over NaN, then NaN, then +0 above −0.</summary>
    public static double Max(double x, double y)
    {
        if (double.IsPositiveInfinity(x) || double.IsPositiveInfinity(y))
        {
            return double.PositiveInfinity;
        }
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }
        if (x == 0 && x == y)
        {
            return double.IsNegative(x) ? y : x;
        }
        return x > y ? x : y;
    }

    /// <summary>
    /// Go's math.Log10: ln(x)·log10(e). It is not exact on every power of ten
    /// (log10(1e15) = 14.999999999999998), and PromQL users comparing with == see that.
    /// </summary>
    public static double Log10(double x) => Math.Log(x) * Log10E;

    /// <summary>Go's math.Log2: exact on powers of two, otherwise ln(mantissa)·log2(e) + exponent.</summary>
    public static double Log2(double x)
    {
        double frac = Frexp(x, out int exp);
        if (frac == 0.5)
        {
            return exp - 1;
        }
        return Math.Log(frac) * Log2E + exp;
    }

    /// <summary>
    /// Splits <paramref name="x"/> into a mantissa in [0.5, 1) (sign kept) and a power of two, as
    /// Go's math.Frexp; ±0, ±Inf and NaN come back unchanged with exponent 0.
    /// </summary>
    public static double Frexp(double x, out int exp)
    {
        exp = 0;
        if (x == 0 || !double.IsFinite(x))
        {
            return x;
        }
        if (Math.Abs(x) < SmallestNormal)
        {
            // Subnormal: scale into the normal range first so the exponent field is meaningful.
            x *= 1L << 52;
            exp = -52;
        }
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        exp += (int)((bits >> 52) & 0x7FF) - 1022;
        bits &= ~(0x7FFUL << 52);
        bits |= 1022UL << 52;
        return BitConverter.UInt64BitsToDouble(bits);
    }
}
