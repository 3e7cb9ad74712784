using Strata.Query.LogQL;

namespace Strata.Query.Tests.LogQL;

public sealed class LexerTests
{
    private static string Lex(string input) =>
        string.Join(" ", Lexer.Tokenize(input).Select(t => t.Kind switch
        {
            TokenKind.Eof => "$end",
            TokenKind.Error => $"ERROR@{t.Start}{(t.NoLine ? "/noline" : "")}({t.Value})",
            TokenKind.String => $"STRING({t.Value})",
            TokenKind.Duration => $"DURATION({t.Text}={t.Amount}ns)",
            TokenKind.Range => $"RANGE({t.Amount}ms)",
            TokenKind.Bytes => $"BYTES({t.Text}={t.ByteCount})",
            TokenKind.Identifier or TokenKind.Number or TokenKind.ParserFlag => $"{t.Describe()}({t.Text})",
            _ => t.Describe(),
        }));

    public static TheoryData<string, string> Tokens => new()
    {
        { "", "$end" },
        { "  \t\r\n ", "$end" },
        { "# comment only", "$end" },
        { "{a=\"b\"} # |= \"x\"\n| json", "{ IDENTIFIER(a) = STRING(b) } | json $end" },
        { "{a=\"b\"} // go comment\n/* block */ | json", "{ IDENTIFIER(a) = STRING(b) } | json $end" },
        { "{a=\"b\", c!=\"d\", e=~\"f\", g!~\"h\"}", "{ IDENTIFIER(a) = STRING(b) , IDENTIFIER(c) != STRING(d) , IDENTIFIER(e) =~ STRING(f) , IDENTIFIER(g) !~ STRING(h) } $end" },
        { "|= |~ |> != !~ !> | == >= <= > <", "|= |~ |> != !~ !> | == >= <= > < $end" },
        { "+ - * / % ^ , . ( ) ]", "+ - * / % ^ , . ( ) ] $end" },
        // Function names are keywords only before '(' or "by (" / "without (".
        { "rate(x) rate sum by (a) (x) sum(x) sum", "RATE ( IDENTIFIER(x) ) IDENTIFIER(rate) SUM by ( IDENTIFIER(a) ) ( IDENTIFIER(x) ) SUM ( IDENTIFIER(x) ) IDENTIFIER(sum) $end" },
        { "count without(a) (x) count_over_time (x)", "COUNT without ( IDENTIFIER(a) ) ( IDENTIFIER(x) ) COUNT_OVER_TIME ( IDENTIFIER(x) ) $end" },
        { "ip(\"1.2.3.4\") ip=\"x\" bytes(x) bytes duration(x) duration_seconds(x)", "ip ( STRING(1.2.3.4) ) IDENTIFIER(ip) = STRING(x) BYTES_CONV ( IDENTIFIER(x) ) IDENTIFIER(bytes) DURATION_CONV ( IDENTIFIER(x) ) DURATION_SECONDS_CONV ( IDENTIFIER(x) ) $end" },
        { "vector(1) label_replace( label_replace", "VECTOR ( NUMBER(1) ) label_replace ( IDENTIFIER(label_replace) $end" },
        // Plain keywords are reserved everywhere and case-insensitive.
        { "json JSON logfmt regexp pattern unpack line_format label_format decolorize drop keep unwrap", "json json logfmt regexp pattern unpack line_format label_format decolorize drop keep unwrap $end" },
        { "by without bool on ignoring group_left group_right offset or and unless", "by without bool on ignoring group_left group_right offset or and unless $end" },
        { "SUM(x) Rate(x)", "SUM ( IDENTIFIER(x) ) RATE ( IDENTIFIER(x) ) $end" },
        { "__error__ café _x1", "IDENTIFIER(__error__) IDENTIFIER(café) IDENTIFIER(_x1) $end" },
        // Numbers, durations, sizes.
        { "1 1.5 .5 5. 1e3 0x1f 0755", "NUMBER(1) NUMBER(1.5) NUMBER(.5) NUMBER(5.) NUMBER(1e3) NUMBER(0x1f) NUMBER(0755) $end" },
        { "5m 250ms 1.5s 1h30m 2d 1w 1y 10us", "DURATION(5m=300000000000ns) DURATION(250ms=250000000ns) DURATION(1.5s=1500000000ns) DURATION(1h30m=5400000000000ns) DURATION(2d=172800000000000ns) DURATION(1w=604800000000000ns) DURATION(1y=31536000000000000ns) DURATION(10us=10000ns) $end" },
        { "-5m -1.5s", "DURATION(-5m=-300000000000ns) DURATION(-1.5s=-1500000000ns) $end" },
        { "-5 - 5", "- NUMBER(5) - NUMBER(5) $end" },
        { "20MB 2.5KiB 1GB 5B 10k 3M", "BYTES(20MB=20000000) BYTES(2.5KiB=2560) BYTES(1GB=1000000000) BYTES(5B=5) BYTES(10k=10000) BYTES(3M=3000000) $end" },
        // "5mb" is the duration 5m then an identifier, as in Loki (durations are tried first).
        { "5mb", "DURATION(5m=300000000000ns) IDENTIFIER(b) $end" },
        { "5x", "NUMBER(5) IDENTIFIER(x) $end" },
        // Ranges swallow everything to ']'.
        { "[5m] [1h30m] [1d]", "RANGE(300000ms) RANGE(5400000ms) RANGE(86400000ms) $end" },
        { "--strict --keep-empty --nope", "PARSER_FLAG(--strict) PARSER_FLAG(--keep-empty) - - IDENTIFIER(nope) $end" },
        // Strings.
        { "\"a\\nb\\t\\\"c\\\\\" `raw\\d`", "STRING(a\nb\t\"c\\) STRING(raw\\d) $end" },
        { "\"\\u00e9\\x41\\101\\U0001F600\"", "STRING(éAA😀) $end" },
        // Unknown characters are identifiers of their own.
        { "@ $ ; ~ !", "IDENTIFIER(@) IDENTIFIER($) IDENTIFIER(;) IDENTIFIER(~) IDENTIFIER(!) $end" },
        // Errors: position is the item's start; noline marks items Loki finishes with Scanner.Next.
        { "{a=\"b}", "{ IDENTIFIER(a) = ERROR@3(literal not terminated)" },
        { "\"a\\qb\"", "ERROR@0(invalid char escape)" },
        { "\"\\777\"", "ERROR@0(invalid syntax)" },
        { "`abc", "ERROR@0(literal not terminated)" },
        { "[5m", "ERROR@0/noline(missing closing ']' in duration)" },
        { "x[5minutes]", "IDENTIFIER(x) ERROR@1/noline(unknown unit \"minutes\" in duration \"5minutes\")" },
        { "[]", "ERROR@0/noline(empty duration string)" },
        { "1e", "ERROR@0(exponent has no digits)" },
        { "08", "ERROR@0(invalid digit '8' in octal literal)" },
        { "1__0", "ERROR@0('_' must separate successive digits)" },
        { "/* open", "ERROR@0(comment not terminated)" },
        { "'ab'", "ERROR@0(invalid char literal)" },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public void Tokenizes(string input, string expected) => Assert.Equal(expected, Lex(input));
}
