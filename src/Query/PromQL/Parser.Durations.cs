namespace Strata.Query.PromQL;

internal sealed partial class Parser
{
    private const string DurationExpected = "number, duration, step(), or range()";

    // A duration literal must fit in int64 nanoseconds, as Go's time.Duration.
    private const double MaxDurationSeconds = 9223372036.854775807;

    private static bool DurationOutOfRange(double seconds) => seconds > MaxDurationSeconds || seconds < -MaxDurationSeconds;

    // expr '[' range ']'  |  expr '[' range ':' [step] ']'
    private Expr ParseRangeOrSubquery(Expr expr)
    {
        var open = Advance();
        var saved = _durationContext;
        _durationContext = ("subquery or range selector", DurationExpected);
        var range = ParseDurationValue(positive: true);

        var t = Peek();
        if (t.Kind == TokenKind.RightBracket)
        {
            var close = Advance();
            _durationContext = saved;
            string? error = expr switch
            {
                VectorSelector { Offset: var o } when o != default => "no offset modifiers allowed before range",
                VectorSelector { At: not AtKind.None } => "no @ modifiers allowed before range",
                VectorSelector => null,
                _ => "ranges only allowed for vector selectors",
            };
            if (error is not null) throw Fail(open.Start, error);
            var vs = (VectorSelector)expr;
            return new MatrixSelector { Selector = vs, Range = range, Start = vs.Start, End = close.End };
        }
        if (t.Kind != TokenKind.Colon) throw Unexpected(t, "subquery or range", "\":\" or \"]\"");
        Advance();

        DurationValue step = default;
        if (!At(TokenKind.RightBracket))
        {
            _durationContext = ("subquery selector", "duration or \"]\"");
            step = ParseDurationValue(positive: true);
        }
        var end = Expect(TokenKind.RightBracket, "subquery selector", "\"]\"");
        _durationContext = saved;
        return new SubqueryExpr { Inner = expr, Range = range, Step = step, Start = expr.Start, End = end.End };
    }

    private DurationValue ParseDurationValue(bool positive) => MakeDurationValue(ParseDurationExpr(0), positive);

    /// <summary>
    /// A literal becomes a plain constant; arithmetic without <c>step()</c>/<c>range()</c> is folded
    /// here (keeping the written form in <see cref="DurationValue.Source"/> for printing); anything
    /// else stays an expression for the engine.
    /// </summary>
    private DurationValue MakeDurationValue(Expr e, bool positive)
    {
        if (e is NumberLiteral nl)
        {
            if (positive && nl.Value <= 0) throw Fail(nl.Start, "duration must be greater than 0");
            return new DurationValue(LiteralMilliseconds(nl));
        }
        if (!TryFoldDuration(e, out double seconds)) return new DurationValue(0, e);
        if (double.IsNaN(seconds) || DurationOutOfRange(seconds)) throw Fail(e.Start, "duration out of range");
        long ms = (long)(seconds * 1000);
        if (positive && ms <= 0) throw Fail(e.Start, "duration must be greater than 0");
        return new DurationValue(ms) { Source = e };
    }

    // Duration literals are whole milliseconds; plain numbers truncate like Go's time.Duration(v*1000).
    private static long LiteralMilliseconds(NumberLiteral nl) =>
        nl.IsDuration ? (long)Math.Round(nl.Value * 1000) : (long)(nl.Value * 1000);

    /// <summary>Evaluates constant duration arithmetic in seconds; false if it uses step() or range().</summary>
    internal static bool TryFoldDuration(Expr e, out double seconds)
    {
        seconds = 0;
        switch (e)
        {
            case NumberLiteral nl:
                seconds = nl.Value;
                return true;
            case ParenExpr p:
                return TryFoldDuration(p.Inner, out seconds);
            case UnaryExpr u:
                if (!TryFoldDuration(u.Inner, out double x)) return false;
                seconds = u.Negate ? -x : x;
                return true;
            case BinaryExpr b:
                if (!TryFoldDuration(b.Lhs, out double l) || !TryFoldDuration(b.Rhs, out double r)) return false;
                seconds = b.Op switch
                {
                    BinaryOp.Add => l + r,
                    BinaryOp.Sub => l - r,
                    BinaryOp.Mul => l * r,
                    BinaryOp.Div => l / r,
                    BinaryOp.Mod => l % r, // same sign rule as Go's math.Mod
                    BinaryOp.Pow => Math.Pow(l, r),
                    _ => double.NaN,
                };
                return true;
            case DurationFunction { Name: "min_of" or "max_of" } f:
                if (!TryFoldDuration(f.Args[0], out double a) || !TryFoldDuration(f.Args[1], out double c)) return false;
                seconds = f.Name == "min_of" ? Math.Min(a, c) : Math.Max(a, c);
                return true;
            default:
                return false;
        }
    }

    private ParseException DurationUnexpected(Token t) => Unexpected(t, _durationContext.Context, _durationContext.Expected);

