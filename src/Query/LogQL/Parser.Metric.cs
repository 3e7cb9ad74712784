using System.Globalization;

namespace Strata.Query.LogQL;

internal sealed partial class Parser
{
    private const int PowPrecedence = 6;

    // syntax.y, lowest first: or; and unless; == != < <= > >=; + -; * / %; ^ (right-associative).
    private static int Precedence(TokenKind k) => k switch
    {
        TokenKind.Or => 1,
        TokenKind.And or TokenKind.Unless => 2,
        TokenKind.CmpEq or TokenKind.Neq or TokenKind.Lt or TokenKind.Lte or TokenKind.Gt or TokenKind.Gte => 3,
        TokenKind.Add or TokenKind.Sub => 4,
        TokenKind.Mul or TokenKind.Div or TokenKind.Mod => 5,
        TokenKind.Pow => PowPrecedence,
        _ => -1,
    };

    /// <summary>
    /// The grammar's <c>expr</c>: a log selector or a metric expression, with binary operators.
    /// A log selector is only ever a whole query, a parenthesised query or (semantically invalid,
    /// reported after parsing) a binary operand; the callers that need a metric expression check.
    /// </summary>
    private LogQLExpr ParseExpr(int minPrecedence)
    {
        var left = ParsePrimary();
        while (true)
        {
            var op = Peek();
            int prec = Precedence(op.Kind);
            if (prec < 0 || prec < minPrecedence) return left;
            Advance();
            var modifiers = ParseBinaryModifiers();
            var right = ParseExpr(op.Kind == TokenKind.Pow ? prec : prec + 1);
            left = MakeBinary(op, modifiers, left, right);
        }
    }

    private LogQLExpr ParsePrimary()
    {
        var t = Peek();
        switch (t.Kind)
        {
            case TokenKind.OpenBrace:
                return ParseLogSelector(allowUnwrap: false);
            case TokenKind.OpenParen:
            {
                // ( logExpr ) and ( metricExpr ) keep no node, as in Loki. The state after the inner
                // expression reduces by default to the binary-operator state, so a bad token there
                // gets no expected list.
                Advance();
                var inner = ParseExpr(0);
                var close = Expect(TokenKind.CloseParen);
                return inner is LogSelectorExpr s ? Respan(s, t.Start, close.End) : inner;
            }
            case TokenKind.Number:
            case TokenKind.Add or TokenKind.Sub:
                return ParseLiteral();
            case TokenKind.Vector:
                return ParseVectorExpr();
            case TokenKind.LabelReplace:
                return ParseLabelReplace();
        }
        if (t.IsRangeOp) return ParseRangeAggregation();
        if (t.IsVectorOp) return ParseVectorAggregation();
        throw SyntaxError(t);
    }

    private static LogSelectorExpr Respan(LogSelectorExpr s, int start, int end) =>
        new() { Matchers = s.Matchers, Stages = s.Stages, Start = start, End = end };

    /// <summary>An operand that must be a metric expression; a log selector there is a syntax error at the item after it.</summary>
    private MetricExpr ParseMetricOperand()
    {
        var e = ParseExpr(0);
        if (e is MetricExpr m) return m;
        throw SyntaxError(Peek());
    }

    // NUMBER, + NUMBER or - NUMBER (LogQL has no other unary operators).
    private LiteralExpr ParseLiteral()
    {
        var first = Advance();
        var number = first;
        bool negate = false;
        if (first.Kind is TokenKind.Add or TokenKind.Sub)
        {
            negate = first.Kind == TokenKind.Sub;
            number = Expect(TokenKind.Number, TokenKind.Number);
        }
        double? v = Lexer.ParseGoFloat(number.Text, out string? err);
        double value = v ?? ParseFailureValue(number.Text);
        var lit = new LiteralExpr { Value = negate ? -value : value, Start = first.Start, End = number.End };
        if (err is not null) Defer(lit, "unable to parse literal as a float: " + err);
        return lit;
    }

    // strconv.ParseFloat returns ±Inf with its range error and 0 with its syntax error.
    private static double ParseFailureValue(string text) =>
        text.Contains('e', StringComparison.OrdinalIgnoreCase) && !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? double.PositiveInfinity
            : 0;

    private VectorExpr ParseVectorExpr()
    {
        var start = Advance();
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        var number = Expect(TokenKind.Number, TokenKind.Number);
        var close = Expect(TokenKind.CloseParen, TokenKind.CloseParen);
        double? v = Lexer.ParseGoFloat(number.Text, out string? err);
        var expr = new VectorExpr { Value = v ?? ParseFailureValue(number.Text), Start = start.Start, End = close.End };
        if (err is not null) Defer(expr, "unable to parse vectorExpr as a float: " + err);
        return expr;
    }

