using Strata.Query.PromQL;

namespace Strata.Query.Tests.PromQL;

public sealed class PrinterTests
{
    public static TheoryData<string, string> Pretty => new()
    {
        // Short queries print exactly like Format.
        { "sum(rate(foo[5m])) by (job)", "sum by (job) (rate(foo[5m]))" },
        {
            "sum by (job, instance) (rate(http_requests_total{job=\"prometheus\", instance=\"localhost:9090\", handler=\"/api/v1/query\"}[5m])) / on (job) group_left sum by (job) (rate(http_requests_total{job=\"prometheus\"}[5m]))",
            """
              sum by (job, instance) (
                rate(http_requests_total{handler="/api/v1/query",instance="localhost:9090",job="prometheus"}[5m])
              )
            / on (job) group_left ()
              sum by (job) (rate(http_requests_total{job="prometheus"}[5m]))
            """
        },
        {
            "topk(5, sum by (a_very_long_label_name_number_one, a_very_long_label_name_number_two) (some_metric_with_a_long_name_total))",
            """
            topk(
              5,
              sum by (a_very_long_label_name_number_one, a_very_long_label_name_number_two) (
                some_metric_with_a_long_name_total
              )
            )
            """
        },
        {
            "-sum(rate(http_requests_total{job=\"prometheus\", instance=\"localhost:9090\", handler=\"/api/v1/query_range\"}[5m]))",
            """
            -sum(
              rate(
                http_requests_total{handler="/api/v1/query_range",instance="localhost:9090",job="prometheus"}[5m]
              )
            )
            """
        },
        {
            "rate(http_requests_total{job=\"prometheus\", instance=\"localhost:9090\", handler=\"/api/v1/query_range\"}[5m])[30m:1m]",
            """
            rate(
              http_requests_total{handler="/api/v1/query_range",instance="localhost:9090",job="prometheus"}[5m]
            )[30m:1m]
            """
        },
        {
            "label_replace(http_requests_total{job=\"prometheus\", instance=\"localhost:9090\"}, \"dst\", \"$1\", \"instance\", \"(.*):.*\")",
            """
            label_replace(
              http_requests_total{instance="localhost:9090",job="prometheus"},
              "dst",
              "$1",
              "instance",
              "(.*):.*"
            )
            """
        },
    };

    [Theory]
    [MemberData(nameof(Pretty))]
    public void PrettifiesLongQueries(string input, string expected)
    {
        string pretty = PromQLPrinter.Prettify(PromQLParser.ParseExpr(input));
        Assert.Equal(expected.ReplaceLineEndings("\n"), pretty);
        // The multi-line form parses back to the same query.
        Assert.Equal(PromQLPrinter.Format(PromQLParser.ParseExpr(input)), PromQLPrinter.Format(PromQLParser.ParseExpr(pretty)));
    }

    public static TheoryData<double, string> Floats => new()
    {
        { 0, "0" },
        { 1, "1" },
        { -1.5, "-1.5" },
        { 0.1, "0.1" },
        { 1e21, "1000000000000000000000" },
        { 1.5e-7, "0.00000015" },
        { 123456789.125, "123456789.125" },
        { double.PositiveInfinity, "+Inf" },
        { double.NegativeInfinity, "-Inf" },
        { double.NaN, "NaN" },
    };

    [Theory]
    [MemberData(nameof(Floats))]
    public void FormatsFloatsLikeGo(double value, string expected) => Assert.Equal(expected, GoText.FormatFloat(value));

    public static TheoryData<double, string> FloatsG => new()
    {
        { 0, "0" },
        { 30, "30" },
        { 123456, "123456" },
        { 1e6, "1e+06" },
        { 1234567, "1.234567e+06" },
        { 0.0001, "0.0001" },
        { 0.00001, "1e-05" },
        { -2.5, "-2.5" },
        { double.PositiveInfinity, "+Inf" },
    };

    [Theory]
    [MemberData(nameof(FloatsG))]
    public void FormatsFillValuesLikeGoPercentV(double value, string expected) => Assert.Equal(expected, GoText.FormatG(value));