    // Duration arithmetic: + - * / % ^ with PromQL precedence, unary signs, parentheses,
    // step(), range(), min_of(a, b), max_of(a, b); numbers are seconds.
    private Expr ParseDurationExpr(int minPrecedence)
    {
        var left = ParseDurationUnary();
        while (true)
        {
            var op = Peek();
            int prec = op.Kind switch
            {
                TokenKind.Add or TokenKind.Sub => 4,
                TokenKind.Mul or TokenKind.Div or TokenKind.Mod => 5,
                TokenKind.Pow => PowPrecedence,
                _ => -1,
            };
            if (prec < 0 || prec < minPrecedence) return left;
            Advance();
            var right = ParseDurationExpr(op.Kind == TokenKind.Pow ? prec : prec + 1);
            if (op.Kind is TokenKind.Div or TokenKind.Mod && right is NumberLiteral { Value: 0 })
            {
                throw Fail(op.Start, op.Kind == TokenKind.Div ? "division by zero" : "modulo by zero");
            }
            left = new BinaryExpr { Op = BinaryOpOf(op.Kind), Lhs = left, Rhs = right, Start = left.Start, End = right.End };
        }
    }

    private Expr ParseDurationUnary()
    {
        var t = Peek();
        if (t.Kind is not (TokenKind.Add or TokenKind.Sub)) return ParseDurationPrimary();
        Advance();
        return ApplyDurationSign(t, ParseDurationExpr(PowPrecedence));
    }

    // A sign on a literal folds into it (and must stay in range); '+' on anything else is dropped.
    private Expr ApplyDurationSign(Token sign, Expr e)
    {
        bool negate = sign.Kind == TokenKind.Sub;
        if (e is NumberLiteral nl)
        {
            double v = negate ? -nl.Value : nl.Value;
            if (DurationOutOfRange(v)) throw Fail(sign.Start, "duration out of range");
            return new NumberLiteral(v) { IsDuration = nl.IsDuration, Start = sign.Start, End = nl.End };
        }
        return negate ? new UnaryExpr { Negate = true, Inner = e, Start = sign.Start, End = e.End } : e;
    }