    private LabelReplaceExpr ParseLabelReplace()
    {
        var start = Advance();
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        var inner = ParseMetricOperand();
        // After the operand Loki's tables reduce to the binary-operator state first: no list.
        Expect(TokenKind.Comma);
        string dst = Expect(TokenKind.String, TokenKind.String).Value!;
        Expect(TokenKind.Comma, TokenKind.Comma);
        string replacement = Expect(TokenKind.String, TokenKind.String).Value!;
        Expect(TokenKind.Comma, TokenKind.Comma);
        string src = Expect(TokenKind.String, TokenKind.String).Value!;
        Expect(TokenKind.Comma, TokenKind.Comma);
        string regex = Expect(TokenKind.String, TokenKind.String).Value!;
        var close = Expect(TokenKind.CloseParen, TokenKind.CloseParen);
        var expr = new LabelReplaceExpr
        {
            Inner = inner,
            Destination = dst,
            Replacement = replacement,
            Source = src,
            Regex = regex,
            Start = start.Start,
            End = close.End,
        };
        string anchored = "^(?:" + regex + ")$";
        if (GoRegex.CompileError(anchored, anchored) is { } error) Defer(expr, "invalid regex in label_replace: " + error);
        return expr;
    }

    /// <summary>
    /// <c>op [grouping] ( [NUMBER ,] metricExpr ) [grouping]</c>. The parameter is only a plain
    /// NUMBER followed by a comma (<c>sum(3)</c> aggregates the literal 3).
    /// </summary>
    private VectorAggregationExpr ParseVectorAggregation()
    {
        var opTok = Advance();
        Grouping? before = Peek().Kind is TokenKind.By or TokenKind.Without ? ParseGrouping() : null;
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        string? param = null;
        if (At(TokenKind.Number) && PeekSecond().Kind == TokenKind.Comma)
        {
            param = Advance().Text;
            Advance();
        }
        var inner = ParseMetricOperand();
        // As for label_replace, a bad item here is reported from the binary-operator state.
        Expect(TokenKind.CloseParen);
        Grouping? after = before is null && Peek().Kind is TokenKind.By or TokenKind.Without ? ParseGrouping() : null;
        var op = VectorOpOf(opTok.Kind);
        var grouping = before ?? after;
        int? k = null;
        string? error = null;
        switch (op)
        {
            case VectorOp.Topk or VectorOp.Bottomk or VectorOp.ApproxTopk:
                if (param is null) error = $"parameter required for operation {op.Name()}";
                else if (!int.TryParse(param, NumberStyles.None, CultureInfo.InvariantCulture, out int n)) error = $"invalid parameter {op.Name()}({param},";
                else if (n <= 0) error = $"invalid parameter (must be greater than 0) {op.Name()}({param}";
                else k = n;
                if (error is null && op == VectorOp.ApproxTopk && grouping is not null) error = "grouping not allowed for approx_topk aggregation";
                break;
            default:
                if (param is not null) error = $"unsupported parameter for operation {op.Name()}({param},";
                break;
        }
        var expr = new VectorAggregationExpr
        {
            Op = op,
            Inner = inner,
            Grouping = grouping ?? new Grouping(),
            Parameter = k,
            Start = opTok.Start,
            End = LastEnd,
        };
        if (error is not null) Defer(expr, error);
        return expr;
    }

    private static VectorOp VectorOpOf(TokenKind k) => k switch
    {
        TokenKind.Sum => VectorOp.Sum,
        TokenKind.Avg => VectorOp.Avg,
        TokenKind.Count => VectorOp.Count,
        TokenKind.Max => VectorOp.Max,
        TokenKind.Min => VectorOp.Min,
        TokenKind.Stddev => VectorOp.Stddev,
        TokenKind.Stdvar => VectorOp.Stdvar,
        TokenKind.Bottomk => VectorOp.Bottomk,
        TokenKind.Topk => VectorOp.Topk,
        TokenKind.Sort => VectorOp.Sort,
        TokenKind.SortDesc => VectorOp.SortDesc,
        _ => VectorOp.ApproxTopk,
    };

    // ---- binary operators ----------------------------------------------------------------------

    private readonly record struct BinaryModifiers(bool ReturnBool, BinaryMatching Matching);

    // [bool] [on|ignoring ( labels ) [group_left|group_right [( labels )]]]
    private BinaryModifiers ParseBinaryModifiers()
    {
        bool returnBool = false;
        if (At(TokenKind.Bool))
        {
            Advance();
            returnBool = true;
        }
        var t = Peek();
        if (t.Kind is not (TokenKind.On or TokenKind.Ignoring))
        {
            return new BinaryModifiers(returnBool, new BinaryMatching { Card = MatchingCardinality.OneToOne });
        }
        Advance();
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        var labels = ParseLabelList();
        var card = MatchingCardinality.OneToOne;
        IReadOnlyList<string> include = [];
        var g = Peek();
        if (g.Kind is TokenKind.GroupLeft or TokenKind.GroupRight)
        {
            Advance();
            card = g.Kind == TokenKind.GroupLeft ? MatchingCardinality.ManyToOne : MatchingCardinality.OneToMany;
            // A '(' right after group_left is always its label list (yacc shifts), never the operand.
            if (At(TokenKind.OpenParen))
            {
                Advance();
                include = ParseLabelList();
            }
        }
        return new BinaryModifiers(returnBool, new BinaryMatching
        {
            Card = card,
            On = t.Kind == TokenKind.On,
            MatchingLabels = labels,
            Include = include,
        });
    }

