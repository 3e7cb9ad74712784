namespace Strata.Query.PromQL;

internal sealed partial class Parser
{
    // Prometheus's DocumentedType: how value types are named in type errors.
    private static string Documented(ValueKind k) => k switch
    {
        ValueKind.Vector => "instant vector",
        ValueKind.Matrix => "range vector",
        ValueKind.Scalar => "scalar",
        ValueKind.String => "string",
        _ => "none",
    };

    // Prometheus's ValueType strings (used raw in the subquery error).
    private static string RawTypeName(ValueKind k) => k switch
    {
        ValueKind.Vector => "vector",
        ValueKind.Matrix => "matrix",
        ValueKind.Scalar => "scalar",
        ValueKind.String => "string",
        _ => "none",
    };

    internal static string OperatorName(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Sub => "-",
        BinaryOp.Mul => "*",
        BinaryOp.Div => "/",
        BinaryOp.Mod => "%",
        BinaryOp.Pow => "^",
        BinaryOp.Atan2 => "atan2",
        BinaryOp.Eql => "==",
        BinaryOp.Neq => "!=",
        BinaryOp.Gtr => ">",
        BinaryOp.Lss => "<",
        BinaryOp.Gte => ">=",
        BinaryOp.Lte => "<=",
        BinaryOp.And => "and",
        BinaryOp.Or => "or",
        BinaryOp.Unless => "unless",
        BinaryOp.TrimUpper => "</",
        _ => ">/",
    };

    /// <summary>Type checks in the order of Prometheus's <c>checkAST</c>; throws the first error.</summary>
    private ValueKind Check(Expr node, bool skipEmptyMatcherCheck = false)
    {
        switch (node)
        {
            case AggregateExpr a:
                ExpectType(a.Inner, ValueKind.Vector, "aggregation expression");
                if (a.Op is AggregateOp.Topk or AggregateOp.Bottomk or AggregateOp.Quantile or AggregateOp.LimitK or AggregateOp.LimitRatio)
                {
                    ExpectType(a.Param!, ValueKind.Scalar, "aggregation parameter");
                }
                if (a.Op == AggregateOp.CountValues) ExpectType(a.Param!, ValueKind.String, "aggregation parameter");
                break;
            case BinaryExpr b:
                CheckBinary(b);
                break;
            case CallExpr c:
                CheckCall(c);
                break;
            case ParenExpr p:
                Check(p.Inner);
                break;
            case UnaryExpr u:
            {
                var t = Check(u.Inner);
                if (t is not (ValueKind.Scalar or ValueKind.Vector))
                {
                    throw Fail(u.Start, "unary expression only allowed on expressions of type scalar or instant vector, got " + GoText.Quote(Documented(t)));
                }
                break;
            }
            case SubqueryExpr s:
            {
                var t = Check(s.Inner);
                if (t != ValueKind.Vector) throw Fail(s.Start, $"subquery is only allowed on instant vector, got {RawTypeName(t)} instead");
                break;
            }
            case MatrixSelector m:
                Check(m.Selector);
                break;
            case VectorSelector v:
                CheckSelector(v, skipEmptyMatcherCheck);
                break;
        }
        return node.Kind;
    }

    private void ExpectType(Expr node, ValueKind want, string context)
    {
        var t = Check(node);
        if (t != want) throw Fail(node.Start, $"expected type {Documented(want)} in {context}, got {Documented(t)}");
    }

    private void CheckSelector(VectorSelector v, bool skipEmptyMatcherCheck)
    {
        if (v.Name is not null)
        {
            // The last matcher is the one for the name written outside the braces.
            for (int i = 0; i < v.Matchers.Count - 1; i++)
            {
                var m = v.Matchers[i];
                if (m.Name == MetricNameLabel)
                {
                    throw Fail(v.Start, $"metric name must not be set twice: {GoText.Quote(v.Name)} or {GoText.Quote(m.Value)}");
                }
            }
            return;
        }
        if (skipEmptyMatcherCheck) return;
        foreach (var m in v.Matchers)
        {
            if (!m.MatchesEmpty) return;
        }
        throw Fail(v.Start, "vector selector must contain at least one non-empty matcher");
    }

