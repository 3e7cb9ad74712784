using Strata.Query.LogQL;

namespace Strata.Query.Tests.LogQL;

public sealed class ParserErrorTests
{
    private const string NeedsMatcher =
        "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will";

    // input -> exact Loki error text (ParseExpr). The cases marked "Loki:" are copied from Loki's
    // own parser tests; the others follow from its grammar tables and lexer.
    public static TheoryData<string, string> Errors => new()
    {
        // Loki: syntax errors with goyacc's wording and text/scanner positions.
        { "unk({ foo = \"bar\" }[5m])", "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER" },
        { "label_replace(rate({ foo = \"bar\" }[5m]),\"\")", "parse error at line 1, col 43: syntax error: unexpected ), expecting ," },
        { "min({ foo = \"bar\" }[5m])", "parse error at line 0, col 20: syntax error: unexpected RANGE" },
        { "{ foo = \"bar\" }|logfmt|addr>=ip(\"1.2.3.4\")", "parse error at line 1, col 30: syntax error: unexpected ip" },
        { "{ foo = \"bar\" }|logfmt|addr>ip(\"1.2.3.4\")", "parse error at line 1, col 29: syntax error: unexpected ip" },
        { "bottomk(he,count_over_time({ foo = \"bar\" }[5h]))", "parse error at line 1, col 9: syntax error: unexpected IDENTIFIER" },
        { "stddev({ foo = \"bar\" })", "parse error at line 1, col 23: syntax error: unexpected )" },
        { "{foo=\"bar\"", "parse error at line 1, col 11: syntax error: unexpected $end, expecting } or ," },
        { "{foo=\"bar\"} |~", "parse error at line 1, col 15: syntax error: unexpected $end, expecting STRING or ip" },
        { "{foo=\"bar\"} \"foo\"", "parse error at line 1, col 13: syntax error: unexpected STRING" },
        { "{foo=\"bar\"} foo", "parse error at line 1, col 13: syntax error: unexpected IDENTIFIER" },
        { "bool 1 > 1 > bool 1", "parse error at line 1, col 1: syntax error: unexpected bool" },
        { "quantile_over_time(foo,{namespace=\"tns\"} | unwrap latency [5m])", "parse error at line 1, col 20: syntax error: unexpected IDENTIFIER, expecting NUMBER or { or (" },
        { "vector(abc)", "parse error at line 1, col 8: syntax error: unexpected IDENTIFIER, expecting NUMBER" },
        { "#{app=\"foo\"} | json", "parse error at line 1, col 20: syntax error: unexpected $end" },
        { "count without (rate({namespace=\"apps\"}[15s]))", "parse error at line 1, col 16: syntax error: unexpected RATE, expecting IDENTIFIER or )" },

        // Loki: lexer errors.
        { "{foo=\"bar}", "parse error at line 1, col 6: literal not terminated" },
        { "rate({ foo = \"bar\" }[5minutes])", "parse error at line 0, col 21: unknown unit \"minutes\" in duration \"5minutes\"" },
        { "rate({ foo = \"bar\" }[5)", "parse error at line 0, col 21: missing closing ']' in duration" },

        // Loki: errors Loki attaches to the tree (reported at line 0, col 0).
        { "absent_over_time({ foo = \"bar\" }[5h]) by (foo)", "parse error : grouping not allowed for absent_over_time aggregation" },
        { "approx_topk(2, count_over_time({ foo = \"bar\" }[5h])) by (foo)", "parse error : grouping not allowed for approx_topk aggregation" },
        { "label_replace(rate({ foo = \"bar\" }[5m]),\"foo\",\"$1\",\"bar\",\"^^^^x43\\\\q\")", "parse error : invalid regex in label_replace: error parsing regexp: invalid escape sequence: `\\q`" },
        { "sum(3 ,count_over_time({ foo = \"bar\" }[5h]))", "parse error : unsupported parameter for operation sum(3," },
        { "topk(count_over_time({ foo = \"bar\" }[5h]))", "parse error : parameter required for operation topk" },
        { "bottomk(1.2,count_over_time({ foo = \"bar\" }[5h]))", "parse error : invalid parameter bottomk(1.2," },
        { "topk(0,count_over_time({ foo = \"bar\" }[5h]))", "parse error : invalid parameter (must be greater than 0) topk(0" },
        { "sum_over_time({app=\"foo\"} |= \"bar\" | json | latency >= 250ms [5m])", "parse error : invalid aggregation sum_over_time without unwrap" },
        { "rate_counter({app=\"foo\"}[5m])", "parse error : invalid aggregation rate_counter without unwrap" },
        { "count_over_time({app=\"foo\"} |= \"foo\" | json | unwrap foo [5m])", "parse error : invalid aggregation count_over_time with unwrap" },
        { "bytes_rate({app=\"foo\"} | unwrap foo [5m])", "parse error : invalid aggregation bytes_rate with unwrap" },
        { "sum_over_time({namespace=\"tns\"} |= \"level=error\" | json |foo>=5,bar<25ms| unwrap latency [5m]) by (foo)", "parse error : grouping not allowed for sum_over_time aggregation" },
        { "rate({a=\"b\"}[5m]) by (foo)", "parse error : grouping not allowed for rate aggregation" },
        { "sum_over_time(50,{namespace=\"tns\"} | unwrap latency [5m])", "parse error : parameter 50 not supported for operation sum_over_time" },
        { "quantile_over_time({namespace=\"tns\"} | unwrap latency [5m])", "parse error : parameter required for operation quantile_over_time" },
        { "{foo=\"bar\"} + {foo=\"bar\"}", "parse error : unexpected type for left leg of binary operation (+): *syntax.MatchersExpr" },
        { "sum(count_over_time({foo=\"bar\"}[5m])) by (foo) - {foo=\"bar\"}", "parse error : unexpected type for right leg of binary operation (-): *syntax.MatchersExpr" },
        { "{foo=\"bar\"} / sum(count_over_time({foo=\"bar\"}[5m])) by (foo)", "parse error : unexpected type for left leg of binary operation (/): *syntax.MatchersExpr" },
        { "{foo=\"bar\"} | json > 1", "parse error : unexpected type for left leg of binary operation (>): *syntax.PipelineExpr" },
        { "count_over_time({ foo = \"bar\" }[12m]) > { foo = \"bar\" }", "parse error : unexpected type for right leg of binary operation (>): *syntax.MatchersExpr" },
        { "sum(count_over_time({foo=\"bar\"}[5m])) by (foo) or 1", "parse error : unexpected literal for right leg of logical/set binary operation (or): 1.000000" },
        { "1 unless sum(count_over_time({foo=\"bar\"}[5m])) by (foo)", "parse error : unexpected literal for left leg of logical/set binary operation (unless): 1.000000" },
        { "sum(count_over_time({foo=\"bar\"}[5m])) by (foo) + 1 or 1", "parse error : unexpected literal for right leg of logical/set binary operation (or): 1.000000" },
        { "sort by (a) (rate({a=\"b\"}[1m]))", "parse error : sort and sort_desc doesn't allow grouping by " },

        // Loki: the empty-compatible matcher rule.
        { "count_over_time({foo!=\"bar\"}[5m])", NeedsMatcher },
        { "count_over_time({app=~\".*\"}[5m])", NeedsMatcher },
        { "count_over_time({app!~\"bar|baz\"}[5m])", NeedsMatcher },
        { "1 + count_over_time({app=~\".+\"}[5m]) + count_over_time({app=~\".*\"}[5m])", NeedsMatcher },
        { "{foo!=\"bar\"}", NeedsMatcher },
        { "{app=~\".*\"}", NeedsMatcher },
        { "{}", NeedsMatcher },
        { "{} | json", NeedsMatcher },

        // Expected lists of the small parser states.
        { "", "parse error : syntax error: unexpected $end" },
        { "{", "parse error at line 1, col 2: syntax error: unexpected $end, expecting IDENTIFIER or }" },
        { "{a", "parse error at line 1, col 3: syntax error: unexpected $end, expecting = or =~ or !~ or !=" },
        { "{a=", "parse error at line 1, col 4: syntax error: unexpected $end, expecting STRING" },
        { "{a=b}", "parse error at line 1, col 4: syntax error: unexpected IDENTIFIER, expecting STRING" },
        { "{a=\"b\" c=\"d\"}", "parse error at line 1, col 8: syntax error: unexpected IDENTIFIER, expecting } or ," },
        { "{a=\"b\",}", "parse error at line 1, col 8: syntax error: unexpected }, expecting IDENTIFIER" },
        { "{json=\"b\"}", "parse error at line 1, col 2: syntax error: unexpected json, expecting IDENTIFIER or }" },
        { "{a=\"b\"} |= \"x\" or vector(1)", "parse error at line 1, col 19: syntax error: unexpected VECTOR, expecting STRING or ip" },
        { "{a=\"b\"} != 1", "parse error at line 1, col 12: syntax error: unexpected NUMBER, expecting STRING or ip" },
        { "{a=\"b\"} |= ip", "parse error at line 1, col 12: syntax error: unexpected IDENTIFIER, expecting STRING or ip" },
        { "{a=\"b\"} |= ip(1)", "parse error at line 1, col 15: syntax error: unexpected NUMBER, expecting STRING" },
        { "{a=\"b\"} |", "parse error at line 1, col 10: syntax error: unexpected $end" },
        { "{a=\"b\"} | foo", "parse error at line 1, col 14: syntax error: unexpected $end" },
        { "{a=\"b\"} | x > \"y\"", "parse error at line 1, col 15: syntax error: unexpected STRING" },
        { "{a=\"b\"} | x =~ 5", "parse error at line 1, col 16: syntax error: unexpected NUMBER, expecting STRING" },
        { "{a=\"b\"} | x=\"y\" or", "parse error at line 1, col 19: syntax error: unexpected $end, expecting IDENTIFIER or (" },
        { "{a=\"b\"} | x=\"y\" or vector(1)", "parse error at line 1, col 20: syntax error: unexpected VECTOR, expecting IDENTIFIER or (" },
        { "{a=\"b\"} | x=\"y\" foo", "parse error at line 1, col 20: syntax error: unexpected $end" },
        { "{a=\"b\"} | json | line_format", "parse error at line 1, col 29: syntax error: unexpected $end, expecting STRING" },
        { "{a=\"b\"} | regexp foo", "parse error at line 1, col 18: syntax error: unexpected IDENTIFIER, expecting STRING" },
        { "{a=\"b\"} | json a=", "parse error at line 1, col 18: syntax error: unexpected $end, expecting STRING" },
        { "{a=\"b\"} | json a=\"x\",", "parse error at line 1, col 22: syntax error: unexpected $end, expecting IDENTIFIER" },
        { "{a=\"b\"} | label_format", "parse error at line 1, col 23: syntax error: unexpected $end, expecting IDENTIFIER" },
        { "{a=\"b\"} | label_format a", "parse error at line 1, col 25: syntax error: unexpected $end, expecting =" },
        { "{a=\"b\"} | label_format a=5", "parse error at line 1, col 26: syntax error: unexpected NUMBER, expecting IDENTIFIER or STRING" },
        { "{a=\"b\"} | drop", "parse error at line 1, col 15: syntax error: unexpected $end, expecting IDENTIFIER" },
        { "{a=\"b\"} | unwrap x", "parse error at line 1, col 11: syntax error: unexpected unwrap" },
        { "rate({a=\"b\"} | unwrap)", "parse error at line 1, col 22: syntax error: unexpected ), expecting IDENTIFIER or BYTES_CONV or DURATION_CONV or DURATION_SECONDS_CONV" },
        { "rate({a=\"b\"} | unwrap x foo [5m])", "parse error at line 1, col 25: syntax error: unexpected IDENTIFIER, expecting RANGE or |" },
        { "rate({a=\"b\"} | unwrap x | json [5m])", "parse error at line 1, col 27: syntax error: unexpected json, expecting IDENTIFIER or (" },
        { "rate(({a=\"b\"} | unwrap x foo)[5m])", "parse error at line 1, col 26: syntax error: unexpected IDENTIFIER, expecting RANGE or ) or |" },
        { "rate(({a=\"b\"}) foo)", "parse error at line 1, col 16: syntax error: unexpected IDENTIFIER, expecting RANGE" },
        { "rate(({a=\"b\"})[5m] | json)", "parse error at line 1, col 22: syntax error: unexpected json, expecting unwrap" },
        { "rate({a=\"b\"})", "parse error at line 1, col 13: syntax error: unexpected )" },
        { "rate({a=\"b\"}[5m]", "parse error at line 1, col 17: syntax error: unexpected $end, expecting )" },
        { "rate({a=\"b\"}[5m] foo)", "parse error at line 1, col 18: syntax error: unexpected IDENTIFIER, expecting )" },
        { "rate({a=\"b\"}[5m] | json offset 1m)", "parse error at line 1, col 25: syntax error: unexpected offset, expecting )" },
        { "rate({a=\"b\"}[5m] offset)", "parse error at line 1, col 24: syntax error: unexpected ), expecting DURATION" },
        { "rate(5)", "parse error at line 1, col 7: syntax error: unexpected ), expecting ," },
        { "rate(5, x)", "parse error at line 1, col 9: syntax error: unexpected IDENTIFIER, expecting { or (" },
        { "rate((x))", "parse error at line 1, col 7: syntax error: unexpected IDENTIFIER, expecting { or (" },
        { "rate by (a) ({a=\"b\"}[1m])", "parse error at line 1, col 6: syntax error: unexpected by, expecting (" },
        { "sum by (a,) (x)", "parse error at line 1, col 11: syntax error: unexpected ), expecting IDENTIFIER" },
        { "sum by (a b) (x)", "parse error at line 1, col 11: syntax error: unexpected IDENTIFIER, expecting , or )" },
        { "sum by (a) (rate({a=\"b\"}[1m])) by (b)", "parse error at line 1, col 32: syntax error: unexpected by" },
        { "sum(rate({a=\"b\"}[1m])", "parse error at line 1, col 22: syntax error: unexpected $end" },
        { "vector(1", "parse error at line 1, col 9: syntax error: unexpected $end, expecting )" },
        { "-sum(rate({a=\"b\"}[1m]))", "parse error at line 1, col 2: syntax error: unexpected SUM, expecting NUMBER" },
        { "rate({a=\"b\"}[1m]) + on", "parse error at line 1, col 23: syntax error: unexpected $end, expecting (" },
        { "rate({a=\"b\"}[1m]) + on (a", "parse error at line 1, col 26: syntax error: unexpected $end, expecting , or )" },
        { "rate({a=\"b\"}[1m]) +", "parse error at line 1, col 20: syntax error: unexpected $end" },
        { "label_replace(rate({a=\"b\"}[1m]), \"a\", \"b\", \"c\", \"d\"", "parse error at line 1, col 52: syntax error: unexpected $end, expecting )" },
        { "{a=\"b\"}\n| json\n| foo ==", "parse error at line 3, col 9: syntax error: unexpected $end" },
        { "{a=\"b\"}\n|= \"x\" [5m]", "parse error at line 0, col 8: syntax error: unexpected RANGE" },
        { "{a=\"b\"} @", "parse error at line 1, col 9: syntax error: unexpected IDENTIFIER" },
        { "{a=\"b\"} | x > 5m5", "parse error at line 1, col 18: syntax error: unexpected $end" },

        // Errors Loki raises while building the tree, at once.
        { "{a=\"b\"} | regexp \"(\\\\w+)\"", "parse error : invalid regexp parser: at least one named capture must be supplied" },
        { "{a=\"b\"} | regexp \"(?P<a>x)(?P<a>y)\"", "parse error : invalid regexp parser: duplicate extracted label name 'a'" },
        { "{a=\"b\"} | pattern \"foo\"", "parse error : invalid pattern parser: at least one capture is required" },
        { "{a=\"b\"} | pattern \"<_> foo\"", "parse error : invalid pattern parser: at least one capture is required" },
        { "{a=\"b\"} | pattern \"<a><b>\"", "parse error : invalid pattern parser: found consecutive capture: invalid expression" },
        { "{a=\"b\"} | pattern \"<a> <a>\"", "parse error : invalid pattern parser: duplicate capture name (a): invalid expression" },

        // Lexer errors come first, wherever they are.
        { "{a=\"\\q\"}", "parse error at line 1, col 4: invalid char escape" },
        { "{a=\"b\"} |= `x", "parse error at line 1, col 12: literal not terminated" },
        { "{a=\"b\"} | x > 1e", "parse error at line 1, col 15: exponent has no digits" },
        { "{a=\"b\"} /* x", "parse error at line 1, col 9: comment not terminated" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ReportsLokisError(string input, string expected)
    {
        var ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr(input));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void SyntaxErrorsWinOverErrorsOnTheTree()
    {
        // Loki reports its node errors only after a successful parse.
        var ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr("sum(3, rate({a=\"b\"}[1m])) +"));
        Assert.Equal("parse error at line 1, col 28: syntax error: unexpected $end", ex.Message);
    }

    [Fact]
    public void FirstTreeErrorInValidationOrderWins()
    {
        var ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr(
            "topk(rate({a=\"b\"}[1m])) + sum(3, rate({a=\"b\"}[1m]))"));
        Assert.Equal("parse error : parameter required for operation topk", ex.Message);
    }

    [Fact]
    public void BadMatcherRegexIsReportedWithGosWording()
    {
        var ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr("{a=~\"(x\"}"));
        Assert.StartsWith("parse error : error parsing regexp: missing closing ): ", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr("{a=\"b\"} | c=~\"[x\""));
        Assert.StartsWith("parse error : error parsing regexp: missing closing ]: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsQueriesOverLokisSizeLimit()
    {
        string q = "{a=\"" + new string('x', LogQLParser.MaxQueryBytes) + "\"}";
        var ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr(q));
        Assert.Equal($"parse error : input size too long ({q.Length} > 5120)", ex.Message);
    }

    [Fact]
    public void ExceptionCarriesPosition()
    {
        var ex = Assert.Throws<LogQLParseException>(() => LogQLParser.ParseExpr("{a=\"b\"}\n  | json\n  | x=~5"));
        Assert.Equal(3, ex.Line);
        Assert.Equal(8, ex.Column);
        Assert.Equal("syntax error: unexpected NUMBER, expecting STRING", ex.Detail);
    }
}
