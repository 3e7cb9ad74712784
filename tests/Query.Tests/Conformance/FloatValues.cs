using System.Globalization;
using Strata.Query.Engine;

namespace Strata.Query.Tests.Conformance;

/// <summary>Float comparison and printing as the upstream runner does them (FORMAT.md section 6).</summary>
internal static class FloatValues
{
    public const double Epsilon = 1e-6;

    // Go's util/almost uses the smallest normal double as the absolute floor near zero.
    private const double MinNormal = 2.2250738585072014e-308;

    public static readonly double StaleNaN = BitConverter.UInt64BitsToDouble(PromQLEngine.StaleNaNBits);

    public static bool IsStale(double v) => BitConverter.DoubleToUInt64Bits(v) == PromQLEngine.StaleNaNBits;

    /// <summary>
    /// Relative tolerance 1e-6; NaN equals NaN, but a stale marker only equals a stale marker (it
    /// is a NaN too, so it has to be checked first).
    /// </summary>
    public static bool AlmostEqual(double expected, double actual)
    {
        bool se = IsStale(expected), sa = IsStale(actual);
        if (se || sa) return se && sa;
        if (double.IsNaN(expected) && double.IsNaN(actual)) return true;
        if (expected == actual) return true;
        double absSum = Math.Abs(expected) + Math.Abs(actual);
        double diff = Math.Abs(expected - actual);
        if (expected == 0 || actual == 0 || absSum < MinNormal) return diff < Epsilon * MinNormal;
        return diff / Math.Min(absSum, double.MaxValue) < Epsilon;
    }

    public static string Format(double v) =>
        IsStale(v) ? "stale"
        : double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("R", CultureInfo.InvariantCulture);
}
