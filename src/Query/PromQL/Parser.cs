namespace Strata.Query.PromQL;

/// <summary>
/// Hand-written recursive-descent (Pratt) parser for PromQL, equivalent to Prometheus 3.x's
/// <c>generated_parser.y</c> + <c>parse.go</c>. One instance parses one query and is then dropped.
///
/// Error behaviour follows Prometheus, which collects errors but reports only the first: syntax
/// errors and grammar-action errors (unknown function, misplaced offset, ...) are thrown where
/// Prometheus would record them; type checking (<see cref="Check"/>) runs only on a syntactically
/// valid tree, in Prometheus's <c>checkAST</c> order, and throws its first finding.
/// </summary>
internal sealed partial class Parser
{
    private readonly string _input;
    private readonly List<Token> _tokens;
    private int _index;

    // Prometheus reports generic syntax errors inside an aggregation body as "... in aggregation"
    // because its yacc error recovery unwinds to the `aggregate_op error` rule.
    private string _errorContext = "";

    // Context of errors inside a duration expression: offset, @, or the range/subquery brackets.
    private (string Context, string Expected) _durationContext;

    // Modifiers as written, kept for type checking even when the AST drops the vector matching.
    private readonly Dictionary<BinaryExpr, BinaryModifiers> _binaryModifiers = new(ReferenceEqualityComparer.Instance);

    public Parser(string input)
    {
        _input = input;
        _tokens = Lexer.Tokenize(input);
    }

    /// <summary>Parses a whole expression and type-checks it.</summary>
    public Expr ParseExpression()
    {
        if (Peek().Kind == TokenKind.Eof) throw Fail(0, "no expression found in input");
        var expr = ParseExpr(0);
        ExpectEof();
        Check(expr);
        return expr;
    }

    /// <summary>Parses input that must be exactly one vector selector (no offset, @ or range), like <c>ParseMetricSelector</c>.</summary>
    public VectorSelector ParseSelectorOnly()
    {
        var t = Peek();
        VectorSelector vs;
        if (t.Kind == TokenKind.LeftBrace)
        {
            vs = ParseVectorSelector(null);
        }
        else if (IsMetricIdentifier(t.Kind))
        {
            Advance();
            vs = ParseVectorSelector(t);
        }
        else
        {
            throw Unexpected(t);
        }
        ExpectEof();
        return vs;
    }

    private void ExpectEof()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Eof) throw Unexpected(t);
    }

    private Token Peek()
    {
        var t = _tokens[_index];
        if (t.Kind == TokenKind.Error) throw Fail(t.Start, t.Value ?? "error");
        return t;
    }

    private Token Advance()
    {
        var t = Peek();
        _index++;
        return t;
    }

    private bool At(TokenKind kind) => Peek().Kind == kind;

    private Token Expect(TokenKind kind, string context = "", string expected = "")
    {
        var t = Peek();
        if (t.Kind != kind) throw Unexpected(t, context, expected);
        return Advance();
    }

    private ParseException Fail(int position, string detail) => new(_input, position, detail);

    /// <summary>Prometheus's <c>unexpected(context, expected)</c>: "unexpected &lt;item&gt; in &lt;context&gt;, expected &lt;expected&gt;".</summary>
    private ParseException Unexpected(Token t, string context = "", string expected = "")
    {
        if (context.Length == 0) context = _errorContext;
        string msg = "unexpected " + t.Describe();
        if (context.Length > 0) msg += " in " + context;
        if (expected.Length > 0) msg += ", expected " + expected;
        return Fail(t.Start, msg);
    }

    private static bool IsMetricIdentifier(TokenKind k) => k is TokenKind.Identifier or TokenKind.MetricIdentifier
        or TokenKind.By or TokenKind.Without or TokenKind.Offset or TokenKind.LAnd or TokenKind.LOr or TokenKind.LUnless
        or TokenKind.Start or TokenKind.End or TokenKind.Step or TokenKind.Range or TokenKind.MinOf or TokenKind.MaxOf
        or TokenKind.Anchored or TokenKind.Smoothed or TokenKind.Fill or TokenKind.FillLeft or TokenKind.FillRight
        || k is >= TokenKind.Avg and <= TokenKind.LimitRatio;

    /// <summary>Keywords that may also be label names in <c>by</c>/<c>without</c>/<c>on</c>/<c>ignoring</c>/<c>group_*</c> lists.</summary>
    private static bool IsMaybeLabel(TokenKind k) => IsMetricIdentifier(k)
        || k is TokenKind.Bool or TokenKind.On or TokenKind.Ignoring or TokenKind.GroupLeft or TokenKind.GroupRight or TokenKind.Atan2;

    private double ParseNumberToken(Token t)
    {
        return GoText.ParseNumber(t.Text, out string? err) ?? throw Fail(t.Start, "error parsing number: " + err);
    }

    private long ParseDurationToken(Token t)
    {
        if (!PromDuration.TryParse(t.Text, out long ms, out string? err)) throw Fail(t.Start, err!);
        return ms;
    }

    private NumberLiteral DurationLiteral(Token t) =>
        new(ParseDurationToken(t) / 1000.0) { IsDuration = true, Start = t.Start, End = t.End };

    private static VectorSelector CopySelector(
        VectorSelector vs, int? end = null, DurationValue? offset = null, AtKind? at = null, long? atMs = null, string? rangeModifier = null) => new()
        {
            Name = vs.Name,
            Matchers = vs.Matchers,
            Offset = offset ?? vs.Offset,
            At = at ?? vs.At,
            AtMs = atMs ?? vs.AtMs,
            RangeModifier = rangeModifier ?? vs.RangeModifier,
            Start = vs.Start,
            End = end ?? vs.End,
        };

    private static SubqueryExpr CopySubquery(SubqueryExpr sq, int end, DurationValue? offset = null, AtKind? at = null, long? atMs = null) => new()
    {
        Inner = sq.Inner,
        Range = sq.Range,
        Step = sq.Step,
        Offset = offset ?? sq.Offset,
        At = at ?? sq.At,
        AtMs = atMs ?? sq.AtMs,
        Start = sq.Start,
        End = end,
    };

    /// <summary>Binary-operator modifiers exactly as written (before type checking adjusts them).</summary>
    private sealed record BinaryModifiers(
        bool ReturnBool,
        bool On,
        IReadOnlyList<string> MatchingLabels,
        MatchCardinality Card,
        IReadOnlyList<string> Include,
        double? FillLeft,
        double? FillRight);
}