    private Expr ParseDurationPrimary()
    {
        var t = Peek();
        switch (t.Kind)
        {
            case TokenKind.Number:
                Advance();
                return SecondsLiteral(t);
            case TokenKind.Duration:
                Advance();
                return DurationLiteral(t);
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseDurationExpr(0);
                var close = Peek();
                if (close.Kind != TokenKind.RightParen) throw DurationUnexpected(close);
                Advance();
                // Like Prometheus's Wrapped flag, nested parentheses print as one pair.
                return inner is ParenExpr ? inner : new ParenExpr { Inner = inner, Start = t.Start, End = close.End };
            }
            case TokenKind.Step or TokenKind.Range:
            {
                Advance();
                ExpectInDuration(TokenKind.LeftParen);
                var close = ExpectInDuration(TokenKind.RightParen);
                return new DurationFunction(t.Kind == TokenKind.Step ? "step" : "range") { Start = t.Start, End = close.End };
            }
            case TokenKind.MinOf or TokenKind.MaxOf:
            {
                Advance();
                ExpectInDuration(TokenKind.LeftParen);
                var a = ParseDurationExpr(0);
                ExpectInDuration(TokenKind.Comma);
                var b = ParseDurationExpr(0);
                var close = ExpectInDuration(TokenKind.RightParen);
                return new DurationFunction(t.Kind == TokenKind.MinOf ? "min_of" : "max_of")
                {
                    Args = [a, b],
                    Start = t.Start,
                    End = close.End,
                };
            }
            default:
                throw DurationUnexpected(t);
        }
    }

    private Token ExpectInDuration(TokenKind kind)
    {
        var t = Peek();
        if (t.Kind != kind) throw DurationUnexpected(t);
        return Advance();
    }

    // offset [+|-] (number | duration | '(' expr ')' | step() | range() | min_of(..) | max_of(..)).
    // Only that single operand belongs to the offset: `x offset 5m + 1` is (x offset 5m) + 1.
    private Expr ParseOffset(Expr expr)
    {
        Advance();
        var saved = _durationContext;
        _durationContext = ("offset", DurationExpected);
        Token? sign = null;
        var t = Peek();
        if (t.Kind is TokenKind.Add or TokenKind.Sub)
        {
            sign = Advance();
            t = Peek();
        }
        DurationValue offset;
        int end;
        if (t.Kind is TokenKind.Number or TokenKind.Duration)
        {
            Advance();
            end = t.End;
            var lit = t.Kind == TokenKind.Number ? SecondsLiteral(t) : DurationLiteral(t);
            if (sign is { } s) lit = (NumberLiteral)ApplyDurationSign(s, lit);
            offset = new DurationValue(LiteralMilliseconds(lit));
        }
        else
        {
            Expr e = t.Kind switch
            {
                TokenKind.LeftParen or TokenKind.Step or TokenKind.Range or TokenKind.MinOf or TokenKind.MaxOf => ParseDurationPrimary(),
                _ => throw DurationUnexpected(t),
            };
            end = e.End;
            if (sign is { } s)
            {
                // Prometheus keeps a signed parenthesised literal as an expression (it prints "-(5)").
                e = s.Kind == TokenKind.Sub ? new UnaryExpr { Negate = true, Inner = e, Start = s.Start, End = e.End } : e;
            }
            offset = MakeDurationValue(e, positive: false);
        }
        _durationContext = saved;
        return ApplyOffset(expr, offset, end);
    }

    // A bare number where a duration is expected means seconds.
    private NumberLiteral SecondsLiteral(Token t)
    {
        double v = ParseNumberToken(t);
        if (DurationOutOfRange(v)) throw Fail(t.Start, "duration out of range");
        return new NumberLiteral(v) { Start = t.Start, End = t.End };
    }

    private Expr ApplyOffset(Expr expr, DurationValue offset, int end)
    {
        const string multiple = "offset may not be set multiple times";
        switch (expr)
        {
            case VectorSelector vs:
                if (vs.Offset != default) throw Fail(vs.Start, multiple);
                return CopySelector(vs, end: end, offset: offset);
            case MatrixSelector ms:
                if (ms.Selector.Offset != default) throw Fail(ms.Start, multiple);
                return new MatrixSelector { Selector = CopySelector(ms.Selector, offset: offset), Range = ms.Range, Start = ms.Start, End = end };
            case SubqueryExpr sq:
                if (sq.Offset != default) throw Fail(sq.Start, multiple);
                return CopySubquery(sq, end, offset: offset);
            default:
                throw Fail(expr.Start, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    // @ [+|-] number|duration  |  @ start()  |  @ end()
    private Expr ParseAt(Expr expr)
    {
        const string ctx = "@";
        const string expected = "timestamp";
        Advance();
        var t = Peek();
        if (t.Kind is TokenKind.Start or TokenKind.End)
        {
            Advance();
            Expect(TokenKind.LeftParen, ctx, expected);
            var close = Expect(TokenKind.RightParen, ctx, expected);
            return ApplyAt(expr, t.Kind == TokenKind.Start ? AtKind.Start : AtKind.End, 0, close.End);
        }
        bool negate = false;
        if (t.Kind is TokenKind.Add or TokenKind.Sub)
        {
            negate = Advance().Kind == TokenKind.Sub;
            t = Peek();
        }
        double ts = t.Kind switch
        {
            TokenKind.Number => ParseNumberToken(t),
            TokenKind.Duration => ParseDurationToken(t) / 1000.0,
            _ => throw Unexpected(t, ctx, expected),
        };
        Advance();
        if (negate) ts = -ts;
        if (double.IsNaN(ts) || double.IsInfinity(ts) || ts >= long.MaxValue || ts <= long.MinValue)
        {
            throw Fail(expr.Start, "timestamp out of bounds for @ modifier: " + FormatGoF(ts));
        }
        long ms = (long)Math.Round(ts * 1000, MidpointRounding.AwayFromZero);
        return ApplyAt(expr, AtKind.Timestamp, ms, t.End);
    }

    private static string FormatGoF(double v) => double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture);

    private Expr ApplyAt(Expr expr, AtKind kind, long ms, int end)
    {
        const string multiple = "@ <timestamp> may not be set multiple times";
        switch (expr)
        {
            case VectorSelector vs:
                if (vs.At != AtKind.None) throw Fail(vs.Start, multiple);
                return CopySelector(vs, end: end, at: kind, atMs: ms);
            case MatrixSelector m:
                if (m.Selector.At != AtKind.None) throw Fail(m.Start, multiple);
                return new MatrixSelector { Selector = CopySelector(m.Selector, at: kind, atMs: ms), Range = m.Range, Start = m.Start, End = end };
            case SubqueryExpr sq:
                if (sq.At != AtKind.None) throw Fail(sq.Start, multiple);
                return CopySubquery(sq, end, at: kind, atMs: ms);
            default:
                throw Fail(expr.Start, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    // `anchored` / `smoothed` (experimental extended range selectors).
    private Expr ApplyRangeModifier(Expr expr, Token t)
    {
        string kind = t.Kind == TokenKind.Anchored ? "anchored" : "smoothed";
        const string both = "anchored and smoothed modifiers cannot be used together";
        switch (expr)
        {
            case VectorSelector vs:
                if (vs.RangeModifier is { } m && m != kind) throw Fail(vs.Start, both);
                return CopySelector(vs, end: t.End, rangeModifier: kind);
            case MatrixSelector ms:
                if (ms.Selector.RangeModifier is { } m2 && m2 != kind) throw Fail(ms.Start, both);
                return new MatrixSelector { Selector = CopySelector(ms.Selector, rangeModifier: kind), Range = ms.Range, Start = ms.Start, End = t.End };
            case SubqueryExpr:
                throw Fail(expr.Start, kind + " modifier is not supported for subqueries");
            default:
                throw Fail(expr.Start, kind + " modifier not implemented");
        }
    }
}
