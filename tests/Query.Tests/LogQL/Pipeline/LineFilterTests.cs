using System.Text;
using Strata.Query.LogQL;
using Strata.Query.LogQL.Pipeline;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class LineFilterTests
{
    public static TheoryData<LineFilterOp, string, string, bool> Cases => new()
    {
        { LineFilterOp.Contains, "error", "level=error msg=x", true },
        { LineFilterOp.Contains, "error", "level=ERROR", false },
        { LineFilterOp.Contains, "", "anything", true },
        { LineFilterOp.NotContains, "error", "level=info", true },
        { LineFilterOp.NotContains, "error", "an error", false },
        { LineFilterOp.Contains, "ошибка", "произошла ошибка тут", true },
        // Regexes simplified to substring searches.
        { LineFilterOp.Regex, "error", "an error", true },
        { LineFilterOp.Regex, "(?i)error", "An ERROR here", true },
        { LineFilterOp.Regex, "(?i)error|panic", "kernel PANIC", true },
        { LineFilterOp.Regex, "(?i)error|panic", "all good", false },
        { LineFilterOp.Regex, "error|panic", "Error", false },
        { LineFilterOp.Regex, ".*foo.*", "xxfooxx", true },
        { LineFilterOp.Regex, "foo.*", "xfoo", true },
        { LineFilterOp.Regex, "(foo)", "foobar", true },
        { LineFilterOp.Regex, "err(or|no)", "errno 5", true },
        { LineFilterOp.Regex, "err(or|no)", "err", false },
        { LineFilterOp.Regex, ".*", "", true },
        { LineFilterOp.Regex, ".+", "", false },
        { LineFilterOp.Regex, ".+", "x", true },
        { LineFilterOp.Regex, "", "x", true },
        // Real regexes with RE2 semantics.
        { LineFilterOp.Regex, "^foo", "foobar", true },
        { LineFilterOp.Regex, "^foo", "barfoo", false },
        { LineFilterOp.Regex, "foo$", "a foo\n", false }, // RE2 $ is end of text, not before a final newline
        { LineFilterOp.Regex, "(?m)foo$", "a foo\nb", true },
        { LineFilterOp.Regex, "\\d+ms", "took 123ms", true },
        { LineFilterOp.Regex, "\\d", "٣", false }, // \d is ASCII in RE2
        { LineFilterOp.Regex, "[[:alpha:]]+=[0-9]+", "status=200", true },
        { LineFilterOp.Regex, "\\Qa.b\\E", "axb", false },
        { LineFilterOp.Regex, "\\Qa.b\\E", "a.b", true },
        { LineFilterOp.Regex, "status=(4|5)\\d\\d", "status=503", true },
        { LineFilterOp.Regex, "(?P<x>a)b", "ab", true },
        { LineFilterOp.Regex, "\\pL+\\d", "abc1", true },
        { LineFilterOp.Regex, "x{2,3}y", "xxy", true },
        { LineFilterOp.Regex, "x{2,3}y", "xy", false },
        { LineFilterOp.Regex, "a{,2}", "a{,2}", true }, // not a repeat in RE2: literal text
        { LineFilterOp.NotRegex, "(?i)debug", "DEBUG: x", false },
        { LineFilterOp.NotRegex, "(?i)debug|trace", "info", true },
        { LineFilterOp.NotRegex, "^\\s*$", "   ", false },
        // Pattern line filters.
        { LineFilterOp.Pattern, "<_> level=error <_>", "ts=1 level=error msg=x", true },
        { LineFilterOp.Pattern, "<_> level=error <_>", "ts=1 level=info msg=x", false },
        { LineFilterOp.Pattern, "<_> bar", "foo bar baz", false },
        { LineFilterOp.Pattern, "<_> baz", "foo bar baz", true },
        { LineFilterOp.Pattern, "foo <_>", "foo bar baz", true },
        { LineFilterOp.Pattern, "<_> bar <_>", " bar ", false },
        { LineFilterOp.Pattern, "<_>bar<_>", " bar ", true },
        { LineFilterOp.NotPattern, "<_> level=error <_>", "ts=1 level=info msg=x", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Filter_matches_like_loki(LineFilterOp op, string value, string line, bool expected)
    {
        var f = LineFilter.Create(op, value);
        Assert.Equal(expected, f.Matches(Encoding.UTF8.GetBytes(line)));
        // The stage path (decoded line cached on the entry) must agree with the raw-bytes path.
        var r = PipelineRunner.Run("x", "", new SetLine(line), f);
        Assert.Equal(expected, r.Kept);
    }

    private sealed class SetLine(string line) : Stage
    {
        public override bool Process(LogLine entry)
        {
            entry.SetLine(line);
            return true;
        }
    }

    [Theory]
    [InlineData("error", typeof(ContainsFilter))]
    [InlineData("(?i)error", typeof(ContainsAnyFilter))]
    [InlineData("(?i)error|panic", typeof(ContainsAnyFilter))]
    [InlineData("error|panic", typeof(ContainsAnyFilter))]
    [InlineData(".*error.*", typeof(ContainsFilter))]
    [InlineData(".*", typeof(TrueLineFilter))]
    [InlineData(".+", typeof(ExistsLineFilter))]
    [InlineData("^error", typeof(RegexLineFilter))]
    [InlineData("e.r", typeof(RegexLineFilter))]
    public void Regex_simplification_picks_fast_matcher(string regex, Type expected) =>
        Assert.IsType(expected, LineFilter.Create(LineFilterOp.Regex, regex));

    [Fact]
    public void Or_chain_of_contains_is_one_search()
    {
        var f = LineFilter.CreateAny(LineFilterOp.Contains, ["foo", "bar", "baz"]);
        Assert.IsType<ContainsAnyFilter>(f);
        Assert.True(f.Matches("xx baz"u8));
        Assert.False(f.Matches("qux"u8));
    }

    [Fact]
    public void Negative_or_chain_means_none_matches()
    {
        var f = LineFilter.CreateAny(LineFilterOp.NotContains, ["foo", "bar"]);
        Assert.False(f.Matches("a foo"u8));
        Assert.False(f.Matches("a bar"u8));
        Assert.True(f.Matches("a baz"u8));
    }

    [Fact]
    public void Case_insensitive_search_handles_long_lines_and_unicode()
    {
        var f = LineFilter.Create(LineFilterOp.Regex, "(?i)ошибка|panic");
        var longLine = new string('x', 5000) + "ОШИБКА";
        Assert.True(f.Matches(Encoding.UTF8.GetBytes(longLine)));
        Assert.False(f.Matches(Encoding.UTF8.GetBytes(new string('x', 5000))));
    }

    [Theory]
    [InlineData("a(b")]
    [InlineData("a)")]
    [InlineData("(?<=a)b")]
    [InlineData("\\1")]
    [InlineData("a**")]
    [InlineData("x{1001}")]
    [InlineData("[z-a]")]
    [InlineData("*a")]
    public void Invalid_re2_is_a_query_error(string regex) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => LineFilter.Create(LineFilterOp.Regex, regex));

    [Theory]
    [InlineData("<a>")] // named captures are not allowed in line filters
    [InlineData("<_><_>")]
    public void Invalid_pattern_filter_is_a_query_error(string pattern) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => LineFilter.Create(LineFilterOp.Pattern, pattern));

    public static TheoryData<string, string, bool> IpCases => new()
    {
        { "192.168.0.1", "from 192.168.0.1 port 22", true },
        { "192.168.0.1", "from 192.168.0.10 port 22", false },
        { "192.168.0.0/16", "client=192.168.44.2", true },
        { "192.168.0.0/16", "client=10.0.0.1", false },
        { "192.168.4.5-192.168.4.20", "addr 192.168.4.7:80", true },
        { "192.168.4.5-192.168.4.20", "addr 192.168.4.21", false },
        { "::1", "listening on ::1 and 127.0.0.1", true },
        { "2001:db8::/32", "peer 2001:db8:0:1::5 ok", true },
        { "2001:db8::/32", "peer 2001:db9::5 ok", false },
        { "10.0.0.1", "010.0.0.1", false }, // leading zeros are not an IPv4 address in Go
        { "10.0.0.0/8", "::ffff:10.0.0.1", false }, // families never mix
    };

    [Theory]
    [MemberData(nameof(IpCases))]
    public void Ip_filter(string pattern, string line, bool expected)
    {
        Assert.Equal(expected, LineFilter.Ip(pattern).Matches(Encoding.UTF8.GetBytes(line)));
        Assert.Equal(!expected, LineFilter.Ip(pattern, negate: true).Matches(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("192.168.0.1/33")]
    [InlineData("192.168.0.9-192.168.0.1")]
    public void Invalid_ip_pattern_is_a_query_error(string pattern) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => LineFilter.Ip(pattern));
}
