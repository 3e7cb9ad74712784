using System.Text.RegularExpressions;
using Strata.Storage.Index;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.PromQL;

internal sealed partial class Parser
{
    private const string MetricNameLabel = "__name__";

    // name | name{...} | {...}; the name matcher is appended last, as in Prometheus.
    private VectorSelector ParseVectorSelector(Token? name)
    {
        int start = name?.Start ?? Peek().Start;
        int end = name?.End ?? start;
        var matchers = new List<LabelMatcher>();
        if (At(TokenKind.LeftBrace)) end = ParseLabelMatchers(matchers);
        string? metric = name?.Text;
        if (metric is not null) matchers.Add(new LabelMatcher(MatchType.Equal, MetricNameLabel, metric));
        return new VectorSelector { Name = metric, Matchers = matchers, Start = start, End = end };
    }

    // '{' [matcher {',' matcher} [',']] '}' where matcher is label op "v", "label" op "v", or "metric name".
    private int ParseLabelMatchers(List<LabelMatcher> matchers)
    {
        const string ctx = "label matching";
        Expect(TokenKind.LeftBrace);
        if (At(TokenKind.RightBrace)) return Advance().End;
        while (true)
        {
            var t = Peek();
            if (t.Kind == TokenKind.Identifier)
            {
                Advance();
                var op = Peek();
                if (!IsMatchOp(op.Kind)) throw Unexpected(op, ctx, "label matching operator");
                Advance();
                var value = Expect(TokenKind.String, ctx, "string");
                matchers.Add(NewMatcher(t.Start, t.Text, op, value));
            }
            else if (t.Kind == TokenKind.String)
            {
                Advance();
                var op = Peek();
                if (IsMatchOp(op.Kind))
                {
                    Advance();
                    var value = Expect(TokenKind.String, ctx, "string");
                    matchers.Add(NewMatcher(t.Start, t.Value!, op, value));
                }
                else
                {
                    matchers.Add(new LabelMatcher(MatchType.Equal, MetricNameLabel, t.Value!));
                }
            }
            else
            {
                throw Unexpected(t, ctx, "identifier or \"}\"");
            }

            var sep = Peek();
            if (sep.Kind == TokenKind.Comma)
            {
                Advance();
                if (At(TokenKind.RightBrace)) return Advance().End;
                continue;
            }
            if (sep.Kind == TokenKind.RightBrace) return Advance().End;
            throw Unexpected(sep, ctx, "\",\" or \"}\"");
        }
    }

    private static bool IsMatchOp(TokenKind k) => k is TokenKind.Eql or TokenKind.Neq or TokenKind.EqlRegex or TokenKind.NeqRegex;

    private LabelMatcher NewMatcher(int start, string label, Token op, Token value)
    {
        var type = op.Kind switch
        {
            TokenKind.Eql => MatchType.Equal,
            TokenKind.Neq => MatchType.NotEqual,
            TokenKind.EqlRegex => MatchType.Regex,
            _ => MatchType.NotRegex,
        };
        try
        {
            return new LabelMatcher(type, label, value.Value!);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // Prometheus surfaces Go's regexp error; .NET's parser reports the same faults under
            // other names, so the common ones are mapped to RE2's wording.
            throw Fail(start, $"error parsing regexp: {RegexReason(ex)}: `^(?s:{value.Value})$`");
        }
    }

    private static string RegexReason(Exception ex) => ex is RegexParseException rpe
        ? rpe.Error switch
        {
            RegexParseError.InsufficientClosingParentheses => "missing closing )",
            RegexParseError.InsufficientOpeningParentheses => "unexpected )",
            RegexParseError.UnterminatedBracket => "missing closing ]",
            RegexParseError.QuantifierAfterNothing => "missing argument to repetition operator",
            RegexParseError.NestedQuantifiersNotParenthesized => "invalid nested repetition operator",
            RegexParseError.ReversedCharacterRange => "invalid character class range",
            RegexParseError.ReversedQuantifierRange => "invalid repeat count",
            RegexParseError.UnescapedEndingBackslash => "trailing backslash at end of expression",
            RegexParseError.UnrecognizedEscape or RegexParseError.UnrecognizedControlCharacter
                or RegexParseError.UnrecognizedUnicodeProperty => "invalid escape sequence",
            RegexParseError.InvalidGroupingConstruct => "invalid or unsupported Perl syntax",
            _ => rpe.Message,
        }
        : ex is NotSupportedException ? "invalid or unsupported Perl syntax" : ex.Message;

    /// <summary>'(' [label {',' label} [',']] ')' for by/without/on/ignoring/group_left/group_right.</summary>
    private (IReadOnlyList<string> Labels, int End) ParseGroupingLabels()
    {
        const string ctx = "grouping opts";
        Expect(TokenKind.LeftParen, ctx, "\"(\"");
        var labels = new List<string>();
        if (At(TokenKind.RightParen)) return (labels, Advance().End);
        while (true)
        {
            var t = Peek();
            if (t.Kind == TokenKind.String)
            {
                Advance();
                labels.Add(t.Value!);
            }
            else if (IsMaybeLabel(t.Kind))
            {
                Advance();
                if (!IsLegacyLabelName(t.Text)) throw Unexpected(t, ctx, "label");
                labels.Add(t.Text);
            }
            else
            {
                throw Unexpected(t, ctx, "label");
            }

            var sep = Peek();
            if (sep.Kind == TokenKind.Comma)
            {
                Advance();
                if (At(TokenKind.RightParen)) return (labels, Advance().End);
                continue;
            }
            if (sep.Kind == TokenKind.RightParen) return (labels, Advance().End);
            throw Unexpected(sep, ctx, "\",\" or \")\"");
        }
    }

    /// <summary>[a-zA-Z_][a-zA-Z0-9_]*, the names that print without quotes.</summary>
    internal static bool IsLegacyLabelName(string s)
    {
        if (s.Length == 0) return false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            bool ok = c == '_' || char.IsAsciiLetter(c) || (i > 0 && char.IsAsciiDigit(c));
            if (!ok) return false;
        }
        return true;
    }
}
