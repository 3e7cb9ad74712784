using Strata.Query.LogQL;

namespace Strata.Query.Tests.LogQL;

/// <summary>The Go and go-humanize text conventions LogQL inherits.</summary>
public sealed class GoTextTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("5s", 5_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("-5m", -300_000_000_000L)]
    [InlineData("+1h", 3_600_000_000_000L)]
    [InlineData("1h15m30.5s", 4_530_500_000_000L)]
    [InlineData("250ms", 250_000_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("10µs", 10_000L)]
    [InlineData("7ns", 7L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("1.s", 1_000_000_000L)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    public void ParsesGoDurations(string s, long ns)
    {
        Assert.True(GoDuration.TryParse(s, out long v));
        Assert.Equal(ns, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1x")]
    [InlineData("2562047h47m16.854775808s")]
    public void RejectsWhatGoRejects(string s) => Assert.False(GoDuration.TryParse(s, out _));

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(7L, "7ns")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(250_000_000L, "250ms")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(300_000_000_000L, "5m0s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(5_430_000_000_000L, "1h30m30s")]
    [InlineData(-90_000_000_000L, "-1m30s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void FormatsLikeGo(long ns, string expected) => Assert.Equal(expected, GoDuration.Format(ns));

    [Theory]
    [InlineData("5", 5UL)]
    [InlineData("5B", 5UL)]
    [InlineData("1kB", 1000UL)]
    [InlineData("1KB", 1000UL)]
    [InlineData("2.5KiB", 2560UL)]
    [InlineData("20MB", 20_000_000UL)]
    [InlineData("20MiB", 20_971_520UL)]
    [InlineData("1 GB", 1_000_000_000UL)]
    [InlineData("1,000 k", 1_000_000UL)]
    [InlineData("3M", 3_000_000UL)]
    [InlineData("1EiB", 1UL << 60)]
    public void ParsesByteSizes(string s, ulong expected)
    {
        Assert.True(HumanBytes.TryParse(s, out ulong v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MB")]
    [InlineData("5 XB")]
    [InlineData("1.2.3MB")]
    [InlineData("20EB")]
    public void RejectsBadByteSizes(string s) => Assert.False(HumanBytes.TryParse(s, out _));

    [Theory]
    [InlineData(0UL, "0B")]
    [InlineData(9UL, "9B")]
    [InlineData(10UL, "10B")]
    [InlineData(999UL, "999B")]
    [InlineData(1000UL, "1.0kB")]
    [InlineData(2560UL, "2.6kB")]
    [InlineData(20_000_000UL, "20MB")]
    [InlineData(20_971_520UL, "21MB")]
    [InlineData(1_000_000_000UL, "1.0GB")]
    [InlineData(20_500_000UL, "20MB")] // 20.5 rounds half to even, as Go's %.0f
    [InlineData(ulong.MaxValue, "18EB")]
    public void FormatsByteSizesLikeGoHumanize(ulong bytes, string expected) => Assert.Equal(expected, HumanBytes.Format(bytes));

    [Theory]
    [InlineData("<ip> - <_>", null)]
    [InlineData("foo", "at least one capture is required")]
    [InlineData("<_> foo <_>", "at least one capture is required")]
    [InlineData("<a><b>", "found consecutive capture: invalid expression")]
    [InlineData("<a> <b><c>", "found consecutive capture: invalid expression")]
    [InlineData("x<a><b>", null)] // Loki only tests pairs at even positions
    [InlineData("<a> <a>", "duplicate capture name (a): invalid expression")]
    [InlineData("<1a> <b>", null)]
    public void ValidatesPatterns(string pattern, string? error) => Assert.Equal(error, LogPattern.Validate(pattern));

    [Fact]
    public void SplitsPatterns()
    {
        Assert.Equal(
            [new LogPattern.Part(true, "ip"), new LogPattern.Part(false, " - <1> "), new LogPattern.Part(true, "_")],
            LogPattern.Split("<ip> - <1> <_>"));
    }

    [Theory]
    [InlineData("(?P<a>x)", "(?<a>x)")]
    [InlineData("[(?P<a>]", "[(?P<a>]")]
    [InlineData("\\(?P<a>", "\\(?P<a>")]
    [InlineData("x(?P<a>y)(?P<b>z)", "x(?<a>y)(?<b>z)")]
    public void TranslatesGoNamedGroups(string go, string net) => Assert.Equal(net, GoRegex.ToDotNet(go));

    [Fact]
    public void ListsGroupNames()
    {
        Assert.Equal(["a", "b", "a"], GoRegex.GroupNames("(?P<a>x)(?<b>y)(?:z)(?=w)(?P<a>v)[(?P<c>]"));
    }

    [Theory]
    [InlineData("foo", true)]
    [InlineData("foo|bar", true)]
    [InlineData("(foo|bar)", true)]
    [InlineData("(?:foo|bar)", true)]
    [InlineData("(?i)foo", true)]
    [InlineData(".*foo.*", true)]
    [InlineData("foo.*", true)]
    [InlineData(".*", true)]
    [InlineData(".+", true)]
    [InlineData("", true)]
    [InlineData("error|err", true)]
    [InlineData("GET|POST|PUT", true)]
    [InlineData("a\\.b", true)]
    [InlineData("a|b", false)]
    [InlineData("fo|fb", false)]
    [InlineData(".*foo|.*bar", false)]
    [InlineData("\\w+", false)]
    [InlineData("[ab]", false)]
    [InlineData("a.b", false)]
    [InlineData("^foo$", false)]
    [InlineData("foo+", false)]
    public void PredictsLokisRegexReduction(string re, bool reducible) => Assert.Equal(reducible, LabelRegexShape.IsReducible(re));
}
