using Strata.Query.LogQL.Pipeline;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class RegexpPatternParserTests
{
    public static TheoryData<string, string, string, string> RegexpCases => new()
    {
        // Loki documentation example.
        {
            "(?P<method>\\w+) (?P<path>[\\w|/]+) \\((?P<status>\\d+?)\\) (?P<duration>.*)", "POST /api/prom/api/v1/query_range (200) 1.5s", "",
            "{duration=\"1.5s\", method=\"POST\", path=\"/api/prom/api/v1/query_range\", status=\"200\"}"
        },
        // Go 1.22 (?<name>) syntax, unnamed groups ignored, a group that did not take part is empty.
        { "(a)(?<x>b)(c)?(?P<y>d)?", "ab", "", "{x=\"b\", y=\"\"}" },
        // No match: nothing extracted, the line is kept.
        { "(?P<n>\\d+)", "no digits", "app=a", "{app=\"a\"}" },
        // Collision with a stream label.
        { "app=(?P<app>\\S+)", "app=parsed", "app=stream", "{app=\"stream\", app_extracted=\"parsed\"}" },
        // Leftmost-first (Perl) semantics, like Go.
        { "(?P<v>a|ab)(?P<w>c|bcd)", "abcd", "", "{v=\"a\", w=\"bcd\"}" },
        { "(?P<u>é+)", "xééy", "", "{u=\"éé\"}" },
    };

    [Theory]
    [MemberData(nameof(RegexpCases))]
    public void Regexp(string pattern, string line, string stream, string expected)
    {
        var r = Run(line, stream, new RegexpParser(pattern));
        Assert.True(r.Kept);
        Assert.Equal(expected, r.Labels);
    }

    [Theory]
    [InlineData("(\\w+)")] // no named capture
    [InlineData("\\w+")]
    [InlineData("(?P<a>x)(?P<a>y)")] // duplicate
    [InlineData("(?P<1a>x)")] // not a label name
    [InlineData("(?P<a>x")]
    public void Invalid_regexp_parser_is_a_query_error(string pattern) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => new RegexpParser(pattern));

    private const string PatternDocsLine =
        "0.191.12.2 - - [10/Jun/2021:09:14:29 +0000] \"GET /api/plugins/versioncheck HTTP/1.1\" 200 2 \"-\" \"Go-http-client/2.0\" \"13.76.247.102, 34.120.177.193\" \"TLSv1.2\" \"US\" \"\"";

    public static TheoryData<string, string, string, string> PatternCases => new()
    {
        // Loki documentation example.
        {
            "<ip> - - <_> \"<method> <uri> <_>\" <status> <size> <_> \"<agent>\" <_>", PatternDocsLine, "",
            "{agent=\"Go-http-client/2.0\", ip=\"0.191.12.2\", method=\"GET\", size=\"2\", status=\"200\", uri=\"/api/plugins/versioncheck\"}"
        },
        // A missing literal makes the capture take the rest; later captures are absent.
        { "<a> | <b> | <c>", "x | y", "", "{a=\"x\", b=\"y\"}" },
        // A leading literal anchors the match at the start.
        { "level=<level> ", "ts=1 level=info ", "", "{}" },
        { "level=<level> <_>", "level=warn msg=x", "", "{level=\"warn\"}" },
        // Trailing capture takes the rest of the line.
        { "<_> msg=<msg>", "ts=1 msg=hello world", "", "{msg=\"hello world\"}" },
        // Collisions and an empty line.
        { "<app> <x>", "a b", "app=s", "{app=\"s\", app_extracted=\"a\", x=\"b\"}" },
        { "<a> <b>", "", "", "{}" },
        // Non-ASCII literals match as UTF-8.
        { "<a> → <b>", "x → y", "", "{a=\"x\", b=\"y\"}" },
    };

    [Theory]
    [MemberData(nameof(PatternCases))]
    public void Pattern(string pattern, string line, string stream, string expected)
    {
        var r = Run(line, stream, new PatternParser(pattern));
        Assert.True(r.Kept);
        Assert.Equal(expected, r.Labels);
    }

    [Theory]
    [InlineData("no captures")]
    [InlineData("<_> only unnamed")]
    [InlineData("<a><b>")]
    [InlineData("<a> <a>")]
    public void Invalid_pattern_is_a_query_error(string pattern) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => new PatternParser(pattern));

    [Fact]
    public void Angle_brackets_that_are_not_identifiers_are_literal()
    {
        var r = Run("<1> v", "", new PatternParser("<1> <v>"));
        Assert.Equal("{v=\"v\"}", r.Labels);
    }
}
