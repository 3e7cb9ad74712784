using Strata.Api.Json;

namespace Strata.Api.Tests.Json;

public class GoFloatTests
{
    // Expected strings are what Go's strconv.FormatFloat produces under Prometheus's 'f'/'e' rule.
    public static TheoryData<double, string> Values => new()
    {
        { 0, "0" },
        { -0.0, "-0" },
        { 1, "1" },
        { 2, "2" },
        { -1.5, "-1.5" },
        { 0.1, "0.1" },
        { 1.0 / 3, "0.3333333333333333" },
        { 123456789, "123456789" },
        { 1e20, "100000000000000000000" },
        { 1e21, "1e+21" },
        { 1.5e21, "1.5e+21" },
        { 1e-6, "0.000001" },
        { 1.5e-6, "0.0000015" },
        { 1e-7, "1e-07" },
        { 1.234e-7, "1.234e-07" },
        { 5e-324, "5e-324" },
        { double.MaxValue, "1.7976931348623157e+308" },
        { 1e100, "1e+100" },
        { 12345.678, "12345.678" },
        { 1e15, "1000000000000000" },
        { 1.7e9, "1700000000" },
        { 0.001, "0.001" },
        { double.NaN, "NaN" },
        { double.PositiveInfinity, "+Inf" },
        { double.NegativeInfinity, "-Inf" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void FormatsLikeGo(double v, string expected) => Assert.Equal(expected, GoFloat.Format(v));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(4000, "4")]
    [InlineData(1435781451780, "1435781451.780")]
    [InlineData(1600096945479, "1600096945.479")]
    [InlineData(1001, "1.001")]
    [InlineData(1010, "1.010")]
    [InlineData(-1500, "-1.500")]
    [InlineData(-5, "-0.005")]
    public void FormatsTimestamps(long ms, string expected)
    {
        Span<byte> buf = stackalloc byte[32];
        int n = GoFloat.FormatTimestamp(ms, buf);
        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(buf[..n]));
    }

    [Fact]
    public void RandomValuesRoundTrip()
    {
        var rng = new Random(42);
        for (int i = 0; i < 20000; i++)
        {
            double v = BitConverter.Int64BitsToDouble(rng.NextInt64());
            if (double.IsNaN(v) || double.IsInfinity(v)) continue;
            string s = GoFloat.Format(v);
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.DoesNotContain("E", s);
        }
    }
}
