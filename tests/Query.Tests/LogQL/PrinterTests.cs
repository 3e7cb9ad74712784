using Strata.Query.LogQL;

namespace Strata.Query.Tests.LogQL;

public sealed class PrinterTests
{
    // input -> LogQLPrinter.Prettify, what /loki/api/v1/format_query answers.
    public static TheoryData<string, string> Pretty => new()
    {
        // Up to 100 bytes everything stays on one line, in the String() form.
        { "sum(rate({app=\"x\"}[5m])) by (pod)", "sum by (pod)(rate({app=\"x\"}[5m]))" },
        { "vector(1)+vector(1)", "(vector(1.000000) + vector(1.000000))" },
        {
            "{app=\"loki\", namespace=\"loki-dev-005\", cluster=\"dev-us-central-0\"} |= \"error\" | logfmt | level=\"error\" | line_format \"{{.msg}}\"",
            """
            {app="loki", namespace="loki-dev-005", cluster="dev-us-central-0"}
              |= "error"
              | logfmt
              | level="error"
              | line_format "{{.msg}}"
            """
        },
        {
            "sum by (pod, container) (count_over_time({app=\"loki\", namespace=\"loki-dev-005\", cluster=\"dev-us-central-0\"} |= \"error\" | logfmt | level=\"error\" [5m]))",
            """
            sum by (pod, container)(
              count_over_time(
                {app="loki", namespace="loki-dev-005", cluster="dev-us-central-0"}
                  |= "error"
                  | logfmt
                  | level="error" [5m]
              )
            )
            """
        },
        {
            // The inner call fits on its line, so only the outer one is split.
            "sum by (pod, container) (count_over_time({app=\"loki\", namespace=\"loki-dev-005\"} |= \"error\" | logfmt | level=\"error\" [5m]))",
            """
            sum by (pod, container)(
              count_over_time({app="loki", namespace="loki-dev-005"} |= "error" | logfmt | level="error"[5m])
            )
            """
        },
        {
            "quantile_over_time(0.99, {app=\"loki\", namespace=\"loki-dev-005\"} | json | unwrap duration(latency) | __error__=\"\" [5m] offset 1h) by (pod)",
            """
            quantile_over_time(
              0.99,
              {app="loki", namespace="loki-dev-005"} | json
                | unwrap duration(latency)
                | __error__="" [5m] offset 1h
            ) by (pod)
            """
        },
        {
            "topk(10, sum by (namespace, pod) (rate({cluster=\"dev-us-central-0\", namespace=~\"loki.*\", container=\"ingester\"} |= \"level=error\" [1m])))",
            """
            topk(
              10,
              sum by (namespace, pod)(
                rate({cluster="dev-us-central-0", namespace=~"loki.*", container="ingester"} |= "level=error"[1m])
              )
            )
            """
        },
        {
            "sum(rate({app=\"loki\", namespace=\"loki-dev-005\"} |= \"error\" [5m])) / sum(rate({app=\"loki\", namespace=\"loki-dev-005\"}[5m]))",
            """
              sum(rate({app="loki", namespace="loki-dev-005"} |= "error"[5m]))
            /
              sum(rate({app="loki", namespace="loki-dev-005"}[5m]))
            """
        },
        {
            "sum by (a) (rate({app=\"loki\"}[5m])) * on (a, b) group_left (c) sum by (a, b, c) (rate({app=\"loki\", namespace=\"dev\"}[5m]))",
            """
              sum by (a)(rate({app="loki"}[5m]))
            * on (a, b) group_left (c)
              sum by (a,b,c)(rate({app="loki", namespace="dev"}[5m]))
            """
        },
        {
            "label_replace(rate({app=\"loki\", namespace=\"loki-dev-005\", cluster=\"dev-us-central-0\"}[5m]), \"dst\", \"$1\", \"src\", \"(.*)\")",
            """
            label_replace(
              rate({app="loki", namespace="loki-dev-005", cluster="dev-us-central-0"}[5m]),
              "dst",
              "$1",
              "src",
              "(.*)"
            )
            """
        },
        {
            // Loki's prettier forgets to indent decolorize.
            "{app=\"loki\", namespace=\"loki-dev-005\", cluster=\"dev-us-central-0\"} | json | decolorize | line_format \"{{.msg}}\"",
            """
            {app="loki", namespace="loki-dev-005", cluster="dev-us-central-0"}
              | json
            | decolorize
              | line_format "{{.msg}}"
            """
        },
        {
            // Consecutive line filters are one stage: one line while it fits, then split from the end.
            "{app=\"loki\"} |= \"aaaaaaaaaaaaaaaaaaaa\" |= \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\" != \"cccccccccccccccccccc\" or \"dddddddddd\" | json",
            """
            {app="loki"}
              |= "aaaaaaaaaaaaaaaaaaaa" |= "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" != "cccccccccccccccccccc"
              != "dddddddddd"
              | json
            """
        },
        {
            // Where Loki's prettier would drop needed parentheses they are kept.
            "sum(rate({app=\"loki\", namespace=\"loki-dev-005\"}[5m])) * (sum(rate({app=\"loki\", namespace=\"loki-dev-005-aaaa\"}[5m])) + sum(rate({app=\"loki\", namespace=\"loki-dev-005-bbbb\"}[5m])))",
            """
              sum(rate({app="loki", namespace="loki-dev-005"}[5m]))
            *
              (
                  sum(rate({app="loki", namespace="loki-dev-005-aaaa"}[5m]))
                +
                  sum(rate({app="loki", namespace="loki-dev-005-bbbb"}[5m]))
              )
            """
        },
        {
            // Loki's prettier drops `on ()`; it is kept.
            "sum(rate({a=\"b\"}[1m])) by (app,machine) > bool on () group_right (app) sum by (app) (rate({a=\"b\"}[1m]))",
            """
              sum by (app,machine)(rate({a="b"}[1m]))
            > bool on () group_right (app)
              sum by (app)(rate({a="b"}[1m]))
            """
        },
        {
            "max_over_time({app=\"loki\", namespace=\"loki-dev-005\", cluster=\"dev-us-central-0\"} | unwrap latency [5m] offset -5m) by ()",
            """
            max_over_time(
              {app="loki", namespace="loki-dev-005", cluster="dev-us-central-0"}
                | unwrap latency [5m] offset -5m
            ) by ()
            """
        },
        {
            "sum without () (rate({app=\"loki\", namespace=\"loki-dev-005\", cluster=\"dev-us-central-0\", container=\"x\"}[5m]))",
            """
            sum without ()(
              rate({app="loki", namespace="loki-dev-005", cluster="dev-us-central-0", container="x"}[5m])
            )
            """
        },
    };

    [Theory]
    [MemberData(nameof(Pretty))]
    public void PrettifiesLikeLoki(string input, string expected)
    {
        var expr = LogQLParser.ParseExpr(input);
        string pretty = LogQLPrinter.Prettify(expr);
        Assert.Equal(expected.ReplaceLineEndings("\n"), pretty);
        Assert.Equal(LogQLPrinter.Format(expr), LogQLPrinter.Format(LogQLParser.ParseExpr(pretty)));
    }

    [Theory]
    [InlineData("{a=\"b\"} | json", "| json")]
    [InlineData("{a=\"b\"} |= \"x\" or \"y\"", "|= \"x\" or \"y\"")]
    [InlineData("{a=\"b\"} | x > 1 or y=\"z\"", "| ( x>1 or y=\"z\" )")]
    public void FormatsStages(string query, string expected) =>
        Assert.Equal(expected, LogQLPrinter.Format(LogQLParser.ParseSelector(query).Stages[0]));
}
