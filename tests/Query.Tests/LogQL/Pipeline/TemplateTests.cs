using Strata.Query.LogQL.Pipeline;
using static Strata.Query.Tests.LogQL.Pipeline.PipelineRunner;

namespace Strata.Query.Tests.LogQL.Pipeline;

public class TemplateTests
{
    // Entry labels: stream app=api, parsed from the line below by logfmt.
    private const string Line = "level=error path=\"/api/v1/query range\" status=503 duration=1.5s size=2KiB msg=\"Hello World\" count=7 ratio=0.25 empty=\"\" ts=2023-11-14T22:13:20Z ua=curl%2F7.68";

    private static string Format(string template)
    {
        var r = Run(Line, "app=api", new LogfmtParser(keepEmpty: true), new LineFormat(template));
        Assert.True(r.Kept);
        Assert.Null(r.Entry.ErrorDetails);
        return r.Line!;
    }

    public static TheoryData<string, string> Cases => new()
    {
        // Fields, whitespace, text.
        { "{{.level}}", "error" },
        { "{{ .level }} {{.app}}", "error api" },
        { "[{{.level}}] {{.msg}}", "[error] Hello World" },
        { "{{.missing}}|", "|" },
        { "{{.}}", "map[app:api count:7 duration:1.5s empty: level:error msg:Hello World path:/api/v1/query range ratio:0.25 size:2KiB status:503 ts:2023-11-14T22:13:20Z ua:curl%2F7.68]" },
        { "a {{- \" b \" -}} c", "a b c" },
        { "x{{/* comment */}}y", "xy" },
        // Pipes and string functions (Loki docs examples).
        { "{{ .path | replace \" \" \"_\" | trunc 5 | upper }}", "/API/" },
        { "{{.level | ToUpper}}", "ERROR" },
        { "{{ToUpper \"This is a string\" | ToLower}}", "this is a string" },
        { "{{ Replace \"This is a string\" \" \" \"-\" -1 }}", "This-is-a-string" },
        { "{{ Replace \"aaa\" \"a\" \"b\" 2 }}", "bba" },
        { "{{ .msg | lower }} {{ .msg | title }} {{ Title \"hello wide_world\" }}", "hello world Hello World Hello Wide_world" },
        { "{{ trim \"  x  \" }}|{{ TrimSpace \" y \" }}|{{ trimAll \"$\" \"$5.00$\" }}|{{ trimPrefix \"/\" .path }}|{{ trimSuffix \"ge\" .path }}", "x|y|5.00|api/v1/query range|/api/v1/query ran" },
        { "{{ Trim \"xxhixx\" \"x\" }} {{ TrimLeft \"xxhixx\" \"x\" }} {{ TrimRight \"xxhixx\" \"x\" }} {{ TrimPrefix .path \"/api\" }} {{ TrimSuffix .msg \"World\" }}", "hi hixx xxhi /v1/query range Hello " },
        { "{{ substr 0 5 \"hello world\" }}|{{ substr 6 11 \"hello world\" }}|{{ substr -1 3 \"héllo\" }}", "hello|world|hél" },
        { "{{ trunc 5 \"hello world\" }}|{{ trunc -5 \"hello world\" }}|{{ trunc 20 \"hi\" }}", "hello|world|hi" },
        { "{{ alignLeft 5 \"hello world\" }}|{{ alignLeft 5 \"hi\" }}|{{ alignRight 5 \"hello world\" }}|{{ alignRight 5 \"hi\" }}", "hello|hi   |world|   hi" },
        { "{{ indent 2 \"a\\nb\" }}|{{ nindent 2 \"a\" }}", "  a\n  b|\n  a" },
        { "{{ repeat 3 \"ab\" }}", "ababab" },
        { "{{ if contains \"Hello\" .msg }}yes{{ end }}", "yes" },
        { "{{ if hasPrefix \"/api\" .path }}api{{ end }}{{ if hasSuffix \"x\" .path }}x{{ end }}", "api" },
        { "{{ \"hello\" | b64enc }} {{ \"aGVsbG8=\" | b64dec }} {{ b64dec \"!!\" }}", "aGVsbG8= hello illegal base64 data at input byte 0" },
        { "{{ urlencode .path }} {{ urldecode .ua }}", "%2Fapi%2Fv1%2Fquery+range curl/7.68" },
        { "{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}", "-W-xxW-" },
        { "{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\" }}", "---" },
        { "{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}", "-${1}-${1}-" },
        { "{{ regexReplaceAll \"a*\" \"baaac\" \"X\" }}", "XbXcX" },
        { "{{ regexReplaceAll \"(?P<word>\\\\w+)@(\\\\w+)\" \"me@host\" \"$2:${word}\" }}", "host:me" },
        { "{{ count \"a|b\" \"abcabcabc\" }} {{ count \"\" \"abc\" }}", "6 4" },
        // Conditionals and comparisons.
        { "{{ if eq .level \"error\" }}E{{ else if eq .level \"warn\" }}W{{ else }}I{{ end }}", "E" },
        { "{{ if ne .level \"error\" }}x{{ else }}y{{ end }}", "y" },
        { "{{ if and (contains \"he\" \"hello\") (contains \"llo\" \"hello\") }} yes {{end}}", " yes " },
        { "{{ if or .missing .level }}{{ or .missing .level }}{{ end }}", "error" },
        { "{{ if not .missing }}none{{ end }}", "none" },
        { "{{ if gt (int .status) 499 }}5xx{{ end }}", "5xx" },
        { "{{ if lt .level \"f\" }}lt{{ end }}{{ if ge .level \"error\" }}ge{{ end }}{{ if le 2 3 }}le{{ end }}", "ltgele" },
        { "{{ if eq .level \"warn\" \"error\" }}any{{ end }}", "any" },
        { "{{ if gt (float64 .ratio) 0.2 }}hi{{ end }}", "hi" },
        { "{{ with .level }}[{{ . }}]{{ end }}{{ with .missing }}x{{ else }}-{{ end }}", "[error]-" },
        { "{{ $l := .level }}{{ $l }}-{{ $l = \"x\" }}{{ $l }}-{{ $.app }}", "error-x-api" },
        { "{{ range $k, $v := . }}{{ if eq $k \"app\" \"level\" }}{{ $k }}={{ $v }};{{ end }}{{ end }}", "app=api;level=error;" },
        { "{{ range $e := 3 }}{{ if eq $e 1 }}{{ continue }}{{ end }}{{ $e }}{{ end }}", "02" },
        { "{{ range $e := 5 }}{{ if eq $e 2 }}{{ break }}{{ end }}{{ $e }}{{ else }}none{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}", "01|none" },
        { "{{ len .level }} {{ len \"é\" }} {{ index . \"app\" }}", "5 2 api" },
        { "{{ printf \"%s=%d %.2f %5s|%-5s|%05d %x %q %v %t\" .level 42 3.14159 \"ab\" \"cd\" 42 255 \"q\" 1.5 true }}", "error=42 3.14    ab|cd   |00042 ff \"q\" 1.5 true" },
        { "{{ printf \"%d\" .level }} {{ printf \"%s\" }} {{ printf \"%d\" 1 2 }}", "%!d(string=error) %!s(MISSING) 1%!(EXTRA int=2)" },
        { "{{ print 1 2 \"a\" 3 }}", "1 2a3" },
        { "{{ html \"<a href='x'>&</a>\" }}", "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;" },
        // Numbers (sprig semantics, Loki docs examples).
        { "{{ add 3 2 }} {{ sub 5 2 }} {{ mul 5 2 }} {{ div 10 3 }} {{ mod 10 3 }}", "5 3 10 3 1" },
        { "{{ add .count 1 }} {{ add \"3.000\" 1 }} {{ add \"3.5\" 1 }} {{ add \"0x10\" 0 }}", "8 4 1 16" },
        { "{{ addf 3.5 2 }} {{ subf 3.5 2 }} {{ mulf 5.5 2 }} {{ divf 10 3 }} {{ addf 0.1 0.2 }}", "5.5 1.5 11 3.3333333333333335 0.3" },
        { "{{ max 1 2 3 }} {{ min 1 2 3 }} {{ maxf 1.5 2.5 }} {{ minf 1.5 2.5 }}", "3 1 2.5 1.5" },
        { "{{ ceil 123.001 }} {{ floor 123.9999 }} {{ round 123.555555 3 }} {{ round 123.5 0 }}", "124 123 123.556 124" },
        { "{{ 123.5 | int }} {{ int .status }} {{ float64 .ratio }} {{ float64 \"x\" }} {{ 1e6 }} {{ 1000000.0 | float64 }}", "123 503 0.25 0 1e+06 1e+06" },
        { "{{ .duration | duration }} {{ duration_seconds \"1m30s\" }} {{ .size | bytes }}", "1.5 90 2048" },
        // Default.
        { "{{ .missing | default \"-\" }} {{ .level | default \"-\" }} {{ .empty | default \"d\" }} {{ default \"d\" 0 }}", "- error d d" },
        // Time.
        { "{{ __timestamp__ }}", "2023-11-14 22:13:20.123456789 +0000 UTC" },
        { "{{ __timestamp__ | date \"2006-01-02T15:04:05.00Z07:00\" }}", "2023-11-14T22:13:20.12Z" },
        { "{{ __timestamp__ | unixEpoch }} {{ __timestamp__ | unixEpochMillis }} {{ __timestamp__ | unixEpochNanos }}", "1700000000 1700000000123 1700000000123456789" },
        { "{{ date \"Mon Jan _2 3:04PM 2006 .000 MST\" __timestamp__ }}", "Tue Nov 14 10:13PM 2023 .123 UTC" },
        { "{{ toDateInZone \"2006-01-02T15:04:05Z07:00\" \"UTC\" .ts }}", "2023-11-14 22:13:20 +0000 UTC" },
        { "{{ unixEpochMillis (toDate \"2006-01-02T15:04:05Z07:00\" .ts) }}", "1700000000000" },
        { "{{ (toDate \"2006-01-02 15:04 -0700\" \"2023-11-14 23:13 +0100\") | unixEpoch }}", "1699999980" },
        { "{{ toDate \"2006-01-02\" \"garbage\" }}", "0001-01-01 00:00:00 +0000 UTC" },
        { "{{ unixToTime \"1700000000\" | unixEpoch }} {{ unixToTime \"19675\" | date \"2006-01-02\" }} {{ unixToTime \"1700000000123\" | unixEpochMillis }}", "1700000000 2023-11-14 1700000000123" },
        { "{{ date \"2006-01-02\" 86400 }}", "1970-01-02" },
        // Line access.
        { "{{ __line__ | trunc 11 }}", "level=error" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Line_format(string template, string expected) => Assert.Equal(expected, Format(template));

    [Fact]
    public void Time_zones()
    {
        Assert.Equal("2023-11-14 23:13:20 +0100 CET", Format("{{ toDateInZone \"2006-01-02 15:04:05\" \"Europe/Paris\" \"2023-11-14 23:13:20\" }}"));
        Assert.Equal("1700000000", Format("{{ toDateInZone \"2006-01-02 15:04:05\" \"Europe/Paris\" \"2023-11-14 23:13:20\" | unixEpoch }}"));
        Assert.Equal("1700000000", Format("{{ toDateInZone \"2006-01-02 15:04:05\" \"Not/AZone\" \"2023-11-14 22:13:20\" | unixEpoch }}"));
    }

    public static TheoryData<string, string> ErrorCases => new()
    {
        { "{{ div 1 0 }}", "error calling div: runtime error: integer divide by zero" },
        { "{{ divf 1 0 }}", "error calling divf: decimal division by 0" },
        { "{{ trunc \"5\" .level }}", "expected integer; found \"5\"" },
        { "{{ trunc .level .level }}", "wrong type for value; expected int; got string" },
        { "{{ if gt .status 400 }}x{{ end }}", "error calling gt: incompatible types for comparison" },
        { "{{ .level.x }}", "can't evaluate field x in type string" },
        { "{{ ToUpper }}", "wrong number of args for ToUpper: want 1 got 0" },
        { "{{ duration \"abc\" }}", "error calling duration: time: invalid duration \"abc\"" },
        { "{{ urldecode \"%zz\" }}", "error calling urldecode: invalid URL escape \"%zz\"" },
        { "{{ regexReplaceAll \"(\" .level \"x\" }}", "error calling regexReplaceAll: error parsing regexp: missing closing ): `(`" },
        { "{{ .level | .app }}", "app is not a method but has arguments" },
        { "{{ 1 | 2 }}", "can't give argument to non-function 2" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Execution_error_sets_template_format_error_and_keeps_line(string template, string detailsContains)
    {
        var r = Run(Line, "app=api", new LogfmtParser(), new LineFormat(template));
        Assert.True(r.Kept);
        Assert.Equal(Line, r.Line);
        Assert.Equal(PipelineErrors.TemplateFormat, r.Entry.Error);
        Assert.Contains(detailsContains, r.Entry.ErrorDetails, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ .a ")]
    [InlineData("{{ nofunc .a }}")]
    [InlineData("{{ if .a }}x")]
    [InlineData("{{ end }}")]
    [InlineData("{{ $x }}")]
    [InlineData("{{ template \"x\" }}")]
    [InlineData("{{ \"unterminated }}")]
    [InlineData("{{ fromJson .a }}")]
    public void Invalid_template_is_a_query_error(string template)
    {
        var e = Assert.Throws<Strata.Query.Engine.QueryException>(() => new LineFormat(template));
        Assert.StartsWith("invalid line template: template: line:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simple_key_fast_path_copies_value_or_empties_line()
    {
        var r = Run("level=info msg=hi", "app=api", LogfmtParser.Default, new LineFormat("{{.msg}}"));
        Assert.Equal("hi", r.Line);
        Assert.Equal("api", Run("x", "app=api", new LineFormat("{{.app}}")).Line);
        Assert.Equal("", Run("x", "app=api", new LineFormat("{{.nope}}")).Line);
    }

    [Fact]
    public void Label_format_renames_and_templates()
    {
        // Loki docs: | label_format dst=src, foo="{{.bar}}-{{.baz}}"
        var r = Run("src=v bar=b baz=z", "app=api", LogfmtParser.Default,
            new LabelFormat([LabelFormatSpec.Rename("dst", "src"), LabelFormatSpec.Template("foo", "{{.bar}}-{{.baz}}")]));
        Assert.Equal("{app=\"api\", bar=\"b\", baz=\"z\", dst=\"v\", foo=\"b-z\"}", r.Labels);
    }

    [Fact]
    public void Label_format_templates_see_labels_from_stage_start()
    {
        var r = Run("a=1", "", LogfmtParser.Default,
            new LabelFormat([LabelFormatSpec.Template("b", "{{.a}}x"), LabelFormatSpec.Template("c", "{{.b}}y")]));
        Assert.Equal("{a=\"1\", b=\"1x\", c=\"y\"}", r.Labels);
    }

    [Fact]
    public void Label_format_can_overwrite_stream_label_and_rename_missing_is_noop()
    {
        var r = Run("x=1", "app=api", LogfmtParser.Default,
            new LabelFormat([LabelFormatSpec.Template("app", "{{.app | upper}}"), LabelFormatSpec.Rename("y", "nope")]));
        Assert.Equal("{app=\"API\", x=\"1\"}", r.Labels);
        Assert.Equal(LabelCategory.Parsed, r.Entry.TryGetCategory("app", out var c) ? c : LabelCategory.Stream);
    }

    [Fact]
    public void Label_format_error_keeps_label_and_sets_error()
    {
        var r = Run("a=1", "", LogfmtParser.Default, new LabelFormat([LabelFormatSpec.Template("b", "{{ div 1 0 }}")]));
        Assert.Equal(PipelineErrors.TemplateFormat, r.Entry.Error);
        Assert.False(r.Entry.Has("b"));
    }

    [Theory]
    [InlineData("__error__")]
    public void Label_format_rejects_error_label(string name) =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() => new LabelFormat([LabelFormatSpec.Template(name, "x")]));

    [Fact]
    public void Label_format_rejects_duplicate_names() =>
        Assert.Throws<Strata.Query.Engine.QueryException>(() =>
            new LabelFormat([LabelFormatSpec.Template("a", "x"), LabelFormatSpec.Rename("a", "b")]));

    [Fact]
    public void Templates_see_error_labels()
    {
        var r = Run("not json", "", JsonParser.Instance, new LineFormat("{{.__error__}}: {{ __line__ }}"));
        Assert.Equal("JSONParserErr: not json", r.Line);
    }
}
