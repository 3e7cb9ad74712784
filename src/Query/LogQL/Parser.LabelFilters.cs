namespace Strata.Query.LogQL;

internal sealed partial class Parser
{
    private const int LabelOrPrecedence = 1;
    private const int LabelAndPrecedence = 2;

    /// <summary>
    /// A label filter expression. syntax.y declares <c>or</c> below <c>and</c> (both left-associative)
    /// and gives the <c>,</c> and juxtaposition rules no precedence, so yacc always shifts into
    /// them: the whole rest of the expression becomes the right operand of the implicit and.
    /// Hence <c>a or b, c</c> is <c>a or (b, c)</c> and <c>a, b or c</c> is <c>a, (b or c)</c>,
    /// while <c>a and b or c</c> is <c>(a and b) or c</c>.
    /// </summary>
    private LabelFilterExpr ParseLabelFilterExpr(int minPrecedence)
    {
        var left = ParseLabelFilterPrimary();
        while (true)
        {
            var t = Peek();
            switch (t.Kind)
            {
                case TokenKind.Comma:
                    Advance();
                    left = And(left, ParseLabelFilterExpr(0));
                    break;
                case TokenKind.Identifier or TokenKind.OpenParen:
                    left = And(left, ParseLabelFilterExpr(0));
                    break;
                case TokenKind.Or when minPrecedence <= LabelOrPrecedence:
                    Advance();
                    left = new OrLabelFilter { Left = left, Right = ParseLabelFilterExpr(LabelOrPrecedence + 1), Start = left.Start, End = LastEnd };
                    break;
                case TokenKind.And when minPrecedence <= LabelAndPrecedence:
                    Advance();
                    left = And(left, ParseLabelFilterExpr(LabelAndPrecedence + 1));
                    break;
                default:
                    return left;
            }
        }
    }

    private static AndLabelFilter And(LabelFilterExpr left, LabelFilterExpr right) =>
        new() { Left = left, Right = right, Start = left.Start, End = right.End };

    private LabelFilterExpr ParseLabelFilterPrimary()
    {
        var t = Peek();
        if (t.Kind == TokenKind.OpenParen)
        {
            // ( labelFilter ): Loki keeps no node for the parentheses. After the inner filter the
            // state also accepts and/or/,/IDENTIFIER/( : no list.
            Advance();
            var inner = ParseLabelFilterExpr(0);
            Expect(TokenKind.CloseParen);
            return inner;
        }
        if (t.Kind != TokenKind.Identifier) throw SyntaxError(t, TokenKind.Identifier, TokenKind.OpenParen);
        var name = Advance();
        var op = Peek();
        switch (op.Kind)
        {
            case TokenKind.Eq or TokenKind.Neq:
            {
                Advance();
                var v = Peek();
                if (v.Kind == TokenKind.String)
                {
                    Advance();
                    return new StringLabelFilter { Matcher = NewMatcher(name.Text, op, v.Value!), Start = name.Start, End = v.End };
                }
                if (v.Kind == TokenKind.Ip)
                {
                    string pattern = ParseIpCall();
                    return new IpLabelFilter { Label = name.Text, Negated = op.Kind == TokenKind.Neq, Pattern = pattern, Start = name.Start, End = LastEnd };
                }
                // STRING, ip, DURATION, BYTES, NUMBER, + and - are all possible: no list.
                return ParseComparisonValue(name, op.Kind == TokenKind.Eq ? LabelFilterComparison.Equal : LabelFilterComparison.NotEqual);
            }
            case TokenKind.Re or TokenKind.Nre:
            {
                Advance();
                var v = Expect(TokenKind.String, TokenKind.String);
                return new StringLabelFilter { Matcher = NewMatcher(name.Text, op, v.Value!), Start = name.Start, End = v.End };
            }
            case TokenKind.Gt or TokenKind.Gte or TokenKind.Lt or TokenKind.Lte or TokenKind.CmpEq:
                Advance();
                return ParseComparisonValue(name, op.Kind switch
                {
                    TokenKind.Gt => LabelFilterComparison.Greater,
                    TokenKind.Gte => LabelFilterComparison.GreaterOrEqual,
                    TokenKind.Lt => LabelFilterComparison.Less,
                    TokenKind.Lte => LabelFilterComparison.LessOrEqual,
                    _ => LabelFilterComparison.Equal,
                });
            default:
                throw SyntaxError(op);
        }
    }

    // DURATION | BYTES | literal (NUMBER, + NUMBER, - NUMBER). BYTES NUMBER DURATION + - are five
    // tokens, one more than goyacc lists.
    private LabelFilterExpr ParseComparisonValue(Token name, LabelFilterComparison cmp)
    {
        var v = Peek();
        switch (v.Kind)
        {
            case TokenKind.Duration:
                Advance();
                return new DurationLabelFilter { Label = name.Text, Comparison = cmp, Nanoseconds = v.Amount, Start = name.Start, End = v.End };
            case TokenKind.Bytes:
                Advance();
                return new BytesLabelFilter { Label = name.Text, Comparison = cmp, Bytes = v.ByteCount, Start = name.Start, End = v.End };
            case TokenKind.Number or TokenKind.Add or TokenKind.Sub:
            {
                // Loki takes the literal's value and ignores its parse error (the value is then 0 or ±Inf).
                var lit = ParseLiteral();
                _deferred.Remove(lit);
                return new NumericLabelFilter { Label = name.Text, Comparison = cmp, Value = lit.Value, Start = name.Start, End = lit.End };
            }
            default:
                throw SyntaxError(v);
        }
    }
}
