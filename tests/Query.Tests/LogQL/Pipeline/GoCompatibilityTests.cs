using System.Text;
using Strata.Query.LogQL.Pipeline;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class GoCompatibilityTests
{
    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("-1.5e3", -1500.0)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-infinity", double.NegativeInfinity)]
    [InlineData("0x1p-2", 0.25)]
    [InlineData("0x1.8p1", 3.0)]
    public void ParseFloat_accepts_go_grammar(string s, double expected)
    {
        Assert.True(GoStrconv.TryParseFloat(s, out double v, out _));
        Assert.Equal(expected, v);
        Assert.True(GoStrconv.TryParseFloat(Encoding.UTF8.GetBytes(s), out v, out _));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("1_000")]
    [InlineData("e5")]
    [InlineData("1e")]
    [InlineData("0x10")] // hex floats need a p exponent
    [InlineData("١")]
    public void ParseFloat_rejects_what_go_rejects(string s) => Assert.False(GoStrconv.TryParseFloat(s, out _, out _));

    [Fact]
    public void ParseFloat_overflow_is_range_error()
    {
        Assert.False(GoStrconv.TryParseFloat("1e400", out _, out bool range));
        Assert.True(range);
        Assert.True(GoStrconv.TryParseFloat("1e-400", out double tiny, out _));
        Assert.Equal(0, tiny);
    }

    [Theory]
    [InlineData("300ms", 300_000_000L)]
    [InlineData("-1.5h", -5_400_000_000_000L)]
    [InlineData("2h45m", 9_900_000_000_000L)]
    [InlineData("1h2m3s4ms5us6ns", 3_723_004_005_006L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("1μs", 1_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("-9223372036854775808ns", long.MinValue)]
    public void ParseDuration(string s, long ns)
    {
        Assert.True(GoDuration.TryParse(s, out long v, out string? err), err);
        Assert.Equal(ns, v);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [InlineData("1s ", "time: unknown unit \"s \" in duration \"1s \"")]
    public void ParseDuration_errors(string s, string error)
    {
        Assert.False(GoDuration.TryParse(s, out _, out string? err));
        Assert.Equal(error, err);
    }

    [Theory]
    [InlineData("42", 42UL)]
    [InlineData("42 B", 42UL)]
    [InlineData("1KB", 1000UL)]
    [InlineData("1kb", 1000UL)]
    [InlineData("1KiB", 1024UL)]
    [InlineData("1.5GiB", 1610612736UL)]
    [InlineData("20MB", 20_000_000UL)]
    [InlineData("1,000,000", 1_000_000UL)]
    [InlineData("1 EiB", 1UL << 60)]
    public void ParseBytes(string s, ulong expected)
    {
        Assert.True(GoBytes.TryParse(s, out ulong v, out string? err), err);
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("-5", "strconv.ParseFloat: parsing \"\": invalid syntax")]
    [InlineData("5 foo", "unhandled size name: foo")]
    [InlineData("20 EiB", "too large: 20 EiB")]
    public void ParseBytes_errors(string s, string error)
    {
        Assert.False(GoBytes.TryParse(s, out _, out string? err));
        Assert.Equal(error, err);
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e6, "1e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1.5e-5, "1.5e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(3.3333333333333335, "3.3333333333333335")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void FormatFloat_matches_go_v_verb(double f, string expected) => Assert.Equal(expected, GoStrconv.FormatFloatShortest(f));

    [Theory]
    [InlineData(0.125, 'f', 2, "0.12")] // exact tie: round half to even, as Go does
    [InlineData(0.375, 'f', 2, "0.38")]
    [InlineData(2.5, 'f', 0, "2")]
    [InlineData(3.14159, 'f', 2, "3.14")]
    [InlineData(1234.5678, 'e', 3, "1.235e+03")]
    [InlineData(0.000123, 'g', 2, "0.00012")]
    [InlineData(123456789.0, 'g', 4, "1.235e+08")]
    [InlineData(0.0, 'e', 2, "0.00e+00")]
    public void FormatFloat_with_precision(double f, char fmt, int prec, string expected)
    {
        var sb = new StringBuilder();
        GoStrconv.AppendFloat(sb, f, fmt, prec);
        Assert.Equal(expected, sb.ToString());
    }

    [Theory]
    [InlineData("10", 10L)]
    [InlineData("-0x1F", -31L)]
    [InlineData("010", 8L)]
    [InlineData("0b101", 5L)]
    [InlineData("0o17", 15L)]
    [InlineData("1_000", 1000L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void ParseInt_base0(string s, long expected)
    {
        Assert.True(GoStrconv.TryParseIntBase0(s, out long v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("09")]
    [InlineData("1.5")]
    [InlineData("9223372036854775808")]
    [InlineData("0x")]
    public void ParseInt_base0_rejects(string s) => Assert.False(GoStrconv.TryParseIntBase0(s, out _));

    [Fact]
    public void Re2_group_numbering_follows_go_not_dotnet()
    {
        // .NET numbers named groups after unnamed ones; RE2 numbers by opening parenthesis.
        var re = Re2Regex.Compile("(a)(?P<x>b)(c)");
        var m = re.Regex.Match("abc");
        Assert.Equal("a", re.Group(m, 1).Value);
        Assert.Equal("b", re.Group(m, 2).Value);
        Assert.Equal("c", re.Group(m, 3).Value);
        Assert.Equal(new string?[] { null, null, "x", null }, re.SubexpNames.AsEnumerable());
    }

    [Theory]
    [InlineData("a.c", "a\nc", false)] // . excludes newline
    [InlineData("(?s)a.c", "a\nc", true)]
    [InlineData("^b", "a\nb", false)]
    [InlineData("(?m)^b", "a\nb", true)]
    [InlineData("\\w", "éü", false)] // \w is ASCII
    [InlineData("(?i)straße", "STRASSE", false)] // simple folding only
    [InlineData("(?i)k", "K", true)]
    [InlineData("[^a]", "\n", true)]
    [InlineData("\\x{1F600}", "😀", true)]
    [InlineData("(?U)a+", "aaa", true)]
    [InlineData("[\\d\\s]+x", " 1x", true)]
    [InlineData("[[:^alpha:]]", "a", false)]
    [InlineData("\\PL", "a", false)]
    public void Re2_semantics(string pattern, string input, bool expected) =>
        Assert.Equal(expected, Re2Regex.Compile(pattern).Regex.IsMatch(input));
}
