using Strata.Query.PromQL;
using Strata.Storage.Index;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.Tests.PromQL;

public sealed class ParserTests
{
    // input -> PromQLPrinter.Format(ParseExpr(input)); the printed form must parse back to itself.
    public static TheoryData<string, string> Printed => new()
    {
        { "sum(rate(foo[5m])) by (job)", "sum by (job) (rate(foo[5m]))" },
        { "sum by(job)(rate(foo[5m]))", "sum by (job) (rate(foo[5m]))" },
        { "SUM(foo) BY (job)", "sum by (job) (foo)" },
        { "sum without(instance)(foo)", "sum without (instance) (foo)" },
        { "sum by()(foo)", "sum(foo)" },
        { "sum without()(foo)", "sum without () (foo)" },
        { "sum by (foo,)(bar)", "sum by (foo) (bar)" },
        { "topk(5, foo)", "topk(5, foo)" },
        { "count_values(\"value\", foo)", "count_values(\"value\", foo)" },
        { "quantile(0.9, foo) by (a, \"b.c\")", "quantile by (a, \"b.c\") (0.9, foo)" },
        { "limitk(2, foo)", "limitk(2, foo)" },
        { "limit_ratio(0.5, foo)", "limit_ratio(0.5, foo)" },
        { "sum without(and, by, avg, count, alert, annotations)(some_metric)", "sum without (and, by, avg, count, alert, annotations) (some_metric)" },
        { "a - on(b) c", "a - on (b) c" },
        { "a - on() c", "a - on () c" },
        { "a - ignoring() c", "a - c" },
        { "a - ignoring(b) group_left c", "a - ignoring (b) group_left () c" },
        { "a - on(b) group_left() (c)", "a - on (b) group_left () (c)" },
        { "a - on(b) group_right(x, y) c", "a - on (b) group_right (x, y) c" },
        { "a > bool 0", "a > bool 0" },
        { "a and on(x) b", "a and on (x) b" },
        { "a or b unless c", "a or b unless c" },
        { "foo atan2 bar", "foo atan2 bar" },
        { "h </ 2", "h </ 2" },
        { "h >/ 2", "h >/ 2" },
        { "foo offset 1h30m", "foo offset 1h30m" },
        { "foo OFFSET -7m", "foo offset -7m" },
        { "foo offset 90", "foo offset 1m30s" },
        { "foo[1h30m] offset 1m", "foo[1h30m] offset 1m" },
        { "foo[90s:15s]", "foo[1m30s:15s]" },
        { "foo[5m:]", "foo[5m:]" },
        { "foo[1800]", "foo[30m]" },
        { "foo[4.018]", "foo[4s18ms]" },
        { "foo @ 10", "foo @ 10.000" },
        { "foo @ -1.5", "foo @ -1.500" },
        { "foo @ 3.3335", "foo @ 3.334" },
        { "foo @ start()", "foo @ start()" },
        { "foo[1m] @ end()", "foo[1m] @ end()" },
        { "foo @ 2m offset 1m", "foo @ 120.000 offset 1m" },
        { "foo offset 1m @ 5", "foo @ 5.000 offset 1m" },
        { "foo[10m:6s] offset 1m @ 123", "foo[10m:6s] @ 123.000 offset 1m" },
        { "some_metric offset 1m [10m:5s]", "some_metric offset 1m[10m:5s]" },
        { "foo{b=\"c\",a=~\"x|y\"}", "foo{a=~\"x|y\",b=\"c\"}" },
        { "foo{}", "foo" },
        { "foo{a=\"b\",}", "foo{a=\"b\"}" },
        { "foo{\"my.label\"=\"v\"}", "foo{\"my.label\"=\"v\"}" },
        { "{\"my.metric\", env=\"p\"}", "{__name__=\"my.metric\",env=\"p\"}" },
        { "{env=\"p\", \"my.metric\"}", "{__name__=\"my.metric\",env=\"p\"}" },
        { "{__name__=\"up\"}", "{__name__=\"up\"}" },
        { "foo{a=\"\\n\\t\\\"x\\\"\"}", "foo{a=\"\\n\\t\\\"x\\\"\"}" },
        { "foo{a='single'}", "foo{a=\"single\"}" },
        { "foo{a=`raw\\d`}", "foo{a=\"raw\\\\d\"}" },
        { "foo{a=\"é☺\"}", "foo{a=\"é☺\"}" },
        { "foo{a=\"\\x01\"}", "foo{a=\"\\x01\"}" },
        { "\"string\"", "\"string\"" },
        { "'str'", "\"str\"" },
        { "1e3", "1000" },
        { "1e21", "1000000000000000000000" },
        { "1.5e-7", "0.00000015" },
        { "0x1F", "31" },
        { "0755", "493" },
        { "08", "8" },
        { "1_000", "1000" },
        { ".5", "0.5" },
        { "5.", "5" },
        { "+5.5e-3", "0.0055" },
        { "-Inf", "-Inf" },
        { "inF", "+Inf" },
        { "NaN", "NaN" },
        { "-2^2", "-2 ^ 2" },
        { "-(2)^2", "-(2) ^ 2" },
        { "(-2)^2", "(-2) ^ 2" },
        { "2^3^2", "2 ^ 3 ^ 2" },
        { "-foo", "-foo" },
        { "+foo", "+foo" },
        { "- - -1", "-1" },
        { "-2^---1*3", "-2 ^ -1 * 3" },
        { "1 + 2 * 3", "1 + 2 * 3" },
        { "(1 + 2) * 3", "(1 + 2) * 3" },
        { "time() - 5m", "time() - 5m" },
        { "rate(foo[5m+1m])", "rate(foo[5m + 1m])" },
        { "foo[26m+4m]", "foo[26m + 4m]" },
        { "foo[(5s)]", "foo[(5s)]" },
        { "foo[((1h))]", "foo[(1h)]" },
        { "foo[step() * 2]", "foo[step() * 2]" },
        { "foo[1+(STep()-5)*2]", "foo[1 + (step() - 5) * 2]" },
        { "foo[min_of(step()+1,1h)]", "foo[min_of(step() + 1, 1h)]" },
        { "foo[range()]", "foo[range()]" },
        { "foo[29s+1s:5s+5s]", "foo[29s + 1s:5s + 5s]" },
        { "foo offset (1m * 2)", "foo offset (1m * 2)" },
        { "foo offset +(5)", "foo offset (5)" },
        { "foo offset -(5)", "foo offset -(5)" },
        { "foo offset -step()", "foo offset -step()" },
        { "foo offset +min_of(step(), 1s)^0", "foo offset min_of(step(), 1s) ^ 0" },
        { "foo offset 5m + 1", "foo offset 5m + 1" },
        { "foo offset -2 ^ 2", "foo offset -2s ^ 2" },
        { "foo anchored", "foo anchored" },
        { "foo[5m] smoothed", "foo[5m] smoothed" },
        { "rate(foo[5m] anchored offset 1m)", "rate(foo[5m] anchored offset 1m)" },
        { "a + fill(0) b", "a + fill (0) b" },
        { "a + fill(-Inf) b", "a + fill (-Inf) b" },
        { "a + fill(1e6) b", "a + fill (1e+06) b" },
        { "a + fill_left(1) fill_right(2) b", "a + fill_left (1) fill_right (2) b" },
        { "a + on(x) group_left fill(0) b", "a + on (x) group_left () fill (0) b" },
        { "a == bool fill(30) b", "a == bool fill (30) b" },
        { "fill + fill(0) other", "fill + fill (0) other" },
        { "foo # comment\n + bar", "foo + bar" },
        { "sum(foo) by (and, by, offset)", "sum by (and, by, offset) (foo)" },
        { "step()", "step()" },
        { "min_of(1, 2)", "min_of(1, 2)" },
        { "offset", "offset" },
        { "sum", "sum" },
        { "sum(sum)", "sum(sum)" },
        { "a + sum", "a + sum" },
        { "by{a=\"b\"}", "by{a=\"b\"}" },
        { "start{end=\"foo\"}", "start{end=\"foo\"}" },
        { "foo unless on(start) bar", "foo unless on (start) bar" },
        { "label_join(foo, \"d\", \",\", \"a\", \"b\")", "label_join(foo, \"d\", \",\", \"a\", \"b\")" },
        { "info(foo, {__name__=\"target_info\"})", "info(foo, {__name__=\"target_info\"})" },
        { "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ 1603775091)[4m:3s]", "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ 1603775091.000)[4m:3s]" },
    };