    private void CheckBinary(BinaryExpr b)
    {
        var lt = Check(b.Lhs);
        var rt = Check(b.Rhs);
        var mods = _binaryModifiers[b];

        int opStart = b.Lhs.End;
        while (opStart < _input.Length && _input[opStart] is ' ' or '\t' or '\n' or '\r') opStart++;

        bool comparison = IsComparison(b.Op);
        bool setOp = IsSetOperator(b.Op);
        if (mods.ReturnBool && !comparison) throw Fail(opStart, "bool modifier can only be used on comparison operators");
        if (comparison && !mods.ReturnBool && lt == ValueKind.Scalar && rt == ValueKind.Scalar)
        {
            throw Fail(opStart, "comparisons between scalars must use BOOL modifier");
        }
        var card = mods.Card;
        if (setOp && card == MatchCardinality.OneToOne) card = MatchCardinality.ManyToMany;
        if (mods.On)
        {
            foreach (var l1 in mods.MatchingLabels)
            {
                foreach (var l2 in mods.Include)
                {
                    if (l1 == l2) throw Fail(opStart, $"label {GoText.Quote(l1)} must not occur in ON and GROUP clause at once");
                }
            }
        }
        const string onlyScalarAndVector = "binary expression must contain only scalar and instant vector types";
        if (lt is not (ValueKind.Scalar or ValueKind.Vector)) throw Fail(b.Lhs.Start, onlyScalarAndVector);
        if (rt is not (ValueKind.Scalar or ValueKind.Vector)) throw Fail(b.Rhs.Start, onlyScalarAndVector);

        bool fill = mods.FillLeft.HasValue || mods.FillRight.HasValue;
        if (lt != ValueKind.Vector || rt != ValueKind.Vector)
        {
            if (mods.MatchingLabels.Count > 0) throw Fail(b.Start, "vector matching only allowed between instant vectors");
            if (fill) throw Fail(b.Start, "filling in missing series only allowed between instant vectors");
        }
        else if (setOp)
        {
            if (card is MatchCardinality.OneToMany or MatchCardinality.ManyToOne)
            {
                throw Fail(b.Start, $"no grouping allowed for {GoText.Quote(OperatorName(b.Op))} operation");
            }
            if (card != MatchCardinality.ManyToMany) throw Fail(b.Start, "set operations must always be many-to-many");
            if (fill) throw Fail(b.Start, "filling in missing series not allowed for set operators");
        }
        if ((lt == ValueKind.Scalar || rt == ValueKind.Scalar) && setOp)
        {
            throw Fail(b.Start, $"set operator {GoText.Quote(OperatorName(b.Op))} not allowed in binary scalar expression");
        }
    }

    private void CheckCall(CallExpr c)
    {
        var fn = c.Function;
        int nargs = fn.ArgKinds.Length;
        string name = GoText.Quote(fn.Name);
        if (fn.Variadic == 0)
        {
            if (nargs != c.Args.Count) throw Fail(c.Start, $"expected {nargs} argument(s) in call to {name}, got {c.Args.Count}");
        }
        else
        {
            int na = nargs - 1;
            if (na > c.Args.Count) throw Fail(c.Start, $"expected at least {na} argument(s) in call to {name}, got {c.Args.Count}");
            if (fn.Variadic > 0 && na + fn.Variadic < c.Args.Count)
            {
                throw Fail(c.Start, $"expected at most {na + fn.Variadic} argument(s) in call to {name}, got {c.Args.Count}");
            }
        }

        // info()'s second argument is a label-selector filter, not a series selection.
        VectorSelector? infoSelector = null;
        if (fn.Name == "info" && c.Args.Count > 1)
        {
            var arg = c.Args[1];
            if (arg.Kind != ValueKind.Vector)
            {
                throw Fail(c.Start, $"expected type {Documented(ValueKind.Vector)} in call to function {name}, got {Documented(arg.Kind)}");
            }
            if (arg is VectorSelector vs)
            {
                if (vs.Name is not null) throw Fail(arg.Start, "expected label selectors only, got vector selector instead");
                infoSelector = vs;
            }
            else
            {
                throw Fail(arg.Start, "expected label selectors only");
            }
        }

        for (int i = 0; i < c.Args.Count; i++)
        {
            int k = i;
            if (k >= nargs)
            {
                if (fn.Variadic == 0) break;
                k = nargs - 1;
            }
            var arg = c.Args[i];
            var t = Check(arg, skipEmptyMatcherCheck: ReferenceEquals(arg, infoSelector));
            if (t != fn.ArgKinds[k])
            {
                throw Fail(arg.Start, $"expected type {Documented(fn.ArgKinds[k])} in call to function {name}, got {Documented(t)}");
            }
        }
    }
}