    private static BinaryOperator BinaryOperatorOf(TokenKind k) => k switch
    {
        TokenKind.Or => BinaryOperator.Or,
        TokenKind.And => BinaryOperator.And,
        TokenKind.Unless => BinaryOperator.Unless,
        TokenKind.Add => BinaryOperator.Add,
        TokenKind.Sub => BinaryOperator.Sub,
        TokenKind.Mul => BinaryOperator.Mul,
        TokenKind.Div => BinaryOperator.Div,
        TokenKind.Mod => BinaryOperator.Mod,
        TokenKind.Pow => BinaryOperator.Pow,
        TokenKind.CmpEq => BinaryOperator.Eq,
        TokenKind.Neq => BinaryOperator.Neq,
        TokenKind.Gt => BinaryOperator.Gt,
        TokenKind.Gte => BinaryOperator.Gte,
        TokenKind.Lt => BinaryOperator.Lt,
        _ => BinaryOperator.Lte,
    };

    /// <summary>
    /// Loki's <c>mustNewBinOpExpr</c>: both legs must be metric expressions, set operators take no
    /// literal, and two literals fold into one (<c>1 + 1 + 1</c> is 3, <c>1 &gt; 2</c> is 0).
    /// </summary>
    private MetricExpr MakeBinary(Token opTok, BinaryModifiers modifiers, LogQLExpr left, LogQLExpr right)
    {
        var op = BinaryOperatorOf(opTok.Kind);
        string opText = opTok.Describe();
        if (left is LogSelectorExpr ls) return Invalid(left, right, $"unexpected type for left leg of binary operation ({opText}): {GoTypeName(ls)}");
        if (right is LogSelectorExpr rs) return Invalid(left, right, $"unexpected type for right leg of binary operation ({opText}): {GoTypeName(rs)}");
        var lhs = (MetricExpr)left;
        var rhs = (MetricExpr)right;
        var ll = lhs as LiteralExpr;
        var rl = rhs as LiteralExpr;
        bool literalsValid = (ll is null || !_deferred.ContainsKey(ll)) && (rl is null || !_deferred.ContainsKey(rl));
        if (literalsValid && op is BinaryOperator.Or or BinaryOperator.And or BinaryOperator.Unless)
        {
            if (ll is not null) return Invalid(left, right, $"unexpected literal for left leg of logical/set binary operation ({opText}): {GoF6(ll.Value)}");
            if (rl is not null) return Invalid(left, right, $"unexpected literal for right leg of logical/set binary operation ({opText}): {GoF6(rl.Value)}");
        }
        if (literalsValid && ll is not null && rl is not null)
        {
            return new LiteralExpr { Value = Fold(op, ll.Value, rl.Value), Start = lhs.Start, End = rhs.End };
        }
        return new BinaryOpExpr
        {
            Op = op,
            Lhs = lhs,
            Rhs = rhs,
            ReturnBool = modifiers.ReturnBool,
            Matching = modifiers.Matching,
            Start = lhs.Start,
            End = rhs.End,
        };
    }

    private InvalidMetricExpr Invalid(LogQLExpr left, LogQLExpr right, string message)
    {
        var e = new InvalidMetricExpr { Start = left.Start, End = right.End };
        Defer(e, message);
        return e;
    }

    private static string GoTypeName(LogSelectorExpr s) => s.Stages.Count == 0 ? "*syntax.MatchersExpr" : "*syntax.PipelineExpr";

    /// <summary>Go's <c>%f</c>.</summary>
    internal static string GoF6(double v) => double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("F6", CultureInfo.InvariantCulture);

    // Loki's MergeBinOp on two scalars: x/0 and x%0 are NaN, comparisons give 1 or 0.
    private static double Fold(BinaryOperator op, double l, double r) => op switch
    {
        BinaryOperator.Add => l + r,
        BinaryOperator.Sub => l - r,
        BinaryOperator.Mul => l * r,
        BinaryOperator.Div => r == 0 ? double.NaN : l / r,
        BinaryOperator.Mod => r == 0 ? double.NaN : l % r, // C#'s % is Go's math.Mod (sign of the dividend)
        BinaryOperator.Pow => Math.Pow(l, r),
        BinaryOperator.Eq => l == r ? 1 : 0,
        BinaryOperator.Neq => l != r ? 1 : 0,
        BinaryOperator.Gt => l > r ? 1 : 0,
        BinaryOperator.Gte => l >= r ? 1 : 0,
        BinaryOperator.Lt => l < r ? 1 : 0,
        _ => l <= r ? 1 : 0,
    };
}
