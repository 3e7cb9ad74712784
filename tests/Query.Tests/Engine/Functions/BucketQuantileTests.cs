using System.Globalization;
using Strata.Query.Engine.Functions;

namespace Strata.Query.Tests.Engine.Functions;

/// <summary>
/// histogram_quantile over classic buckets. Bucket sets are written "le:count ..." with the
/// cumulative counts that Prometheus's histograms.test has at its evaluation time.
/// </summary>
public class BucketQuantileTests
{
    private const string Positive = "0.1:50 .2:70 1e0:110 +Inf:120";   // testhistogram{start="positive"} @ 50m
    private const string Negative = "-.2:10 -0.1:20 0.3:20 +Inf:30";    // testhistogram{start="negative"} @ 50m
    private const string Positive3 = "0:0 0.1:50 .2:70 1e0:110 +Inf:110"; // testhistogram3{start="positive"} @ 50m
    private const string Negative3 = "-.25:0 -.2:10 -0.1:20 0.3:20 +Inf:20";
    private const string Middle = "0:0 2:1 4:2 6:3 +Inf:3";              // testhistogram2 @ 7m
    private const string Aggregated = "0.1:10 0.2:19 +Inf:25";           // sum by (le) of the four request_duration_seconds rates, ×300
    private const string NonMonotonic = "0.1:20 1:10 10:50 100:40 1000:90 +Inf:80";

    [Theory]
    [InlineData(Positive, 0.0, 0.0)]
    [InlineData(Positive, 0.2, 0.048)]
    [InlineData(Positive, 0.5, 0.15)]
    [InlineData(Positive, 0.8, 0.72)]
    // The rank falls in the +Inf bucket: the highest finite bound.
    [InlineData(Positive, 1.0, 1.0)]
    // Lowest bucket with a bound ≤ 0: its bound, no interpolation.
    [InlineData(Negative, 0.0, -0.2)]
    [InlineData(Negative, 0.2, -0.2)]
    [InlineData(Negative, 0.5, -0.15)]
    [InlineData(Negative, 0.8, 0.3)]
    [InlineData(Negative, 1.0, 0.3)]
    [InlineData(Positive3, 0.0, 0.0)]
    [InlineData(Positive3, 0.25, 0.055)]
    [InlineData(Positive3, 0.5, 0.125)]
    [InlineData(Positive3, 0.75, 0.45)]
    [InlineData(Positive3, 1.0, 1.0)]
    [InlineData(Negative3, 0.0, -0.25)]
    [InlineData(Negative3, 0.25, -0.225)]
    [InlineData(Negative3, 0.5, -0.2)]
    [InlineData(Negative3, 0.75, -0.15)]
    [InlineData(Negative3, 1.0, -0.1)]
    [InlineData(Middle, 1.0 / 6, 1.0)]
    [InlineData(Middle, 0.5, 3.0)]
    [InlineData(Middle, 5.0 / 6, 5.0)]
    [InlineData(Aggregated, 0.3, 0.075)]
    [InlineData(Aggregated, 0.5, 0.12777777777777778)]
    // Quantile outside [0, 1] or NaN.
    [InlineData(Positive, -0.1, double.NegativeInfinity)]
    [InlineData(Positive, 1.01, double.PositiveInfinity)]
    [InlineData(Positive, double.NaN, double.NaN)]
    // Bounds spelled differently are the same bucket and their counts add up: 0.2 holds 3.
    [InlineData("0.1:1 0.2:1 2e-1:1 2.0e-1:1 +Inf:4", 0.5, 0.15)]
    [InlineData("0.1:1 0.2:1 2e-1:1 2.0e-1:1 +Inf:4", 0.75, 0.2)]
    [InlineData("0.1:1 0.2:1 2e-1:1 2.0e-1:1 +Inf:4", 1.0, 0.2)]
    // Unsorted input.
    [InlineData("+Inf:120 1e0:110 0.1:50 .2:70", 0.5, 0.15)]
    // Invalid: no +Inf bucket, only one distinct bound, or no observations.
    [InlineData("0.1:5 1:10", 0.5, double.NaN)]
    [InlineData("+Inf:0 +Inf:0", 0.5, double.NaN)]
    [InlineData("+Inf:10", 0.5, double.NaN)]
    [InlineData("0.1:0 0.2:0 +Inf:0", 0.2, double.NaN)]
    [InlineData("", 0.5, double.NaN)]
    public void Quantile(string buckets, double q, double expected)
    {
        Bucket[] b = Parse(buckets);
        double r = BucketQuantile.Quantile(q, b, out bool forced, out bool fixedPrecision);
        Approx.Equal(expected, r, $"histogram_quantile({q}, {buckets})");
        Assert.False(forced);
        Assert.False(fixedPrecision);
    }

