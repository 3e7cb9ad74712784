using Xunit.Sdk;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>
/// Float comparison as promqltest does it: NaN equals NaN, infinities must match, everything else
/// within a relative 1e-6. <see cref="Same"/> is the bit-exact variant (tells −0 from +0).
/// </summary>
internal static class Approx
{
    public static void Equal(double expected, double actual, string because)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual))
        {
            return;
        }
        if (expected == actual)
        {
            return;
        }
        double diff = Math.Abs(expected - actual);
        double scale = Math.Abs(expected) + Math.Abs(actual);
        bool ok = double.IsFinite(diff) && (expected == 0 || actual == 0 ? diff < 1e-12 : diff / scale < 1e-6);
        if (!ok)
        {
            throw new XunitException($"{because}: expected {expected:R}, got {actual:R}");
        }
    }

    public static void Same(double expected, double actual, string because)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual))
        {
            return;
        }
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
        {
            throw new XunitException($"{because}: expected exactly {Show(expected)}, got {Show(actual)}");
        }
    }

    private static string Show(double v) => v == 0 && double.IsNegative(v) ? "-0" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