    [Theory]
    [MemberData(nameof(Printed))]
    public void PrintsCanonicalForm(string input, string expected)
    {
        string printed = PromQLPrinter.Format(PromQLParser.ParseExpr(input));
        Assert.Equal(expected, printed);
        Assert.Equal(expected, PromQLPrinter.Format(PromQLParser.ParseExpr(printed)));
    }

    // Messages and positions as Prometheus 3.x reports them (promql/parser/parse_test.go, and
    // promtool for the classic grammar).
    public static TheoryData<string, string> Errors => new()
    {
        { "", "unknown position: parse error: no expression found in input" },
        { "# just a comment\n\n", "1:1: parse error: no expression found in input" },
        { "1+", "1:3: parse error: unexpected end of input" },
        { ".", "1:1: parse error: unexpected character: '.'" },
        { "2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\"" },
        { "0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\"" },
        { "1 /", "1:4: parse error: unexpected end of input" },
        { "*1", "1:1: parse error: unexpected <op:*>" },
        { "(1))", "1:5: parse error: unexpected right parenthesis ')'" },
        { "((1)", "1:5: parse error: unclosed left parenthesis" },
        { "(", "1:2: parse error: unclosed left parenthesis" },
        { "1e400", "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e400\": value out of range" },
        { "1 and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression" },
        { "1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier" },
        { "1 or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression" },
        { "1 !~ 1", "1:3: parse error: unexpected character after '!': '~'" },
        { "1 =~ 1", "1:3: parse error: unexpected character after '=': '~'" },
        { "-\"string\"", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\"" },
        { "-test[5m]", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\"" },
        { "@@", "1:1: parse error: unexpected <op:@>" },
        { "1 offset 1d", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery" },
        { "foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times" },
        { "a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>" },
        { "foo and 1", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression" },
        { "1 or on(bar) foo", "1:1: parse error: vector matching only allowed between instant vectors" },
        { "foo == on(bar) 10", "1:1: parse error: vector matching only allowed between instant vectors" },
        { "foo + group_left(baz) bar", "1:7: parse error: unexpected <group_left>" },
        { "foo and on(bar) group_left(baz) bar", "1:1: parse error: no grouping allowed for \"and\" operation" },
        { "foo unless on(bar) group_right(baz) bar", "1:1: parse error: no grouping allowed for \"unless\" operation" },
        { "http_requests{group=\"production\"} + on(instance) group_left(job,instance) cpu_count{type=\"smp\"}", "1:35: parse error: label \"instance\" must not occur in ON and GROUP clause at once" },
        { "foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators" },
        { "foo and bool 10", "1:5: parse error: bool modifier can only be used on comparison operators" },
        { "foo[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types" },
        { "1 + foo[5m]", "1:5: parse error: binary expression must contain only scalar and instant vector types" },
        { "\"a\" + \"b\"", "1:1: parse error: binary expression must contain only scalar and instant vector types" },
        { "foo @ +Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf" },
        { "foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN" },
        { "foo @ 9223372036854775808", "1:1: parse error: timestamp out of bounds for @ modifier: 9223372036854775808.000000" },
        { "foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times" },
        { "rate(some_metric[5m]) @ 1234", "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery" },
        { "{", "1:2: parse error: unexpected end of input inside braces" },
        { "}", "1:1: parse error: unexpected character: '}'" },
        { "some}", "1:5: parse error: unexpected character: '}'" },
        { "some_metric{a=b}", "1:15: parse error: unexpected identifier \"b\" in label matching, expected string" },
        { "some_metric{a:b=\"b\"}", "1:14: parse error: unexpected character inside braces: ':'" },
        { "foo{a*\"b\"}", "1:6: parse error: unexpected character inside braces: '*'" },
        { "foo{a>=\"b\"}", "1:6: parse error: unexpected character inside braces: '>'" },
        { "foo{gibberish}", "1:14: parse error: unexpected \"}\" in label matching, expected label matching operator" },
        { "foo{1}", "1:5: parse error: unexpected character inside braces: '1'" },
        { "{}", "1:1: parse error: vector selector must contain at least one non-empty matcher" },
        { "{x=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher" },
        { "{x=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher" },
        { "{x!~\".+\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher" },
        { "{x!=\"a\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher" },
        { "foo{__name__=\"bar\"}", "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\"" },
        { "foo{__name__= =}", "1:15: parse error: unexpected \"=\" in label matching, expected string" },
        { "foo{,}", "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\"" },
        { "foo{__name__ == \"bar\"}", "1:15: parse error: unexpected \"=\" in label matching, expected string" },
        { "foo{__name__=\"bar\" lol}", "1:20: parse error: unexpected identifier \"lol\" in label matching, expected \",\" or \"}\"" },
        { "foo{\"a\"=}", "1:9: parse error: unexpected \"}\" in label matching, expected string" },
        { "foo{a=~\"(.*\"}", "1:5: parse error: error parsing regexp: missing closing ): `^(?s:(.*)$`" },
        { "foo[5mm]", "1:5: parse error: bad number or duration syntax: \"5mm\"" },
        { "foo[5m1]", "1:5: parse error: bad number or duration syntax: \"5m1\"" },
        { "foo[5m:1m1]", "1:8: parse error: bad number or duration syntax: \"1m1\"" },
        { "foo[5y1hs]", "1:5: parse error: unknown unit \"hs\" in duration \"5y1hs\"" },
        { "foo[5m1h]", "1:5: parse error: not a valid duration string: \"5m1h\"" },
        { "foo[0m]", "1:5: parse error: duration must be greater than 0" },
        { "foo[-1]", "1:5: parse error: duration must be greater than 0" },
        { "foo[5m-10m]", "1:5: parse error: duration must be greater than 0" },
        { "foo[5m:0s]", "1:8: parse error: duration must be greater than 0" },
        { "foo[\"5m\"]", "1:5: parse error: unexpected character in duration expression: '\"'" },
        { "foo[]", "1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()" },
        { "foo[step]", "1:9: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()" },
        { "foo[5m 5m]", "1:8: parse error: unexpected duration \"5m\" in subquery or range, expected \":\" or \"]\"" },
        { "foo[step()/0d]", "1:11: parse error: division by zero" },
        { "foo[5s/0d]", "1:7: parse error: division by zero" },
        { "foo[5s%0d]", "1:7: parse error: modulo by zero" },
        { "foo offset (4d/0)", "1:15: parse error: division by zero" },
        { "foo offset 9.5e10", "1:12: parse error: duration out of range" },
        { "foo[9.5e10]", "1:5: parse error: duration out of range" },
        { "foo[5s x 5s]", "1:8: parse error: unexpected character: 'x', expected ':'" },
        { "some_metric[5m] OFFSET 1mm", "1:24: parse error: bad number or duration syntax: \"1mm\"" },
        { "some_metric[5m] OFFSET", "1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()" },
        { "foo offset bar", "1:12: parse error: unexpected identifier \"bar\" in offset, expected number, duration, step(), or range()" },
        { "some_metric OFFSET 1m[5m]", "1:22: parse error: no offset modifiers allowed before range" },
        { "some_metric offset step()[5m]", "1:26: parse error: no offset modifiers allowed before range" },
        { "some_metric[5m] @", "1:18: parse error: unexpected end of input in @, expected timestamp" },
        { "some_metric @ 1234 [5m]", "1:20: parse error: no @ modifiers allowed before range" },
        { "some_metric @ end()[5m]", "1:20: parse error: no @ modifiers allowed before range" },
        { "(foo + bar)[5m]", "1:12: parse error: ranges only allowed for vector selectors" },
        { "rate(food[1m])[1h] offset 1h", "1:15: parse error: ranges only allowed for vector selectors" },
        { "test[5d] OFFSET 10s [10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead" },
        { "(foo + bar{nm=\"val\"})[5m:][10m:5s]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead" },
        { "foo{bar=\"baz\"}[", "1:16: parse error: unexpected end of input in duration expression" },
        { "1[5m] smoothed", "1:2: parse error: ranges only allowed for vector selectors" },
        { "foo anchored smoothed", "1:1: parse error: anchored and smoothed modifiers cannot be used together" },
        { "foo[5m:1m] anchored", "1:1: parse error: anchored modifier is not supported for subqueries" },
        { "sum without(==)(some_metric)", "1:13: parse error: unexpected <op:==> in grouping opts, expected label" },
        { "sum without(,)(some_metric)", "1:13: parse error: unexpected \",\" in grouping opts, expected label" },
        { "sum without(foo,,)(some_metric)", "1:17: parse error: unexpected \",\" in grouping opts, expected label" },
        { "sum by (a:b) (foo)", "1:9: parse error: unexpected metric identifier \"a:b\" in grouping opts, expected label" },
        { "sum by (a b) (foo)", "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\"" },
        { "sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\"" },
        { "sum (some_metric) by test", "1:22: parse error: unexpected identifier \"test\" in grouping opts, expected \"(\"" },
        { "sum () by (test)", "1:1: parse error: no arguments for aggregate expression provided" },
        { "MIN keep_common (some_metric)", "1:5: parse error: unexpected identifier \"keep_common\"" },
        { "MIN (some_metric) keep_common", "1:19: parse error: unexpected identifier \"keep_common\"" },
        { "sum (some_metric) without (test) by (test)", "1:34: parse error: unexpected <by>" },
        { "sum(foo bar)", "1:9: parse error: unexpected identifier \"bar\" in aggregation" },
        { "sum(1+)", "1:7: parse error: unexpected \")\" in aggregation" },
        { "sum by (x) bar", "1:12: parse error: unexpected identifier \"bar\" in aggregation" },
        { "rate(foo bar)", "1:10: parse error: unexpected identifier \"bar\"" },
        { "topk(some_metric)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1" },
        { "topk(some_metric,)", "1:17: parse error: trailing commas not allowed in function call args" },
        { "topk(some_metric, other_metric)", "1:6: parse error: expected type scalar in aggregation parameter, got instant vector" },
        { "count_values(5, other_metric)", "1:14: parse error: expected type string in aggregation parameter, got scalar" },
        { "sum(foo[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector" },
        { "sum(foo, bar)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2" },
        { "floor()", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0" },
        { "floor(some_metric, other_metric)", "1:1: parse error: expected 1 argument(s) in call to \"floor\", got 2" },
        { "floor(1)", "1:7: parse error: expected type instant vector in call to function \"floor\", got scalar" },
        { "hour(some_metric, some_metric, some_metric)", "1:1: parse error: expected at most 1 argument(s) in call to \"hour\", got 3" },
        { "label_join(foo)", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1" },
        { "label_join(foo, \"a\", \"b\", 1)", "1:27: parse error: expected type string in call to function \"label_join\", got scalar" },
        { "time(some_metric)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1" },
        { "non_existent_function_far_bar()", "1:1: parse error: unknown function with name \"non_existent_function_far_bar\"" },
        { "START()", "1:1: parse error: unknown function with name \"START\"" },
        { "rate(some_metric)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector" },
        { "rate(avg)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector" },
        { "histogram_quantile(foo, 0.9)", "1:20: parse error: expected type scalar in call to function \"histogram_quantile\", got instant vector" },
        { "-=", "1:2: parse error: unexpected \"=\"" },
        { "++-++-+-+-<", "1:11: parse error: unexpected <op:<>" },
        { "e-+=/(0)", "1:4: parse error: unexpected \"=\"" },
        { "a>b()", "1:3: parse error: unknown function with name \"b\"" },
        { "`\\``", "1:4: parse error: unterminated raw string" },
        { "\"\\", "1:1: parse error: escape sequence not terminated" },
        { "\"\\c\"", "1:1: parse error: unknown escape sequence U+0063 'c'" },
        { "\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence" },
        { "sum(", "1:5: parse error: unclosed left parenthesis" },
        { "sum(rate(", "1:10: parse error: unclosed left parenthesis" },
        { "info(rate(http_request_counter_total{}[5m]), target_info{foo=\"bar\"})", "1:46: parse error: expected label selectors only, got vector selector instead" },
        { "info(http_request_counter_total{namespace=\"zzz\"}, {foo=\"bar\"} == 1)", "1:51: parse error: expected label selectors only" },
        { "left + fill(1) 2", "1:1: parse error: filling in missing series only allowed between instant vectors" },
        { "left and fill(1) right", "1:1: parse error: filling in missing series not allowed for set operators" },
        { "a + fill(b) c", "1:10: parse error: unexpected identifier \"b\"" },
        { "foo + on bar", "1:10: parse error: unexpected identifier \"bar\" in grouping opts, expected \"(\"" },
        { "a\n+\n*b", "3:1: parse error: unexpected <op:*>" },
        { "sum(foo)\n  by (a)\n  $", "3:3: parse error: unexpected character: '$'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ReportsPrometheusErrors(string input, string expected)
    {
        var ex = Assert.Throws<ParseException>(() => PromQLParser.ParseExpr(input));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void ErrorCarriesPosition()
    {
        var ex = Assert.Throws<ParseException>(() => PromQLParser.ParseExpr("foo +\n  bar baz"));
        Assert.Equal(12, ex.Position);
        Assert.Equal(2, ex.Line);
        Assert.Equal(7, ex.Column);
        Assert.Equal("unexpected identifier \"baz\"", ex.Detail);
    }

    [Fact]
    public void UnaryMinusBindsWeakerThanPower()
    {
        var u = Assert.IsType<UnaryExpr>(PromQLParser.ParseExpr("-2^2"));
        Assert.True(u.Negate);
        Assert.Equal(BinaryOp.Pow, Assert.IsType<BinaryExpr>(u.Inner).Op);

        // ...but stronger than '*': (-1) * 2, with the sign folded into the literal.
        var b = Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("-1*2"));
        Assert.Equal(-1, Assert.IsType<NumberLiteral>(b.Lhs).Value);
    }

    [Fact]
    public void PowerIsRightAssociative()
    {
        var b = Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("2^3^2"));
        Assert.IsType<NumberLiteral>(b.Lhs);
        Assert.Equal(BinaryOp.Pow, Assert.IsType<BinaryExpr>(b.Rhs).Op);
    }

    public static TheoryData<string, string> Precedence => new()
    {
        // Fully parenthesised rendering of the tree.
        { "a or b and c unless d", "(a or ((b and c) unless d))" },
        { "a == b + c * d ^ e", "(a == (b + (c * (d ^ e))))" },
        { "a + b - c", "((a + b) - c)" },
        { "a / b * c % d atan2 e", "((((a / b) * c) % d) atan2 e)" },
        { "a > b < c", "((a > b) < c)" },
        { "h </ 2 + 1", "(h </ (2 + 1))" },
        { "-a + b", "((-a) + b)" },
        { "-a * b", "((-a) * b)" },
        { "-a ^ b", "(-(a ^ b))" },
        { "a ^ -b * c", "((a ^ (-b)) * c)" },
        { "a + b offset 5m", "(a + b offset 5m)" },
        { "-a offset 5m", "(-a offset 5m)" },
        { "foo offset 100 + 2", "(foo offset 1m40s + 2)" },
        { "foo offset -2 * 2", "(foo offset -2s * 2)" },
        { "foo offset step()^0", "(foo offset step() ^ 0)" },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void BuildsTreeWithPrometheusPrecedence(string input, string expected) =>
        Assert.Equal(expected, Parenthesise(PromQLParser.ParseExpr(input)));

    private static string Parenthesise(Expr e) => e switch
    {
        BinaryExpr b => $"({Parenthesise(b.Lhs)} {PromQLPrinter.OperatorName(b.Op)} {Parenthesise(b.Rhs)})",
        UnaryExpr u => $"({(u.Negate ? "-" : "+")}{Parenthesise(u.Inner)})",
        _ => PromQLPrinter.Format(e),
    };

    [Fact]
    public void SelectorHasNameMatcherLast()
    {
        var vs = Assert.IsType<VectorSelector>(PromQLParser.ParseExpr("foo{a=\"b\", c=~\"d|e\"}"));
        Assert.Equal("foo", vs.Name);
        Assert.Equal(["a", "c", "__name__"], vs.Matchers.Select(m => m.Name));
        Assert.Equal(MatchType.Regex, vs.Matchers[1].Type);
        Assert.Equal("foo", vs.Matchers[2].Value);
        Assert.Equal((0, 20), (vs.Start, vs.End));
    }

    [Fact]
    public void QuotedMetricNameIsAMatcherOnly()
    {
        var vs = Assert.IsType<VectorSelector>(PromQLParser.ParseExpr("{'foo\\'bar', 'a\\\\dos\\\\path'='boo\\\\urns'}"));
        Assert.Null(vs.Name);
        Assert.Equal(("__name__", "foo'bar"), (vs.Matchers[0].Name, vs.Matchers[0].Value));
        Assert.Equal(("a\\dos\\path", "boo\\urns"), (vs.Matchers[1].Name, vs.Matchers[1].Value));
    }

    [Fact]
    public void RangesOffsetsAndAtAreResolved()
    {
        var call = Assert.IsType<CallExpr>(PromQLParser.ParseExpr("rate(foo[5m30s] offset -1h @ 1603774568.5)"));
        Assert.Equal("rate", call.Function.Name);
        var ms = Assert.IsType<MatrixSelector>(call.Args[0]);
        Assert.Equal(330_000, ms.Range.Milliseconds);
        Assert.True(ms.Range.IsConstant);
        Assert.Equal(-3_600_000, ms.Selector.Offset.Milliseconds);
        Assert.Equal(AtKind.Timestamp, ms.Selector.At);
        Assert.Equal(1_603_774_568_500, ms.Selector.AtMs);
        Assert.Equal((5, 41), (ms.Start, ms.End));
    }

    [Fact]
    public void SubqueryHasRangeStepAndModifiers()
    {
        var sq = Assert.IsType<SubqueryExpr>(PromQLParser.ParseExpr("sum(foo)[1h:1m] offset 2m @ end()"));
        Assert.IsType<AggregateExpr>(sq.Inner);
        Assert.Equal(3_600_000, sq.Range.Milliseconds);
        Assert.Equal(60_000, sq.Step.Milliseconds);
        Assert.Equal(120_000, sq.Offset.Milliseconds);
        Assert.Equal(AtKind.End, sq.At);

        var noStep = Assert.IsType<SubqueryExpr>(PromQLParser.ParseExpr("foo[5m:]"));
        Assert.Equal(DurationValue.Zero, noStep.Step);
    }

    public static TheoryData<string, long> ConstantDurations => new()
    {
        { "foo[26m+4m]", 1_800_000 },
        { "foo[60*30]", 1_800_000 },
        { "foo[2m*(10+5)]", 1_800_000 },
        { "foo[24m+((1.5*2m)+2m)]", 1_740_000 },
        { "foo[-5m+35m]", 1_800_000 },
        { "foo[1h/2]", 1_800_000 },
        { "foo[1h30m % 1h]", 1_800_000 },
        { "foo[30m1s-30m1s % 1m]", 1_800_000 },
        { "foo[(9m30s+30s)*3]", 1_800_000 },
        { "foo[max_of(1m, 30s)]", 60_000 },
        { "foo[((((8 - 2) / 3) * 7s) % 4) + 8000ms]", 10_000 },
    };

    [Theory]
    [MemberData(nameof(ConstantDurations))]
    public void FoldsConstantDurationArithmetic(string input, long milliseconds)
    {
        var ms = Assert.IsType<MatrixSelector>(PromQLParser.ParseExpr(input));
        Assert.True(ms.Range.IsConstant);
        Assert.Equal(milliseconds, ms.Range.Milliseconds);
        Assert.NotNull(ms.Range.Source);
    }

    [Fact]
    public void KeepsStepAndRangeAsExpressions()
    {
        var ms = Assert.IsType<MatrixSelector>(PromQLParser.ParseExpr("foo[min_of(step()+1, 1h)]"));
        Assert.False(ms.Range.IsConstant);
        var f = Assert.IsType<DurationFunction>(ms.Range.Expression);
        Assert.Equal("min_of", f.Name);
        Assert.Equal("step", Assert.IsType<DurationFunction>(Assert.IsType<BinaryExpr>(f.Args[0]).Lhs).Name);

        var vs = Assert.IsType<VectorSelector>(PromQLParser.ParseExpr("foo offset -range()"));
        var u = Assert.IsType<UnaryExpr>(vs.Offset.Expression);
        Assert.Equal("range", Assert.IsType<DurationFunction>(u.Inner).Name);
    }

    [Fact]
    public void OffsetTakesOnlyOneOperand()
    {
        var b = Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("metric offset 100 + 2"));
        Assert.Equal(100_000, Assert.IsType<VectorSelector>(b.Lhs).Offset.Milliseconds);

        var vs = Assert.IsType<VectorSelector>(PromQLParser.ParseExpr("metric offset (100 + 2)"));
        Assert.Equal(102_000, vs.Offset.Milliseconds);

        var neg = Assert.IsType<VectorSelector>(PromQLParser.ParseExpr("metric offset -(min_of(2s, 5)-5)"));
        Assert.Equal(3_000, neg.Offset.Milliseconds);
    }

    [Fact]
    public void BinaryMatchingFollowsOperandTypes()
    {
        var vv = Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("a / on(x) group_left(y) fill_right(1) b"));
        var m = Assert.IsType<VectorMatching>(vv.Matching);
        Assert.Equal(MatchCardinality.ManyToOne, m.Card);
        Assert.True(m.On);
        Assert.Equal(["x"], m.MatchingLabels);
        Assert.Equal(["y"], m.Include);
        Assert.Null(m.FillLeft);
        Assert.Equal(1, m.FillRight);

        Assert.Equal(MatchCardinality.ManyToMany, PromQLParser.ParseExpr("a and b") is BinaryExpr { Matching: { } s } ? s.Card : default);
        Assert.Null(Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("a + on() 1")).Matching);
        Assert.Equal(ValueKind.Scalar, PromQLParser.ParseExpr("1 + 2").Kind);
        Assert.True(Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("1 < bool 2")).ReturnBool);
    }

    [Fact]
    public void AggregateCarriesParameterAndGrouping()
    {
        var a = Assert.IsType<AggregateExpr>(PromQLParser.ParseExpr("topk without (a) (3, foo)"));
        Assert.Equal(AggregateOp.Topk, a.Op);
        Assert.Equal(3, Assert.IsType<NumberLiteral>(a.Param).Value);
        Assert.True(a.Without);
        Assert.True(a.HasGrouping);
        Assert.Equal(["a"], a.Grouping);

        var b = Assert.IsType<AggregateExpr>(PromQLParser.ParseExpr("sum by () (foo)"));
        Assert.True(b.HasGrouping);
        Assert.Empty(b.Grouping);
        Assert.False(Assert.IsType<AggregateExpr>(PromQLParser.ParseExpr("sum(foo)")).HasGrouping);
    }

    [Fact]
    public void DurationUsedAsNumberIsSeconds()
    {
        var b = Assert.IsType<BinaryExpr>(PromQLParser.ParseExpr("time() - 1h"));
        var n = Assert.IsType<NumberLiteral>(b.Rhs);
        Assert.Equal(3600, n.Value);
        Assert.True(n.IsDuration);
    }

    public static TheoryData<string, string> Selectors => new()
    {
        { "up", "up" },
        { "{job=\"x\"}", "{job=\"x\"}" },
        { "{__name__=~\"a.*\", job!=\"b\"}", "{__name__=~\"a.*\",job!=\"b\"}" },
        { "sum{a=\"b\"}", "sum{a=\"b\"}" },
        { "{\"my.metric\"}", "{__name__=\"my.metric\"}" },
        { "{}", "" },
    };

    [Theory]
    [MemberData(nameof(Selectors))]
    public void ParsesSeriesSelectors(string input, string printed) =>
        Assert.Equal(printed, PromQLPrinter.Format(PromQLParser.ParseSelector(input)));

    public static TheoryData<string, string> SelectorErrors => new()
    {
        { "", "unknown position: parse error: unexpected end of input" },
        { "up offset 5m", "1:4: parse error: unexpected <offset>" },
        { "up[5m]", "1:3: parse error: unexpected \"[\"" },
        { "rate(up[5m])", "1:5: parse error: unexpected \"(\"" },
        { "1", "1:1: parse error: unexpected number \"1\"" },
        { "up{a=b}", "1:6: parse error: unexpected identifier \"b\" in label matching, expected string" },
    };

    [Theory]
    [MemberData(nameof(SelectorErrors))]
    public void RejectsNonSelectors(string input, string expected)
    {
        var ex = Assert.Throws<ParseException>(() => PromQLParser.ParseSelector(input));
        Assert.Equal(expected, ex.Message);
    }
}