    [Theory]
    // histograms.test: counts are raised to the running maximum (20 20 50 50 90 90) and an info annotation is due.
    [InlineData(0.01, 0.0045)]
    [InlineData(0.5, 8.5)]
    [InlineData(0.99, 979.75)]
    public void Quantile_forces_monotonic_counts(double q, double expected)
    {
        double r = BucketQuantile.Quantile(q, Parse(NonMonotonic), out bool forced, out bool fixedPrecision);
        Approx.Equal(expected, r, $"histogram_quantile({q}, nonmonotonic)");
        Assert.True(forced);
        Assert.False(fixedPrecision);
    }

    [Fact]
    public void Quantile_takes_the_observation_count_after_the_repair()
    {
        // The +Inf bucket is raised from 0 to 5, so there are observations: rank 2.5 of 5 in (0, 1].
        double r = BucketQuantile.Quantile(0.5, Parse("1:5 +Inf:0"), out bool forced, out _);
        Assert.Equal(0.5, r);
        Assert.True(forced);
    }

    [Theory]
    // 1000 then 1000 − 1e-10 (relative 5e-14): float noise, not a decrease. Fixed silently in either direction.
    [InlineData("1:1000 2:999.9999999999 +Inf:2000")]
    [InlineData("1:1000 2:1000.0000000001 +Inf:2000")]
    public void Quantile_ignores_float_noise_between_buckets(string buckets)
    {
        // With both buckets at 1000 the rank 1000 (q=0.5) is reached at le=1 exactly.
        double r = BucketQuantile.Quantile(0.5, Parse(buckets), out bool forced, out bool fixedPrecision);
        Approx.Equal(1.0, r, buckets);
        Assert.False(forced);
        Assert.True(fixedPrecision);
    }

    [Fact]
    public void Quantile_does_not_let_noise_accumulate()
    {
        // 1000 + 1.5e-9 is noise next to 1000 (7.5e-13 relative) and is set to 1000. The reference
        // stays 1000, so 1000 + 2.5e-9 (1.25e-12 relative) is a real increase, although it would be
        // noise next to the bucket before it.
        var b = Parse("1:1000 2:1000.0000000015 3:1000.0000000025 +Inf:1000.0000000025");
        BucketQuantile.Quantile(0.5, b, out _, out bool fixedPrecision);
        Assert.True(fixedPrecision);
        Assert.Equal(1000, b[1].Count);
        Assert.Equal(1000.0000000025, b[2].Count);
    }

    [Theory]
    [InlineData(1.0, 1.0 + 1e-13, 1e-12, true)]
    [InlineData(1.0, 1.0 + 1e-11, 1e-12, false)]
    [InlineData(0.0, 1e-320, 1e-12, true)]   // absolute comparison next to zero
    [InlineData(0.0, 1e-300, 1e-12, false)]
    [InlineData(double.NaN, double.NaN, 1e-12, true)]
    [InlineData(double.NaN, 1.0, 1e-12, false)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity, 1e-12, true)]
    [InlineData(double.MaxValue, double.PositiveInfinity, 1e-12, false)]
    public void AlmostEqual(double a, double b, double epsilon, bool expected)
    {
        Assert.Equal(expected, BucketQuantile.AlmostEqual(a, b, epsilon));
    }

    private static Bucket[] Parse(string spec)
    {
        var result = new List<Bucket>();
        foreach (string part in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = part.Split(':');
            double le = kv[0] == "+Inf" ? double.PositiveInfinity : double.Parse(kv[0], NumberStyles.Float, CultureInfo.InvariantCulture);
            result.Add(new Bucket(le, double.Parse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        return [.. result];
    }
}
