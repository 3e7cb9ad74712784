using Strata.Query.LogQL;

namespace Strata.Query.Tests.LogQL;

public sealed class ParserTests
{
    // input -> LogQLPrinter.Format(ParseExpr(input)), Loki's String() form; the printed form must
    // parse back to itself.
    public static TheoryData<string, string> Printed => new()
    {
        // Stream selectors.
        { "{a=\"b\", c=~\"x|y\", d!=\"\", e!~\"z\"}", "{a=\"b\", c=~\"x|y\", d!=\"\", e!~\"z\"}" },
        { "{ foo = \"bar\" }", "{foo=\"bar\"}" },
        { "{ namespace=\"buzz\", foo != \"bar\" }", "{namespace=\"buzz\", foo!=\"bar\"}" },
        { "{foo=~`bar\\w+`}", "{foo=~\"bar\\\\w+\"}" },
        { "{app=\"#\"}", "{app=\"#\"}" },
        { "({app=\"foo\"})", "{app=\"foo\"}" },
        { "{app=\"foo\"}\n\t# |= \"bar\"\n\t| json", "{app=\"foo\"} | json" },
        { "{app=\"foo\"} # |= \"bar\" | json", "{app=\"foo\"}" },
        { "{app=\"é☺\", x=\"\\x01\"}", "{app=\"é☺\", x=\"\\x01\"}" },

        // Line filters, or-chains, patterns, ip().
        { "{foo=\"bar\"} |= \"baz\"", "{foo=\"bar\"} |= \"baz\"" },
        { "{foo=\"bar\"} |= \"baz\" |~ \"blip\" != \"flip\" !~ \"flap\"", "{foo=\"bar\"} |= \"baz\" |~ \"blip\" != \"flip\" !~ \"flap\"" },
        { "{namespace=\"ns\"} |~ \"(?i)error|panic\"", "{namespace=\"ns\"} |~ \"(?i)error|panic\"" },
        { "{app=\"foo\"} |~ `\\d+ms`", "{app=\"foo\"} |~ \"\\\\d+ms\"" },
        { "{app=\"foo\"} |= \"foo\" or \"bar\" |= \"buzz\" or \"fizz\"", "{app=\"foo\"} |= \"foo\" or \"bar\" |= \"buzz\" or \"fizz\"" },
        { "{app=\"foo\"} |= \"foo\" or \"bar\" or \"baz\"", "{app=\"foo\"} |= \"foo\" or \"bar\" or \"baz\"" },
        { "{app=\"foo\"} |~ \"a.*\" or \"b\"", "{app=\"foo\"} |~ \"a.*\" or \"b\"" },
        { "{app=\"foo\"} != \"a\" or \"b\" or \"c\"", "{app=\"foo\"} != \"a\" != \"b\" != \"c\"" },
        { "{app=\"foo\"} !~ \"a\" or \"b\"", "{app=\"foo\"} !~ \"a\" !~ \"b\"" },
        { "{app=\"foo\"} |> \"foo\" or \"bar\" or \"baz\"", "{app=\"foo\"} |> \"foo\" or \"bar\" or \"baz\"" },
        { "{app=\"foo\"} |> \"<_> level=<_> msg\" !> \"<_> debug <_>\"", "{app=\"foo\"} |> \"<_> level=<_> msg\" !> \"<_> debug <_>\"" },
        { "{foo=\"bar\"} |= ip(\"123.123.123.123\")", "{foo=\"bar\"} |= ip(\"123.123.123.123\")" },
        { "{foo=\"bar\"} != ip(\"123.123.123.123\")|= \"baz\" !=ip(\"10.0.0.0/8\")", "{foo=\"bar\"} != ip(\"123.123.123.123\") |= \"baz\" != ip(\"10.0.0.0/8\")" },
        { "{foo=\"bar\"} |= \"a\" or ip(\"1.2.3.4\")", "{foo=\"bar\"} |= \"a\" or ip(\"1.2.3.4\")" },
        { "{app=\"foo\"} |= \"#\"", "{app=\"foo\"} |= \"#\"" },
        { "{app=\"foo\"} |= \"\\\"quoted\\\"\\n\"", "{app=\"foo\"} |= \"\\\"quoted\\\"\\n\"" },

        // Parsers.
        { "{app=\"foo\"} | json", "{app=\"foo\"} | json" },
        { "{app=\"foo\"} | json a=\"x.y\", b=\"z[0]\"", "{app=\"foo\"} | json a=\"x.y\",b=\"z[0]\"" },
        { "{app=\"foo\"} | json bob=\"top.sub[\\\"index\\\"]\"", "{app=\"foo\"} | json bob=\"top.sub[\\\"index\\\"]\"" },
        { "{app=\"foo\"} | json response_code, api_key=\"request.headers[\\\"X-API-KEY\\\"]\"", "{app=\"foo\"} | json response_code=\"response_code\",api_key=\"request.headers[\\\"X-API-KEY\\\"]\"" },
        { "{app=\"foo\"} | logfmt", "{app=\"foo\"} | logfmt" },
        { "{app=\"foo\"} | logfmt --strict", "{app=\"foo\"} | logfmt --strict" },
        { "{app=\"foo\"} | logfmt --keep-empty --strict", "{app=\"foo\"} | logfmt --strict --keep-empty" },
        { "{app=\"foo\"} | logfmt message=\"msg\"", "{app=\"foo\"} | logfmt message=\"msg\"" },
        { "{app=\"foo\"} | logfmt --keep-empty msg, err ", "{app=\"foo\"} | logfmt --keep-empty msg=\"msg\",err=\"err\"" },
        { "{app=\"foo\"} | logfmt --strict --keep-empty msg=\"message\", apiKey=\"api_key\"", "{app=\"foo\"} | logfmt --strict --keep-empty msg=\"message\",apiKey=\"api_key\"" },
        { "{app=\"foo\"} | regexp \"(?P<method>\\\\w+) (?P<path>[\\\\w|/]+)\"", "{app=\"foo\"} | regexp \"(?P<method>\\\\w+) (?P<path>[\\\\w|/]+)\"" },
        { "{app=\"foo\"} | regexp `(?<ip>\\S+)`", "{app=\"foo\"} | regexp \"(?<ip>\\\\S+)\"" },
        { "{app=\"foo\"} | pattern \"<ip> - <_> [<ts>]\"", "{app=\"foo\"} | pattern \"<ip> - <_> [<ts>]\"" },
        { "{app=\"foo\"} | unpack", "{app=\"foo\"} | unpack" },
        { "{app=\"foo\"} | decolorize", "{app=\"foo\"} | decolorize" },

        // Label filters.
        { "{app=\"foo\"} | level=\"error\"", "{app=\"foo\"} | level=\"error\"" },
        { "{ foo = \"bar\" }|logfmt|rate=\"a\"", "{foo=\"bar\"} | logfmt | rate=\"a\"" },
        { "{app=\"foo\"} | level != \"debug\" | msg =~ \"time.*\" | msg !~ \"foo|bar\"", "{app=\"foo\"} | level!=\"debug\" | msg=~\"time.*\" | msg!~\"foo|bar\"" },
        { "{app=\"foo\"} | status >= 500", "{app=\"foo\"} | status>=500" },
        { "{app=\"foo\"} | status = 200 | status == 201 | status != -1 | x < +2.5 | y <= 1e3", "{app=\"foo\"} | status==200 | status==201 | status!=-1 | x<2.5 | y<=1000" },
        { "{app=\"foo\"} | duration > 10s | latency <= 250ms | d = 1h30m | e != 1.5s", "{app=\"foo\"} | duration>10s | latency<=250ms | d==1h30m0s | e!=1.5s" },
        { "{app=\"foo\"} | size > 20MB | size >= 2.5KiB | size < 20MiB | size == 1kB", "{app=\"foo\"} | size>20MB | size>=2.6kB | size<21MB | size==1.0kB" },
        { "{app=\"foo\"} | a=\"b\" and c=\"d\"", "{app=\"foo\"} | ( a=\"b\" , c=\"d\" )" },
        { "{app=\"foo\"} | a=\"b\", c=\"d\"", "{app=\"foo\"} | ( a=\"b\" , c=\"d\" )" },
        { "{app=\"foo\"} | a=\"b\" c=\"d\"", "{app=\"foo\"} | ( a=\"b\" , c=\"d\" )" },
        { "{app=\"foo\"} | a=\"b\" or c=\"d\"", "{app=\"foo\"} | ( a=\"b\" or c=\"d\" )" },
        { "{app=\"foo\"} | (a=\"b\" or c=\"d\") and e=\"f\"", "{app=\"foo\"} | ( ( a=\"b\" or c=\"d\" ) , e=\"f\" )" },
        { "{app=\"foo\"} | a=\"b\" and c=\"d\" or e=\"f\"", "{app=\"foo\"} | ( ( a=\"b\" , c=\"d\" ) or e=\"f\" )" },
        { "{app=\"foo\"} | a=\"b\" or c=\"d\" and e=\"f\"", "{app=\"foo\"} | ( a=\"b\" or ( c=\"d\" , e=\"f\" ) )" },
        { "{app=\"foo\"} | a=\"b\" or c=\"d\", e=\"f\"", "{app=\"foo\"} | ( a=\"b\" or ( c=\"d\" , e=\"f\" ) )" },
        { "{app=\"foo\"} | a=\"b\", c=\"d\" or e=\"f\"", "{app=\"foo\"} | ( a=\"b\" , ( c=\"d\" or e=\"f\" ) )" },
        {
            "{app=\"foo\"} |= \"bar\" | json | latency >= 250ms or ( status_code < 500 and status_code > 200)",
            "{app=\"foo\"} |= \"bar\" | json | ( latency>=250ms or ( status_code<500 , status_code>200 ) )"
        },
        {
            "{app=\"foo\"} | foo=\"bar\" buzz!=\"blip\", blop=~\"boop\" or fuzz==5",
            "{app=\"foo\"} | ( foo=\"bar\" , ( buzz!=\"blip\" , ( blop=~\"boop\" or fuzz==5 ) ) )"
        },
        { "{ foo = \"bar\" }|logfmt|addr=ip(\"1.2.3.4\")|addr!=ip(\"10.0.0.0/8\")", "{foo=\"bar\"} | logfmt | addr=ip(\"1.2.3.4\") | addr!=ip(\"10.0.0.0/8\")" },
        { "{ foo = \"bar\" }|logfmt|ip=\"2.3.4.5\"|ipaddr=ip(\"4.5.6.7\")", "{foo=\"bar\"} | logfmt | ip=\"2.3.4.5\" | ipaddr=ip(\"4.5.6.7\")" },
        { "{app=\"foo\"} | __error__=\"\" | __error_details__!=\"\"", "{app=\"foo\"} | __error__=\"\" | __error_details__!=\"\"" },
        // Regex label filters Loki cannot reduce to literals print in backquotes.
        { "{cluster=\"beep\", namespace=\"boop\"} | msg=~\"\\\\w.*\"", "{cluster=\"beep\", namespace=\"boop\"} | msg=~`\\w.*`" },
        { "{container_name=\"app\"} | foo=~\".*\"", "{container_name=\"app\"} | foo=~\".*\"" },
        { "{a=\"b\"} | x=~\"a|b\" | y=~\"error|err\" | z=~\".*foo.*\" | w!~\"(GET|POST)\"", "{a=\"b\"} | x=~`a|b` | y=~\"error|err\" | z=~\".*foo.*\" | w!~\"(GET|POST)\"" },
        { "{a=\"b\"} | x=~\"a`b+\"", "{a=\"b\"} | x=~\"a`b+\"" },

        // Formatting stages.
        { "{app=\"foo\"} | line_format \"{{.a}} {{ .b | ToUpper }}\"", "{app=\"foo\"} | line_format \"{{.a}} {{ .b | ToUpper }}\"" },
        { "{app=\"foo\"} | label_format a=\"{{.b}}\", c=d", "{app=\"foo\"} | label_format a=\"{{.b}}\",c=d" },
        { "{app=\"foo\"} | drop a, b=\"v\", c=~\"re\"", "{app=\"foo\"} | drop a,b=\"v\",c=~\"re\"" },
        { "{app=\"foo\"} | keep a, b=\"v\"", "{app=\"foo\"} | keep a,b=\"v\"" },
        { "{app=\"foo\"} | drop __error__, __error_details__", "{app=\"foo\"} | drop __error__,__error_details__" },

        // Range aggregations in every accepted shape.
        { "count_over_time({ foo = \"bar\" }[12m])", "count_over_time({foo=\"bar\"}[12m])" },
        { "count_over_time({foo=~`bar\\w+`}[12h] |~ `error\\`)", "count_over_time({foo=~\"bar\\\\w+\"} |~ \"error\\\\\"[12h])" },
        { "count_over_time({foo=\"bar\"}[12h] |= \"error\")", "count_over_time({foo=\"bar\"} |= \"error\"[12h])" },
        { "count_over_time({foo=\"bar\"} |= \"error\" [12h])", "count_over_time({foo=\"bar\"} |= \"error\"[12h])" },
        { "count_over_time(({foo=\"bar\"} |= \"baz\" |~ \"blip\")[5m])", "count_over_time({foo=\"bar\"} |= \"baz\" |~ \"blip\"[5m])" },
        { "count_over_time(({foo=\"bar\"})[5m])", "count_over_time({foo=\"bar\"}[5m])" },
        { "count_over_time(({foo=\"bar\"}[5m]))", "count_over_time({foo=\"bar\"}[5m])" },
        { "count_over_time((({foo=\"bar\"} |= \"x\" [5m])))", "count_over_time({foo=\"bar\"} |= \"x\"[5m])" },
        { "bytes_over_time({ foo = \"bar\" }[12m])", "bytes_over_time({foo=\"bar\"}[12m])" },
        { "bytes_rate({ foo = \"bar\" }[12m])", "bytes_rate({foo=\"bar\"}[12m])" },
        { "rate({ foo = \"bar\" }[5d])", "rate({foo=\"bar\"}[5d])" },
        { "rate({ foo = \"bar\" }[1w])", "rate({foo=\"bar\"}[1w])" },
        { "rate({ foo = \"bar\" }[90s])", "rate({foo=\"bar\"}[1m30s])" },
        { "absent_over_time({ foo = \"bar\" }[1w])", "absent_over_time({foo=\"bar\"}[1w])" },
        { "rate({app=\"x\"}[5m] offset 1h)", "rate({app=\"x\"}[5m] offset 1h0m0s)" },
        { "rate({app=\"x\"}[5m] offset 90s |= \"x\")", "rate({app=\"x\"} |= \"x\"[5m] offset 1m30s)" },
        { "rate({app=\"x\"} | json | unwrap bytes [5m])", "rate({app=\"x\"} | json | unwrap bytes[5m])" },
        { "rate_counter({app=\"x\"} | unwrap total [5m])", "rate_counter({app=\"x\"} | unwrap total[5m])" },
        { "sum_over_time({namespace=\"tns\"} |= \"level=error\" | json |foo>=5,bar<25ms| unwrap bytes(foo) [5m])", "sum_over_time({namespace=\"tns\"} |= \"level=error\" | json | ( foo>=5 , bar<25ms ) | unwrap bytes(foo)[5m])" },
        { "sum_over_time({namespace=\"tns\"} | unwrap latency [5m] offset 5m)", "sum_over_time({namespace=\"tns\"} | unwrap latency[5m] offset 5m0s)" },
        { "stddev_over_time({app=\"foo\"} |= \"bar\" | unwrap bar [5m])", "stddev_over_time({app=\"foo\"} |= \"bar\" | unwrap bar[5m])" },
        { "min_over_time({app=\"foo\"} | unwrap bar [5m]) by ()", "min_over_time({app=\"foo\"} | unwrap bar[5m]) by ()" },
        { "max_over_time({app=\"foo\"} | unwrap bar [5m]) without ()", "max_over_time({app=\"foo\"} | unwrap bar[5m]) without ()" },
        { "max_over_time({app=\"foo\"} | unwrap bar [5m] offset -5m) without (foo,bar)", "max_over_time({app=\"foo\"} | unwrap bar[5m] offset -5m0s) without (foo,bar)" },
        { "max_over_time(({app=\"foo\"} |= \"bar\" | json | unwrap foo )[5m])", "max_over_time({app=\"foo\"} |= \"bar\" | json | unwrap foo[5m])" },
        { "avg_over_time(({app=\"foo\"})[5m] offset 1m | unwrap foo)", "avg_over_time({app=\"foo\"} | unwrap foo[5m] offset 1m0s)" },
        { "avg_over_time({app=\"foo\"}[5m] | unwrap foo)", "avg_over_time({app=\"foo\"} | unwrap foo[5m])" },
        { "avg_over_time({app=\"foo\"}[5m] | json | unwrap duration_seconds(foo))", "avg_over_time({app=\"foo\"} | json | unwrap duration_seconds(foo)[5m])" },
        { "first_over_time({app=\"foo\"} | unwrap duration(foo) | __error__=\"\" [5m]) by (a)", "first_over_time({app=\"foo\"} | unwrap duration(foo) | __error__=\"\"[5m]) by (a)" },
        { "last_over_time({app=\"foo\"} | unwrap foo | __error__ !~\".+\" | x > 1 [5m])", "last_over_time({app=\"foo\"} | unwrap foo | __error__!~\".+\" | x>1[5m])" },
        { "stdvar_over_time({app=\"foo\"} | logfmt | unwrap foo [1m])", "stdvar_over_time({app=\"foo\"} | logfmt | unwrap foo[1m])" },
        {
            "quantile_over_time(0.99998,{app=\"foo\"} |= \"bar\" | json | latency >= 250ms or ( status_code < 500 and status_code > 200)\n\t| line_format \"blip{{ .foo }}blop {{.status_code}}\" | label_format foo=bar,status_code=\"buzz{{.bar}}\" | unwrap foo [5m]) by (namespace,instance)",
            "quantile_over_time(0.99998,{app=\"foo\"} |= \"bar\" | json | ( latency>=250ms or ( status_code<500 , status_code>200 ) ) | line_format \"blip{{ .foo }}blop {{.status_code}}\" | label_format foo=bar,status_code=\"buzz{{.bar}}\" | unwrap foo[5m]) by (namespace,instance)"
        },
        { "quantile_over_time(.99,{app=\"foo\"} | unwrap foo [5m])", "quantile_over_time(0.99,{app=\"foo\"} | unwrap foo[5m])" },

        // Vector aggregations.
        { "sum(rate({ foo = \"bar\" }[5h]))", "sum(rate({foo=\"bar\"}[5h]))" },
        { "avg(count_over_time({ foo = \"bar\" }[5h])) by (bar,foo)", "avg by (bar,foo)(count_over_time({foo=\"bar\"}[5h]))" },
        { "avg(count_over_time({ foo = \"bar\" }[5h])) by ()", "avg(count_over_time({foo=\"bar\"}[5h]))" },
        { "max without (bar) (count_over_time({ foo = \"bar\" }[5h]))", "max without (bar)(count_over_time({foo=\"bar\"}[5h]))" },
        { "max without () (count_over_time({ foo = \"bar\" }[5h]))", "max without ()(count_over_time({foo=\"bar\"}[5h]))" },
        { "topk(10,count_over_time({ foo = \"bar\" }[5h])) without (bar)", "topk without (bar)(10,count_over_time({foo=\"bar\"}[5h]))" },
        { "bottomk(30 ,sum(rate({ foo = \"bar\" }[5h])) by (foo))", "bottomk(30,sum by (foo)(rate({foo=\"bar\"}[5h])))" },
        { "max( sum(count_over_time({ foo = \"bar\" }[5h])) without (foo,bar) ) by (foo)", "max by (foo)(sum without (foo,bar)(count_over_time({foo=\"bar\"}[5h])))" },
        { "count(rate({a=\"b\"}[1m]))", "count(rate({a=\"b\"}[1m]))" },
        { "stddev(rate({a=\"b\"}[1m])) + stdvar(rate({a=\"b\"}[1m]))", "(stddev(rate({a=\"b\"}[1m])) + stdvar(rate({a=\"b\"}[1m])))" },
        { "sort(rate({a=\"b\"}[1m]))", "sort(rate({a=\"b\"}[1m]))" },
        { "sort_desc by () (rate({a=\"b\"}[1m]))", "sort_desc(rate({a=\"b\"}[1m]))" },
        { "approx_topk(5, rate({a=\"b\"}[1m]))", "approx_topk(5,rate({a=\"b\"}[1m]))" },
        { "sum(vector(0))", "sum(vector(0.000000))" },
        { "sum(3)", "sum(3)" },
        { "SUM BY (a) (RATE({a=\"b\"}[1m]))", "sum by (a)(rate({a=\"b\"}[1m]))" },

        // Binary operators, precedence, matching, literal folding.
        { "vector(1)+vector(1)", "(vector(1.000000) + vector(1.000000))" },
        { "count_over_time({ foo = \"bar\" }[12m]) > 1", "(count_over_time({foo=\"bar\"}[12m]) > 1)" },
        { "count_over_time({ foo = \"bar\" }[12m]) or count_over_time({ foo = \"bar\" }[12m]) > 1", "(count_over_time({foo=\"bar\"}[12m]) or (count_over_time({foo=\"bar\"}[12m]) > 1))" },
        { "sum(rate({a=\"b\"}[1m])) / sum(rate({a=\"b\"}[1m])) / sum(rate({a=\"b\"}[1m]))", "((sum(rate({a=\"b\"}[1m])) / sum(rate({a=\"b\"}[1m]))) / sum(rate({a=\"b\"}[1m])))" },
        { "rate({a=\"b\"}[1m]) ^ rate({a=\"b\"}[1m]) ^ rate({a=\"b\"}[1m])", "(rate({a=\"b\"}[1m]) ^ (rate({a=\"b\"}[1m]) ^ rate({a=\"b\"}[1m])))" },
        { "rate({a=\"b\"}[1m]) + rate({a=\"b\"}[1m]) * 2", "(rate({a=\"b\"}[1m]) + (rate({a=\"b\"}[1m]) * 2))" },
        { "(rate({a=\"b\"}[1m]) + rate({a=\"b\"}[1m])) * 2", "((rate({a=\"b\"}[1m]) + rate({a=\"b\"}[1m])) * 2)" },
        { "rate({a=\"b\"}[1m]) and rate({a=\"b\"}[1m]) unless rate({a=\"b\"}[1m])", "((rate({a=\"b\"}[1m]) and rate({a=\"b\"}[1m])) unless rate({a=\"b\"}[1m]))" },
        { "rate({a=\"b\"}[1m]) % 3 == bool 1", "((rate({a=\"b\"}[1m]) % 3) == bool 1)" },
        { "rate({a=\"b\"}[1m]) != 0 <= 5 >= 1 < 3", "((((rate({a=\"b\"}[1m]) != 0) <= 5) >= 1) < 3)" },
        { "sum(rate({a=\"b\"}[1m])) by (app,machine) > bool on () group_right (app) sum by (app) (rate({a=\"b\"}[1m]))", "(sum by (app,machine)(rate({a=\"b\"}[1m])) > bool on () group_right (app) sum by (app)(rate({a=\"b\"}[1m])))" },
        { "sum(rate({a=\"b\"}[1m])) + ignoring (bar) group_left (foo) sum(rate({a=\"b\"}[1m]))", "(sum(rate({a=\"b\"}[1m])) + ignoring (bar) group_left (foo) sum(rate({a=\"b\"}[1m])))" },
        { "sum(rate({a=\"b\"}[1m])) + on (foo) sum(rate({a=\"b\"}[1m]))", "(sum(rate({a=\"b\"}[1m])) + on (foo)  sum(rate({a=\"b\"}[1m])))" },
        { "sum(rate({a=\"b\"}[1m])) * on (a, b) group_left sum(rate({a=\"b\"}[1m]))", "(sum(rate({a=\"b\"}[1m])) * on (a,b) group_left sum(rate({a=\"b\"}[1m])))" },
        { "sum(rate({a=\"b\"}[1m])) + ignoring () group_left () sum(rate({a=\"b\"}[1m]))", "(sum(rate({a=\"b\"}[1m])) + sum(rate({a=\"b\"}[1m])))" },
        { "sum(count_over_time({foo=\"bar\"}[5m])) by (foo) + 1 / 2", "(sum by (foo)(count_over_time({foo=\"bar\"}[5m])) + 0.5)" },
        { "1 + 1 + 1", "3" },
        { "1 + -2 / 1", "-1" },
        { "1 + 1 - -1", "3" },
        { "2 ^ 3 ^ 2", "512" },
        { "1 == 1", "1" },
        { "1 > 1 > bool 1", "0" },
        { "1 > 1 < 1", "1" },
        { "3.5", "3.5" },
        { "-5", "-5" },
        { "+5", "5" },
        { "1e6", "1e+06" },
        { "0.000001", "1e-06" },
        { "(((1)))", "1" },
        {
            "sum by (job) (\n\tcount_over_time({namespace=\"tns\"} |= \"level=error\"[5m])\n/\n\tcount_over_time({namespace=\"tns\"}[5m])\n) * 100",
            "(sum by (job)((count_over_time({namespace=\"tns\"} |= \"level=error\"[5m]) / count_over_time({namespace=\"tns\"}[5m]))) * 100)"
        },

        // label_replace and vector.
        { "label_replace(rate({a=\"b\"}[5m]), \"dst\", \"$1\", \"src\", \"(.*)\")", "label_replace(rate({a=\"b\"}[5m]),\"dst\",\"$1\",\"src\",\"(.*)\")" },
        { "label_replace(vector(0), \"foo\", \"bar\", \"\", \"\")", "label_replace(vector(0.000000),\"foo\",\"bar\",\"\",\"\")" },
        { "vector(1.5)", "vector(1.500000)" },

        // What Grafana sends.
        { "sum by (level, detected_level) (count_over_time({app=\"x\"} |= \"err\" | drop __error__ [1m]))", "sum by (level,detected_level)(count_over_time({app=\"x\"} |= \"err\" | drop __error__[1m]))" },
        { "sum(rate({job=\"a\"} | json | unwrap duration_ms | __error__=\"\" [5m])) by (pod)", "sum by (pod)(rate({job=\"a\"} | json | unwrap duration_ms | __error__=\"\"[5m]))" },
        { "topk(5, sum by (pod) (bytes_over_time({ns=\"a\"}[1h])))", "topk(5,sum by (pod)(bytes_over_time({ns=\"a\"}[1h])))" },
        { "sum by (level) (count_over_time({service_name=\"api\"} | detected_level=~\"error|warn\" [1m]))", "sum by (level)(count_over_time({service_name=\"api\"} | detected_level=~\"error|warn\"[1m]))" },
        {
            "sum(rate({cluster=\"beep\", namespace=\"boop\"} | msg=~`.*?(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /loki/api/(?i)(\\d+[a-z]|[a-z]+\\d)\\w*/query_range`[1d]))",
            "sum(rate({cluster=\"beep\", namespace=\"boop\"} | msg=~`.*?(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /loki/api/(?i)(\\d+[a-z]|[a-z]+\\d)\\w*/query_range`[1d]))"
        },
    };

    [Theory]
    [MemberData(nameof(Printed))]
    public void PrintsLokisCanonicalForm(string input, string expected)
    {
        string printed = LogQLPrinter.Format(LogQLParser.ParseExpr(input));
        Assert.Equal(expected, printed);
        Assert.Equal(expected, LogQLPrinter.Format(LogQLParser.ParseExpr(printed)));
        Assert.Equal(expected, LogQLPrinter.Format(LogQLParser.ParseExpr(LogQLPrinter.Prettify(LogQLParser.ParseExpr(input)))));
    }
}