    public static TheoryData<string, string> Quoted => new()
    {
        { "plain", "\"plain\"" },
        { "a\"b\\c", "\"a\\\"b\\\\c\"" },
        { "\n\t\r\a\b\f\v", "\"\\n\\t\\r\\a\\b\\f\\v\"" },
        { "\u0001\u007f", "\"\\x01\\x7f\"" },
        { "é☺😀", "\"é☺😀\"" },
        { "\u00a0\u200b", "\"\\u00a0\\u200b\"" },
        { "\uFFFD", "\"\\ufffd\"" },
    };

    [Theory]
    [MemberData(nameof(Quoted))]
    public void QuotesLikeGoStrconv(string value, string expected) => Assert.Equal(expected, GoText.Quote(value));

    public static TheoryData<string, long> Durations => new()
    {
        { "0", 0 },
        { "0s", 0 },
        { "1ms", 1 },
        { "1s", 1000 },
        { "1m30s", 90_000 },
        { "1h30m", 5_400_000 },
        { "2d", 172_800_000 },
        { "1w", 604_800_000 },
        { "1y", 31_536_000_000 },
        { "1y2w3d4h5m6s7ms", 31_536_000_000 + 1_209_600_000 + 259_200_000 + 14_400_000 + 300_000 + 6_000 + 7 },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void ParsesDurations(string text, long milliseconds)
    {
        Assert.True(PromDuration.TryParse(text, out long ms, out string? error), error);
        Assert.Equal(milliseconds, ms);
    }

    public static TheoryData<string, string> BadDurations => new()
    {
        { "", "empty duration string" },
        { "5", "not a valid duration string: \"5\"" },
        { "m", "not a valid duration string: \"m\"" },
        { "5m1h", "not a valid duration string: \"5m1h\"" },
        { "5m5m", "not a valid duration string: \"5m5m\"" },
        { "1.5h", "unknown unit \".\" in duration \"1.5h\"" },
        { "5x", "unknown unit \"x\" in duration \"5x\"" },
        { "300y", "duration out of range" },
    };

    [Theory]
    [MemberData(nameof(BadDurations))]
    public void RejectsBadDurations(string text, string message)
    {
        Assert.False(PromDuration.TryParse(text, out _, out string? error));
        Assert.Equal(message, error);
    }

    public static TheoryData<long, string> DurationTexts => new()
    {
        { 0, "0s" },
        { 1, "1ms" },
        { 90_000, "1m30s" },
        { 5_400_000, "1h30m" },
        { 7_776_000_000, "90d" },
        { 1_209_600_000, "2w" },
        { 31_536_000_000, "1y" },
        { 31_536_000_001, "365d1ms" },
        { 3_661_001, "1h1m1s1ms" },
    };

    [Theory]
    [MemberData(nameof(DurationTexts))]
    public void FormatsDurationsLikeModelDuration(long milliseconds, string expected) =>
        Assert.Equal(expected, PromDuration.Format(milliseconds));

    [Fact]
    public void FunctionTableMatchesPrometheus()
    {
        Assert.Equal(90, PromQLFunctions.All.Count);
        Assert.Null(PromQLFunctions.Lookup("holt_winters"));
        Assert.Null(PromQLFunctions.Lookup("Rate"));

        var rate = PromQLFunctions.Lookup("rate")!;
        Assert.Equal([ValueKind.Matrix], rate.ArgKinds);
        Assert.Equal(ValueKind.Vector, rate.ReturnKind);
        Assert.False(rate.Experimental);

        var labelJoin = PromQLFunctions.Lookup("label_join")!;
        Assert.Equal(-1, labelJoin.Variadic);
        Assert.Equal(4, labelJoin.ArgKinds.Length);

        var round = PromQLFunctions.Lookup("round")!;
        Assert.Equal(1, round.Variadic);

        Assert.Equal(ValueKind.Scalar, PromQLFunctions.Lookup("scalar")!.ReturnKind);
        foreach (var name in new[] { "info", "sort_by_label", "double_exponential_smoothing", "mad_over_time", "ts_of_max_over_time", "first_over_time", "histogram_quantiles", "step", "min_of" })
        {
            Assert.True(PromQLFunctions.Lookup(name)!.Experimental, name);
        }
    }
}
