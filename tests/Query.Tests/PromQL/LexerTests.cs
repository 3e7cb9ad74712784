using Strata.Query.PromQL;

namespace Strata.Query.Tests.PromQL;

public sealed class LexerTests
{
    private static string Lex(string input) =>
        string.Join(" ", Lexer.Tokenize(input).Select(t => t.Kind switch
        {
            TokenKind.Eof => "EOF",
            TokenKind.Error => $"ERROR@{t.Start}({t.Value})",
            TokenKind.String => $"String({t.Value})",
            _ => $"{t.Kind}({t.Text})",
        }));

    public static TheoryData<string, string> Tokens => new()
    {
        { "", "EOF" },
        { "   \t\n ", "EOF" },
        { "# only a comment", "EOF" },
        { "foo # comment\n+ bar", "Identifier(foo) Add(+) Identifier(bar) EOF" },
        { "foo:bar_total", "MetricIdentifier(foo:bar_total) EOF" },
        { "SUM by BY", "Sum(SUM) By(by) By(BY) EOF" },
        { "and or unless atan2", "LAnd(and) LOr(or) LUnless(unless) Atan2(atan2) EOF" },
        { "Inf nan NaN inf", "Number(Inf) Number(nan) Number(NaN) Number(inf) EOF" },
        { "== != <= < >= > </ >/", "EqlC(==) Neq(!=) Lte(<=) Lss(<) Gte(>=) Gtr(>) TrimUpper(</) TrimLower(>/) EOF" },
        { "a = b", "Identifier(a) Eql(=) Identifier(b) EOF" },
        { "1 1.5 .5 5. 1e3 1E-3 0x1F 0755 1_000", "Number(1) Number(1.5) Number(.5) Number(5.) Number(1e3) Number(1E-3) Number(0x1F) Number(0755) Number(1_000) EOF" },
        { "5m 1h30m 1d 2w 1y 10ms 1m30s", "Duration(5m) Duration(1h30m) Duration(1d) Duration(2w) Duration(1y) Duration(10ms) Duration(1m30s) EOF" },
        { "{a=\"b\", c!=\"d\", e=~\"f\", g!~\"h\"}", "LeftBrace({) Identifier(a) Eql(=) String(b) Comma(,) Identifier(c) Neq(!=) String(d) Comma(,) Identifier(e) EqlRegex(=~) String(f) Comma(,) Identifier(g) NeqRegex(!~) String(h) RightBrace(}) EOF" },
        { "{sum=\"x\", by=\"y\", NaN=\"z\"}", "LeftBrace({) Identifier(sum) Eql(=) String(x) Comma(,) Identifier(by) Eql(=) String(y) Comma(,) Identifier(NaN) Eql(=) String(z) RightBrace(}) EOF" },
        { "{\"my.metric\"}", "LeftBrace({) String(my.metric) RightBrace(}) EOF" },
        { "\"a\\nb\" 'c\\'d' `e\\f`", "String(a\nb) String(c'd) String(e\\f) EOF" },
        { "\"\\u00e9\\x41\\101\\U0001F600\"", "String(éAA😀) EOF" },
        { "\"\\xc3\\xa9\"", "String(é) EOF" },
        { "foo[5m]", "Identifier(foo) LeftBracket([) Duration(5m) RightBracket(]) EOF" },
        { "foo[5m:1m]", "Identifier(foo) LeftBracket([) Duration(5m) Colon(:) Duration(1m) RightBracket(]) EOF" },
        { "foo[ 5m : ]", "Identifier(foo) LeftBracket([) Duration(5m) Colon(:) RightBracket(]) EOF" },
        { "foo[step()*2]", "Identifier(foo) LeftBracket([) Step(step) LeftParen(() RightParen()) Mul(*) Number(2) RightBracket(]) EOF" },
        { "x[STEP()+RANGE()]", "Identifier(x) LeftBracket([) Step(STEP) LeftParen(() RightParen()) Add(+) Range(RANGE) LeftParen(() RightParen()) RightBracket(]) EOF" },
        { "x[1+min_of(2,max_of(3,4))]", "Identifier(x) LeftBracket([) Number(1) Add(+) MinOf(min_of) LeftParen(() Number(2) Comma(,) MaxOf(max_of) LeftParen(() Number(3) Comma(,) Number(4) RightParen()) RightParen()) RightBracket(]) EOF" },
        { "offset step range min_of", "Offset(offset) Step(step) Range(range) MinOf(min_of) EOF" },
        { "a + fill(0) b", "Identifier(a) Add(+) Fill(fill) LeftParen(() Number(0) RightParen()) Identifier(b) EOF" },
        { "fill + fill_left (1) fill_right", "Identifier(fill) Add(+) FillLeft(fill_left) LeftParen(() Number(1) RightParen()) Identifier(fill_right) EOF" },
        { "foo @ start()", "Identifier(foo) At(@) Start(start) LeftParen(() RightParen()) EOF" },
        { "x anchored smoothed", "Identifier(x) Anchored(anchored) Smoothed(smoothed) EOF" },
        { "on ignoring group_left group_right bool without", "On(on) Ignoring(ignoring) GroupLeft(group_left) GroupRight(group_right) Bool(bool) Without(without) EOF" },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void ProducesTokens(string input, string expected) => Assert.Equal(expected, Lex(input));

    public static TheoryData<string, int, string> Errors => new()
    {
        { ".", 0, "unexpected character: '.'" },
        { "foo $", 4, "unexpected character: '$'" },
        { "}", 0, "unexpected character: '}'" },
        { "1 =~ 1", 2, "unexpected character after '=': '~'" },
        { "1 !~ 1", 2, "unexpected character after '!': '~'" },
        { "(1))", 4, "unexpected right parenthesis ')'" },
        { "((1)", 4, "unclosed left parenthesis" },
        { "foo[5m", 6, "unclosed left bracket" },
        { "foo{", 4, "unexpected end of input inside braces" },
        { "foo{a:b=\"c\"}", 5, "unexpected character inside braces: ':'" },
        { "foo{a!b}", 5, "unexpected character after '!' inside braces: 'b'" },
        { "foo{{", 4, "unexpected left brace '{'" },
        { "2.5.", 0, "bad number or duration syntax: \"2.5.\"" },
        { "100..4", 0, "bad number or duration syntax: \"100..\"" },
        { "0deadbeef", 0, "bad number or duration syntax: \"0de\"" },
        { "foo[5mm]", 4, "bad number or duration syntax: \"5mm\"" },
        { "foo[5m1]", 4, "bad number or duration syntax: \"5m1\"" },
        { "1e", 0, "bad number or duration syntax: \"1e\"" },
        { "\"abc", 0, "unterminated quoted string" },
        { "\"a\nb\"", 0, "unterminated quoted string" },
        { "`abc", 0, "unterminated raw string" },
        { "\"\\", 0, "escape sequence not terminated" },
        { "\"\\c\"", 0, "unknown escape sequence U+0063 'c'" },
        { "\"\\x.\"", 0, "illegal character U+002E '.' in escape sequence" },
        { "\"\\uD800\"", 0, "escape sequence is an invalid Unicode code point" },
        { "\"\\'\"", 0, "unknown escape sequence U+0027 '''" },
        { "\"\uFFFD\"", 0, "invalid UTF-8 rune" },
        { "foo[", 4, "unexpected end of input in duration expression" },
        { "foo[\"5m\"]", 4, "unexpected character in duration expression: '\"'" },
        { "foo[x]", 4, "unexpected character in duration expression: 'x'" },
        { "foo[5s x 5s]", 7, "unexpected character: 'x', expected ':'" },
        { "foo[:5m]", 5, "unexpected colon before duration in duration expression" },
        { "foo[1m:1m:]", 9, "unexpected colon ':'" },
        { "foo[5m[", 6, "unexpected left bracket '['" },
        { "foo[[", 4, "unexpected character in duration expression: '['" },
        { "foo]", 3, "unexpected right bracket ']'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ReportsErrors(string input, int position, string message)
    {
        var last = Lexer.Tokenize(input)[^1];
        Assert.Equal(TokenKind.Error, last.Kind);
        Assert.Equal(message, last.Value);
        Assert.Equal(position, last.Start);
    }

    [Fact]
    public void PositionsAreCharacterOffsets()
    {
        var tokens = Lexer.Tokenize("sum(rate(x[5m]))");
        Assert.Equal([0, 3, 4, 8, 9, 10, 11, 13, 14, 15, 16], tokens.Select(t => t.Start));
        Assert.Equal("5m", tokens[6].Text);
        Assert.Equal(13, tokens[6].End);
    }
}
