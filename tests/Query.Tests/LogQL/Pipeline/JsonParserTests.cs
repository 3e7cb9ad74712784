using Strata.Query.LogQL.Pipeline;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class JsonParserTests
{
    // The example from the Loki documentation (LogQL → Parser expression → JSON).
    private const string DocsLine =
        "{\"protocol\":\"HTTP/2.0\",\"servers\":[\"129.0.1.1\",\"10.2.1.3\"],\"request\":{\"time\":\"6.032\",\"method\":\"GET\",\"host\":\"foo.grafana.net\",\"size\":\"55\",\"headers\":{\"Accept\":\"*/*\",\"User-Agent\":\"curl/7.68.0\"}},\"response\":{\"status\":401,\"size\":\"228\",\"latency_seconds\":\"6.031\"}}";

    public static TheoryData<string, string, string> Cases => new()
    {
        {
            DocsLine, "",
            "{protocol=\"HTTP/2.0\", request_headers_Accept=\"*/*\", request_headers_User_Agent=\"curl/7.68.0\", request_host=\"foo.grafana.net\", request_method=\"GET\", request_size=\"55\", request_time=\"6.032\", response_latency_seconds=\"6.031\", response_size=\"228\", response_status=\"401\"}"
        },
        // Numbers keep their text, booleans are true/false, null and arrays are skipped.
        { "{\"n\":1.50,\"e\":-2e3,\"b\":true,\"f\":false,\"z\":null,\"arr\":[1,{\"x\":1}]}", "", "{b=\"true\", e=\"-2e3\", f=\"false\", n=\"1.50\"}" },
        // Escapes are decoded, including surrogate pairs; an invalid escape gives an empty value.
        { "{\"m\":\"say \\\"hi\\\"\\n\\u00e9\\ud83d\\ude00\",\"bad\":\"\\x\"}", "", "{bad=\"\", m=\"say \"hi\"\né😀\"}" },
        // Key sanitising: dots, dashes, spaces, a leading digit, and nesting.
        { "{\"a.b\":{\"c-d\":\"x\"},\" sp ace \":1,\"1st\":2,\"o\":{\"2nd\":3}}", "", "{_1st=\"2\", a_b_c_d=\"x\", o_2nd=\"3\", sp_ace=\"1\"}" },
        // A collision with a stream label gets _extracted, also for nested keys.
        { "{\"app\":\"parsed\",\"k\":{\"v\":1}}", "app=stream,k_v=s", "{app=\"stream\", app_extracted=\"parsed\", k_v=\"s\", k_v_extracted=\"1\"}" },
        // The last duplicate key wins.
        { "{\"a\":\"1\",\"a\":\"2\"}", "", "{a=\"2\"}" },
        // Empty strings are kept as empty labels.
        { "{\"a\":\"\"}", "", "{a=\"\"}" },
        // Whitespace around tokens and trailing bytes after the object are accepted, as jsonparser does.
        { "  { \"a\" : \"x\" , \"b\" :2 }  trailing", "", "{a=\"x\", b=\"2\"}" },
        { "{}", "job=x", "{job=\"x\"}" },
        // Escaped keys are unescaped before sanitising; deep nesting flattens all the way down.
        { "{\"a\\\"b\":1,\"x\":{\"y\":{\"z\":{\"w\":\"deep\"}}}}", "", "{a_b=\"1\", x_y_z_w=\"deep\"}" },
        // Arrays of objects are not descended into.
        { "{\"items\":[{\"id\":1},{\"id\":2}],\"n\":2}", "", "{n=\"2\"}" },
        // Strings containing braces and escaped quotes do not confuse nested-object delimiting.
        { "{\"o\":{\"s\":\"} \\\" {\"},\"after\":\"ok\"}", "", "{after=\"ok\", o_s=\"} \" {\"}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json(string line, string stream, string expected)
    {
        var r = Run(line, stream, JsonParser.Instance);
        Assert.True(r.Kept);
        Assert.Equal(expected, r.Labels);
        Assert.Equal(line, r.Line);
    }

    public static TheoryData<string, string> ErrorCases => new()
    {
        { "not json", "Value looks like object, but can't find closing '}' symbol" },
        { "", "Value looks like object, but can't find closing '}' symbol" },
        { "[1,2]", "Value looks like object, but can't find closing '}' symbol" },
        { "{\"a\":\"x\",\"b\":", "Malformed JSON error" },
        { "{\"a\":\"unterminated}", "Value is string, but can't find closing '\"' symbol" },
        { "{\"a\":tru}", "Unknown value type" },
        // The nested object is complete, so its member is read; then the outer object has no end.
        { "{\"a\":{\"b\":1}", "Value is array, but can't find closing ']' symbol" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Malformed_json_sets_error_and_keeps_line(string line, string details)
    {
        var r = Run(line, "app=x", JsonParser.Instance);
        Assert.True(r.Kept);
        Assert.Equal(line, r.Line);
        Assert.Equal(PipelineErrors.JsonParser, r.Entry.Error);
        Assert.Equal(details, r.Entry.ErrorDetails);
    }

    [Fact]
    public void Members_before_a_syntax_error_are_kept()
    {
        var r = Run("{\"a\":\"1\",\"b\":tru}", "", JsonParser.Instance);
        Assert.Equal("{__error__=\"JSONParserErr\", __error_details__=\"Unknown value type\", a=\"1\"}", r.Labels);
    }

    [Fact]
    public void Invalid_utf8_in_values_becomes_spaces()
    {
        var entry = new LogLine();
        byte[] line = [.. "{\"a\":\"x"u8, 0xFF, .. "y\"}"u8];
        entry.Reset(Strata.Storage.Labels.LabelSet.Empty, 0, line);
        JsonParser.Instance.Process(entry);
        Assert.True(entry.TryGet("a", out var v));
        Assert.Equal("x y", v);
    }

    public static TheoryData<string, (string, string)[], string> ExpressionCases => new()
    {
        // Loki documentation examples.
        { DocsLine, [("first_server", "servers[0]"), ("ua", "request.headers[\"User-Agent\"]")], "{first_server=\"129.0.1.1\", ua=\"curl/7.68.0\"}" },
        { DocsLine, [("server_list", "servers"), ("headers", "request.headers")], "{headers=\"{\"Accept\":\"*/*\",\"User-Agent\":\"curl/7.68.0\"}\", server_list=\"[\"129.0.1.1\",\"10.2.1.3\"]\"}" },
        { DocsLine, [("status", "response.status"), ("missing", "response.nope")], "{missing=\"\", status=\"401\"}" },
        { "{\"a.b\":{\"c\":\"x\"},\"n\":null}", [("v", "[\"a.b\"].c"), ("n", "n")], "{n=\"\", v=\"x\"}" },
        { "[{\"a\":1},{\"a\":2}]", [("second", "[1].a")], "{second=\"2\"}" },
        { "{\"app\":\"x\"}", [("app", "app")], "{app=\"stream\", app_extracted=\"x\"}" },
    };

    [Theory]
    [MemberData(nameof(ExpressionCases))]
    public void Json_with_expressions(string line, (string, string)[] exprs, string expected)
    {
        var stream = line.Contains("\"app\"", StringComparison.Ordinal) ? "app=stream" : "";
        var r = Run(line, stream, new JsonExpressionParser(exprs));
        Assert.Equal(expected, r.Labels);
    }

    [Fact]
    public void Json_expression_on_non_json_line_sets_error_without_labels()
    {
        var r = Run("plain text", "", new JsonExpressionParser([("a", "a")]));
        Assert.Equal("{__error__=\"JSONParserErr\"}", r.Labels);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("a[1.5]")]
    [InlineData("[a]")]
    [InlineData(".a")]
    public void Invalid_json_expression_is_a_query_error(string expr) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => new JsonExpressionParser([("x", expr)]));

    public static TheoryData<string, string, string, string> UnpackCases => new()
    {
        // Loki documentation example.
        { "{\"container\":\"myapp\",\"pod\":\"pod-3223f\",\"_entry\":\"original log message\"}", "", "original log message", "{container=\"myapp\", pod=\"pod-3223f\"}" },
        // Escapes in the entry are decoded; non-string members are ignored; collisions get _extracted.
        { "{\"_entry\":\"a \\\"quoted\\\" line\",\"n\":1,\"app\":\"x\"}", "app=s", "a \"quoted\" line", "{app=\"s\", app_extracted=\"x\"}" },
        // Without _entry nothing is extracted and the line stays.
        { "{\"a\":\"b\"}", "", "{\"a\":\"b\"}", "{}" },
        // Not an object: error, line kept.
        { "plain", "", "plain", "{__error__=\"JSONParserErr\", __error_details__=\"expecting json object(6), but it is not\"}" },
    };

    [Theory]
    [MemberData(nameof(UnpackCases))]
    public void Unpack(string line, string stream, string expectedLine, string expectedLabels)
    {
        var r = Run(line, stream, UnpackParser.Instance);
        Assert.Equal(expectedLine, r.Line);
        Assert.Equal(expectedLabels, r.Labels);
    }
}
