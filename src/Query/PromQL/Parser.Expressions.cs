namespace Strata.Query.PromQL;

internal sealed partial class Parser
{
    private const int PowPrecedence = 6;

    // Prometheus precedence, lowest first: or; and unless; comparisons; + -; * / % atan2; ^ (right-assoc).
    private static int Precedence(TokenKind k) => k switch
    {
        TokenKind.LOr => 1,
        TokenKind.LAnd or TokenKind.LUnless => 2,
        TokenKind.EqlC or TokenKind.Neq or TokenKind.Lte or TokenKind.Lss or TokenKind.Gte or TokenKind.Gtr
            or TokenKind.TrimUpper or TokenKind.TrimLower => 3,
        TokenKind.Add or TokenKind.Sub => 4,
        TokenKind.Mul or TokenKind.Div or TokenKind.Mod or TokenKind.Atan2 => 5,
        TokenKind.Pow => PowPrecedence,
        _ => -1,
    };

    private Expr ParseExpr(int minPrecedence)
    {
        var left = ParseUnary();
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

    // Unary +/- binds like '*' (Prometheus: `unary_op expr %prec MUL`), so only '^' and the postfix
    // modifiers bind tighter: -2^2 = -(2^2), -a*b = (-a)*b. A sign directly on a number literal is
    // folded into the literal.
    private Expr ParseUnary()
    {
        var t = Peek();
        if (t.Kind is not (TokenKind.Add or TokenKind.Sub)) return ParsePostfix(ParsePrimary());
        Advance();
        var operand = ParseExpr(PowPrecedence);
        bool negate = t.Kind == TokenKind.Sub;
        if (operand is NumberLiteral nl)
        {
            return new NumberLiteral(negate ? -nl.Value : nl.Value) { IsDuration = nl.IsDuration, Start = t.Start, End = nl.End };
        }
        return new UnaryExpr { Negate = negate, Inner = operand, Start = t.Start, End = operand.End };
    }

    // Range/subquery brackets, offset, @ and anchored/smoothed bind tighter than any operator.
    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            var t = Peek();
            switch (t.Kind)
            {
                case TokenKind.LeftBracket:
                    expr = ParseRangeOrSubquery(expr);
                    break;
                case TokenKind.Offset:
                    expr = ParseOffset(expr);
                    break;
                case TokenKind.At:
                    expr = ParseAt(expr);
                    break;
                case TokenKind.Anchored or TokenKind.Smoothed:
                    Advance();
                    expr = ApplyRangeModifier(expr, t);
                    break;
                default:
                    return expr;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var t = Peek();
        switch (t.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(ParseNumberToken(t)) { Start = t.Start, End = t.End };
            case TokenKind.Duration:
                Advance();
                return DurationLiteral(t);
            case TokenKind.String:
                Advance();
                return new StringLiteral(t.Value!) { Start = t.Start, End = t.End };
            case TokenKind.LeftParen:
            {
                Advance();
                var inner = ParseExpr(0);
                var close = Expect(TokenKind.RightParen);
                return new ParenExpr { Inner = inner, Start = t.Start, End = close.End };
            }
            case TokenKind.LeftBrace:
                return ParseVectorSelector(null);
            case TokenKind.Identifier or TokenKind.Start or TokenKind.End or TokenKind.Step or TokenKind.Range
                or TokenKind.MinOf or TokenKind.MaxOf:
                Advance();
                return At(TokenKind.LeftParen) ? ParseCall(t) : ParseVectorSelector(t);
        }
        if (t.IsAggregator)
        {
            Advance();
            return Peek().Kind is TokenKind.LeftParen or TokenKind.By or TokenKind.Without ? ParseAggregate(t) : ParseVectorSelector(t);
        }
        if (IsMetricIdentifier(t.Kind))
        {
            Advance();
            return ParseVectorSelector(t);
        }
        throw Unexpected(t);
    }

    private CallExpr ParseCall(Token name)
    {
        var (args, end) = ParseCallArgs();
        // Prometheus looks the raw text up, so START() is an unknown function while start() is not.
        var fn = PromQLFunctions.Lookup(name.Text) ?? throw Fail(name.Start, "unknown function with name " + GoText.Quote(name.Text));
        return new CallExpr { Function = fn, Args = args, Start = name.Start, End = end };
    }

    private (List<Expr> Args, int End) ParseCallArgs()
    {
        Expect(TokenKind.LeftParen);
        var args = new List<Expr>();
        if (At(TokenKind.RightParen)) return (args, Advance().End);
        while (true)
        {
            args.Add(ParseExpr(0));
            var t = Peek();
            if (t.Kind == TokenKind.Comma)
            {
                Advance();
                if (At(TokenKind.RightParen)) throw Fail(t.Start, "trailing commas not allowed in function call args");
                continue;
            }
            if (t.Kind == TokenKind.RightParen) return (args, Advance().End);
            throw Unexpected(t);
        }
    }

    // sum [by|without (labels)] (args) [by|without (labels)]
    private AggregateExpr ParseAggregate(Token opToken)
    {
        string savedContext = _errorContext;
        _errorContext = "aggregation";
        IReadOnlyList<string> grouping = [];
        bool without = false;
        bool hasGrouping = false;
        if (Peek().Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            hasGrouping = true;
            grouping = ParseGroupingLabels().Labels;
        }
        if (!At(TokenKind.LeftParen)) throw Unexpected(Peek());
        var (args, end) = ParseCallArgs();
        _errorContext = savedContext;
        if (!hasGrouping && Peek().Kind is TokenKind.By or TokenKind.Without)
        {
            without = Advance().Kind == TokenKind.Without;
            hasGrouping = true;
            (grouping, end) = ParseGroupingLabels();
        }

        var op = AggregateOpOf(opToken.Kind);
        if (args.Count == 0) throw Fail(opToken.Start, "no arguments for aggregate expression provided");
        int desired = HasParameter(op) ? 2 : 1;
        if (args.Count != desired)
        {
            throw Fail(opToken.Start, $"wrong number of arguments for aggregate expression provided, expected {desired}, got {args.Count}");
        }
        return new AggregateExpr
        {
            Op = op,
            Param = desired == 2 ? args[0] : null,
            Inner = args[desired - 1],
            Grouping = grouping,
            Without = without,
            HasGrouping = hasGrouping,
            Start = opToken.Start,
            End = end,
        };
    }

    internal static bool HasParameter(AggregateOp op) =>
        op is AggregateOp.Topk or AggregateOp.Bottomk or AggregateOp.Quantile or AggregateOp.CountValues
            or AggregateOp.LimitK or AggregateOp.LimitRatio;

    private static AggregateOp AggregateOpOf(TokenKind k) => k switch
    {
        TokenKind.Sum => AggregateOp.Sum,
        TokenKind.Avg => AggregateOp.Avg,
        TokenKind.Count => AggregateOp.Count,
        TokenKind.Min => AggregateOp.Min,
        TokenKind.Max => AggregateOp.Max,
        TokenKind.Group => AggregateOp.Group,
        TokenKind.Stddev => AggregateOp.Stddev,
        TokenKind.Stdvar => AggregateOp.Stdvar,
        TokenKind.Topk => AggregateOp.Topk,
        TokenKind.Bottomk => AggregateOp.Bottomk,
        TokenKind.Quantile => AggregateOp.Quantile,
        TokenKind.CountValues => AggregateOp.CountValues,
        TokenKind.LimitK => AggregateOp.LimitK,
        TokenKind.LimitRatio => AggregateOp.LimitRatio,
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    // [bool] [on|ignoring (labels) [group_left|group_right [(labels)]]] [fill(v)|fill_left(v)|fill_right(v)]*
    private BinaryModifiers ParseBinaryModifiers()
    {
        bool returnBool = false;
        bool on = false;
        IReadOnlyList<string> labels = [];
        IReadOnlyList<string> include = [];
        var card = MatchCardinality.OneToOne;
        double? fillLeft = null;
        double? fillRight = null;

        if (At(TokenKind.Bool))
        {
            Advance();
            returnBool = true;
        }
        if (Peek().Kind is TokenKind.On or TokenKind.Ignoring)
        {
            on = Advance().Kind == TokenKind.On;
            labels = ParseGroupingLabels().Labels;
            if (Peek().Kind is TokenKind.GroupLeft or TokenKind.GroupRight)
            {
                card = Advance().Kind == TokenKind.GroupLeft ? MatchCardinality.ManyToOne : MatchCardinality.OneToMany;
                // As in Prometheus, a '(' right after group_x is always its label list.
                if (At(TokenKind.LeftParen)) include = ParseGroupingLabels().Labels;
            }
        }
        while (Peek().Kind is TokenKind.Fill or TokenKind.FillLeft or TokenKind.FillRight)
        {
            var kind = Advance().Kind;
            double v = ParseFillValue();
            if (kind != TokenKind.FillRight) fillLeft = v;
            if (kind != TokenKind.FillLeft) fillRight = v;
        }
        return new BinaryModifiers(returnBool, on, labels, card, include, fillLeft, fillRight);
    }

    // '(' [+|-] number ')'
    private double ParseFillValue()
    {
        Expect(TokenKind.LeftParen);
        var t = Peek();
        bool negate = false;
        if (t.Kind is TokenKind.Add or TokenKind.Sub)
        {
            negate = t.Kind == TokenKind.Sub;
            Advance();
            t = Peek();
        }
        double v = t.Kind switch
        {
            TokenKind.Number => ParseNumberToken(t),
            TokenKind.Duration => ParseDurationToken(t) / 1000.0,
            _ => throw Unexpected(t),
        };
        Advance();
        Expect(TokenKind.RightParen);
        return negate ? -v : v;
    }

    private BinaryExpr MakeBinary(Token opToken, BinaryModifiers modifiers, Expr lhs, Expr rhs)
    {
        var op = BinaryOpOf(opToken.Kind);
        VectorMatching? matching = null;
        if (lhs.Kind == ValueKind.Vector && rhs.Kind == ValueKind.Vector)
        {
            var card = modifiers.Card;
            if (IsSetOperator(op) && card == MatchCardinality.OneToOne) card = MatchCardinality.ManyToMany;
            matching = new VectorMatching
            {
                Card = card,
                MatchingLabels = modifiers.MatchingLabels,
                On = modifiers.On,
                Include = modifiers.Include,
                FillLeft = modifiers.FillLeft,
                FillRight = modifiers.FillRight,
            };
        }
        var node = new BinaryExpr
        {
            Op = op,
            Lhs = lhs,
            Rhs = rhs,
            ReturnBool = modifiers.ReturnBool,
            Matching = matching,
            Start = lhs.Start,
            End = rhs.End,
        };
        _binaryModifiers[node] = modifiers;
        return node;
    }

    internal static bool IsSetOperator(BinaryOp op) => op is BinaryOp.And or BinaryOp.Or or BinaryOp.Unless;

    internal static bool IsComparison(BinaryOp op) =>
        op is BinaryOp.Eql or BinaryOp.Neq or BinaryOp.Gtr or BinaryOp.Lss or BinaryOp.Gte or BinaryOp.Lte;

    private static BinaryOp BinaryOpOf(TokenKind k) => k switch
    {
        TokenKind.Add => BinaryOp.Add,
        TokenKind.Sub => BinaryOp.Sub,
        TokenKind.Mul => BinaryOp.Mul,
        TokenKind.Div => BinaryOp.Div,
        TokenKind.Mod => BinaryOp.Mod,
        TokenKind.Pow => BinaryOp.Pow,
        TokenKind.Atan2 => BinaryOp.Atan2,
        TokenKind.EqlC => BinaryOp.Eql,
        TokenKind.Neq => BinaryOp.Neq,
        TokenKind.Gtr => BinaryOp.Gtr,
        TokenKind.Lss => BinaryOp.Lss,
        TokenKind.Gte => BinaryOp.Gte,
        TokenKind.Lte => BinaryOp.Lte,
        TokenKind.LAnd => BinaryOp.And,
        TokenKind.LOr => BinaryOp.Or,
        TokenKind.LUnless => BinaryOp.Unless,
        TokenKind.TrimUpper => BinaryOp.TrimUpper,
        TokenKind.TrimLower => BinaryOp.TrimLower,
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };
}
