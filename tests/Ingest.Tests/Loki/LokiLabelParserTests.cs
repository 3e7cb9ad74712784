using Strata.Ingest.Loki;
using Strata.Storage.Labels;

namespace Strata.Ingest.Tests.Loki;

public class LokiLabelParserTests
{
    private static string Render(List<Label> labels) => string.Join(", ", labels.Select(l => $"{l.Name}={l.Value}"));

    public static TheoryData<string, string> Valid => new()
    {
        { """{app="x", env="prod"}""", "app=x, env=prod" },
        { """{app="x",env="prod"}""", "app=x, env=prod" },
        { """  {  app = "x" ,  env="prod" , }  """, "app=x, env=prod" },
        { "{\n\tapp=\"x\",\r\n env=\"y\"\n}", "app=x, env=y" },
        { "{}", "" },
        { "", "" },
        { "   ", "" },
        { """{a="1", a="2"}""", "a=1, a=2" }, // duplicates kept; the validator rejects them
        { """{a=""}""", "a=" },                // empty values kept; dropped by the validator
        { """{_a1="v", A_b_2="w"}""", "_a1=v, A_b_2=w" },
        { """{a='single'}""", "a=single" },
        { "{a=`raw \\n \"x\"`}", "a=raw \\n \"x\"" },
        { "{a=`multi\nline`}", "a=multi\nline" },
        { """{a="q\"uote", b="back\\slash", c="new\nline"}""", "a=q\"uote, b=back\\slash, c=new\nline" },
        { """{a="\a\b\f\r\t\v"}""", "a=\a\b\f\r\t\v" },
        { """{a='it\'s'}""", "a=it's" },
        { """{a="\x41\102\u00e9\U0001F600"}""", "a=ABé😀" },
        { """{a="\xc3\xa9"}""", "a=é" },                        // \x escapes are bytes, assembled as UTF-8
        { """{a="ключ значение", b="日本語"}""", "a=ключ значение, b=日本語" },
        { """{a="emoji 😀"}""", "a=emoji 😀" },
        { """up{job="node"}""", "job=node, __name__=up" },
        { """ns:metric_total {a="b"}""", "a=b, __name__=ns:metric_total" },
        { "up", "__name__=up" },
        { """up{__name__="other"}""", "__name__=up" },
        { """{"k8s.pod"="x"}""", "k8s.pod=x" },           // Prometheus 3 quoted names
        { """{"up", a="b"}""", "__name__=up, a=b" },
        { "{a=\"b\" # comment\n}", "a=b" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ParsesValidText(string text, string expected)
    {
        var labels = new List<Label>();
        Assert.Null(LokiLabelParser.Parse(text, labels));
        Assert.Equal(expected, Render(labels));
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { """{ab" """, "1:4: parse error: unterminated quoted string" },           // Loki's own distributor test
        { """{a="b""", "1:4: parse error: unterminated quoted string" },
        { "{a=\"b\nc\"}", "1:4: parse error: unterminated quoted string" },
        { """{a="b" """, "1:8: parse error: unexpected end of input inside braces" },
        { "{", "1:2: parse error: unexpected end of input inside braces" },
        { """{app-name="x"}""", "1:5: parse error: unexpected character inside braces: '-'" },
        { """{k8s.pod="x"}""", "1:5: parse error: unexpected character inside braces: '.'" },
        { """{1a="x"}""", "1:2: parse error: unexpected character inside braces: '1'" },
        { """{é="x"}""", "1:2: parse error: unexpected character inside braces: 'é'" },
        { """{app=x}""", "1:6: parse error: unexpected identifier \"x\" in label set, expected string" },
        { """{app}""", "1:5: parse error: unexpected \"}\" in label set, expected \"=\"" },
        { """{app=}""", "1:6: parse error: unexpected \"}\" in label set, expected string" },
        { """{app!="x"}""", "1:5: parse error: unexpected <op:!=> in label set, expected \"=\"" },
        { """{app=~"x"}""", "1:5: parse error: unexpected <op:=~> in label set, expected \"=\"" },
        { """{a="b" c="d"}""", "1:8: parse error: unexpected identifier \"c\" in label set, expected \",\" or \"}\"" },
        { """{a="b",,}""", "1:8: parse error: unexpected \",\" in label set, expected identifier or \"}\"" },
        { """{,}""", "1:2: parse error: unexpected \",\" in label set, expected identifier or \"}\"" },
        { """{="x"}""", "1:2: parse error: unexpected \"=\" in label set, expected identifier or \"}\"" },
        { """{a=="x"}""", "1:4: parse error: unexpected \"=\" in label set, expected string" },
        { """{a="b"="c"}""", "1:7: parse error: unexpected \"=\" in label set, expected \",\" or \"}\"" },
        { """{"a" "b"}""", "1:6: parse error: unexpected string \"\\\"b\\\"\" in label set, expected \",\" or \"}\"" },
        { """{a="x"}{b="y"}""", "1:8: parse error: unexpected \"{\"" },
        { """{a="x"} b""", "1:9: parse error: unexpected identifier \"b\"" },
        { """up down""", "1:4: parse error: unexpected identifier \"down\"" },
        { """{a{""", "1:3: parse error: unexpected left brace '{'" },
        { """{a!x}""", "1:3: parse error: unexpected character after '!' inside braces: 'x'" },
        { """{a="\q"}""", "1:4: parse error: unknown escape sequence U+0071 'q'" },
        { """{a='\"'}""", "1:4: parse error: unknown escape sequence U+0022 '\"'" },
        { """{a="\x4"}""", "1:4: parse error: illegal character U+0022 '\"' in escape sequence" },
        { """{a="\ud800"}""", "1:4: parse error: escape sequence is an invalid Unicode code point" },
        { """{a="\U00110000"}""", "1:4: parse error: escape sequence is an invalid Unicode code point" },
        { """{a="\400"}""", "1:4: parse error: escape sequence is an invalid Unicode code point" },
        { "{a=`unterminated}", "1:4: parse error: unterminated raw string" },
        { "{\n  a=\"x\",\n  b-c=\"y\"\n}", "3:4: parse error: unexpected character inside braces: '-'" },
        { """123""", "1:1: parse error: unexpected character: '1'" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void ReportsPrometheusStyleErrors(string text, string expected)
    {
        Assert.Equal(expected, LokiLabelParser.Parse(text, []));
    }

    [Fact]
    public void InvalidUtf8InAQuotedValueIsAnError()
    {
        byte[] text = [.. "{a=\""u8, 0xff, .. "\"}"u8];
        Assert.Equal("1:4: parse error: invalid UTF-8 rune", LokiLabelParser.Parse(text, []));
    }

    [Fact]
    public void EveryPrefixOfValidTextEitherParsesOrFailsWithAnError()
    {
        const string text = """up{a="x\"y", b='z', c=`w`, "d.e"="f"}""";
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        for (int n = 0; n <= utf8.Length; n++)
        {
            var labels = new List<Label>();
            string? error = LokiLabelParser.Parse(utf8.AsSpan(0, n), labels);
            if (n == utf8.Length) Assert.Null(error);
            else if (n > 2) Assert.True(error is not null, $"prefix {n}: {text[..Math.Min(n, text.Length)]}");
        }
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("_", true)]
    [InlineData("A_b9", true)]
    [InlineData("", false)]
    [InlineData("9a", false)]
    [InlineData("a.b", false)]
    [InlineData("a-b", false)]
    [InlineData("é", false)]
    public void LegacyNames(string name, bool valid)
    {
        Assert.Equal(valid, LokiLabelParser.IsLegacyName(name));
        Assert.Equal(valid, LokiLabelParser.IsLegacyName(System.Text.Encoding.UTF8.GetBytes(name)));
    }
}
