using Strata.Query.LogQL.Pipeline;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class LogfmtParserTests
{
    public static TheoryData<string, string, bool, bool, string> Cases => new()
    {
        // Loki documentation example.
        {
            "at=info method=GET path=/ host=grafana.net fwd=\"124.133.124.161\" service=8ms status=200", "", false, false,
            "{at=\"info\", fwd=\"124.133.124.161\", host=\"grafana.net\", method=\"GET\", path=\"/\", service=\"8ms\", status=\"200\"}"
        },
        // Quoted values with escapes.
        { "msg=\"hello \\\"world\\\"\" a=1", "", false, false, "{a=\"1\", msg=\"hello \"world\"\"}" },
        { "msg=\"tab\\there\\u00e9\"", "", false, false, "{msg=\"tab\there\u00e9\"}" },
        { "empty=\"\" x=1", "", false, false, "{x=\"1\"}" },
        // Bare keys and empty values are dropped unless --keep-empty.
        { "foo bar=1 baz=", "", false, false, "{bar=\"1\"}" },
        { "foo bar=1 baz=", "", false, true, "{bar=\"1\", baz=\"\", foo=\"\"}" },
        // Malformed pairs are skipped in lenient mode.
        { "a=b=c x=1", "", false, false, "{x=\"1\"}" },
        { "\"quoted\"=1 y=2", "", false, false, "{y=\"2\"}" },
        { "a=\"\\q\" y=2", "", false, false, "{y=\"2\"}" },
        { "=x y=2", "", false, false, "{y=\"2\"}" },
        // Strict mode stops at the first malformed pair and reports it.
        { "a=1 b=c=d x=1", "", true, false, "{__error__=\"LogfmtParserErr\", __error_details__=\"logfmt syntax error at pos 8 : unexpected '='\", a=\"1\"}" },
        { "a=\"x", "", true, false, "{__error__=\"LogfmtParserErr\", __error_details__=\"logfmt syntax error at pos 5 : unterminated quoted value\"}" },
        { "a=\"\\q\"", "", true, false, "{__error__=\"LogfmtParserErr\", __error_details__=\"logfmt syntax error at pos 7 : invalid quoted value\"}" },
        // Names are sanitised; stream collisions get _extracted.
        { "http.method=GET app=parsed 1x=2", "app=api", false, false, "{_1x=\"2\", app=\"api\", app_extracted=\"parsed\", http_method=\"GET\"}" },
        // Non-logfmt text yields bare keys, dropped by default.
        { "just some words", "", false, false, "{}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logfmt(string line, string stream, bool strict, bool keepEmpty, string expected)
    {
        var r = Run(line, stream, new LogfmtParser(strict, keepEmpty));
        Assert.True(r.Kept);
        Assert.Equal(line, r.Line);
        Assert.Equal(expected, r.Labels);
    }

    [Fact]
    public void Invalid_utf8_in_values_becomes_spaces()
    {
        var entry = new LogLine();
        byte[] line = [.. "a=x"u8, 0xC3, .. "y"u8];
        entry.Reset(Strata.Storage.Labels.LabelSet.Empty, 0, line);
        LogfmtParser.Default.Process(entry);
        Assert.True(entry.TryGet("a", out var v));
        Assert.Equal("x y", v);
    }

    public static TheoryData<string, (string, string)[], string> ExpressionCases => new()
    {
        { "host=h status=200 other=1", [("host", "host"), ("status_code", "status")], "{host=\"h\", status_code=\"200\"}" },
        { "other=1", [("host", "host")], "{host=\"\"}" },
        { "a=\"q \\\"x\\\"\"", [("a", "a")], "{a=\"q \"x\"\"}" },
    };

    [Theory]
    [MemberData(nameof(ExpressionCases))]
    public void Logfmt_with_expressions(string line, (string, string)[] exprs, string expected) =>
        Assert.Equal(expected, Run(line, "", new LogfmtExpressionParser(exprs)).Labels);
}
