using System.Text;
using Strata.Storage.Index;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.LogQL;

/// <summary>
/// Hand-written recursive-descent (Pratt for operators) parser for LogQL, equivalent to Loki 3.x's
/// <c>syntax.y</c> + <c>parser.go</c>. One instance parses one query and is then dropped.
/// </summary>
/// <remarks>
/// <para>Errors come in the three kinds Loki has, in Loki's order:</para>
/// <list type="number">
/// <item>Lexer and syntax errors, raised where goyacc would detect them, worded as goyacc's verbose
/// messages: <c>syntax error: unexpected X</c>, plus <c>, expecting A or B</c> when the parser state
/// allows at most four tokens. The expected sets passed to <see cref="SyntaxError"/> are the LALR
/// state's shiftable tokens; where Loki's tables reduce by default before noticing the error, the
/// set of the state it reduces into is used (see the comments at each call).</item>
/// <item>Errors Loki raises with <c>panic</c> inside grammar actions (a bad regex in a matcher, an
/// invalid <c>| regexp</c> or <c>| pattern</c>): thrown immediately.</item>
/// <item>Errors Loki stores on the node it builds (<c>topk</c> without k, <c>sum_over_time</c>
/// without unwrap, a log selector as a binary operand...): kept in <see cref="_deferred"/> and
/// reported only after the whole query parsed, by <see cref="Validate"/>, walking the tree in Loki's
/// validation order.</item>
/// </list>
/// </remarks>
internal sealed partial class Parser
{
    private readonly string _input;
    private readonly List<Token> _tokens;
    private int _index;
    private readonly Dictionary<object, string> _deferred = new(ReferenceEqualityComparer.Instance);

    public Parser(string input)
    {
        _input = input;
        _tokens = Lexer.Tokenize(input);
    }

    /// <summary>Parses a whole query (the grammar's <c>root</c>) and runs Loki's post-parse checks.</summary>
    public LogQLExpr ParseRoot(bool checkMatchers)
    {
        var expr = ParseExpr(0);
        ExpectEof();
        Validate(expr, checkMatchers);
        return expr;
    }

    private void ExpectEof()
    {
        var t = Peek();
        if (t.Kind != TokenKind.Eof) throw SyntaxError(t);
    }

    private Token Peek()
    {
        var t = _tokens[_index];
        if (t.Kind == TokenKind.Error) throw Fail(t, t.Value ?? "error");
        return t;
    }

    /// <summary>The item after the next one (goyacc's lookahead after shifting the next item).</summary>
    private Token PeekSecond()
    {
        Peek();
        if (_index + 1 >= _tokens.Count) return _tokens[^1];
        var t = _tokens[_index + 1];
        if (t.Kind == TokenKind.Error) throw Fail(t, t.Value ?? "error");
        return t;
    }

    private Token Advance()
    {
        var t = Peek();
        _index++;
        return t;
    }

    private bool At(TokenKind kind) => Peek().Kind == kind;

    /// <summary>End offset of the last consumed item.</summary>
    private int LastEnd => _index > 0 ? _tokens[_index - 1].End : 0;

    /// <summary>Consumes an item of <paramref name="kind"/> or fails with a syntax error listing <paramref name="expected"/>.</summary>
    private Token Expect(TokenKind kind, params TokenKind[] expected)
    {
        var t = Peek();
        if (t.Kind != kind) throw SyntaxError(t, expected);
        return Advance();
    }

    private LogQLParseException Fail(Token t, string detail) => LogQLParseException.At(_input, t.Start, t.NoLine, detail);

    /// <summary>
    /// goyacc's verbose message: the expected tokens are listed (in <c>syntax.y</c> declaration
    /// order) only when there are one to four of them; an empty set means "many".
    /// </summary>
    private LogQLParseException SyntaxError(Token t, params TokenKind[] expected)
    {
        var sb = new StringBuilder("syntax error: unexpected ").Append(t.Describe());
        if (expected.Length is > 0 and <= 4)
        {
            var sorted = (TokenKind[])expected.Clone();
            Array.Sort(sorted);
            for (int i = 0; i < sorted.Length; i++)
            {
                sb.Append(i == 0 ? ", expecting " : " or ").Append(Token.Describe(sorted[i]));
            }
        }
        return Fail(t, sb.ToString());
    }

    /// <summary>Records an error Loki keeps on the node; reported by <see cref="Validate"/> if the query parses.</summary>
    private void Defer(object node, string message) => _deferred.TryAdd(node, message);

    /// <summary>
    /// Builds a matcher as Prometheus's <c>labels.NewMatcher</c>; a regex that does not compile is
    /// an immediate error (Loki panics in <c>mustNewMatcher</c>), worded like Go's regexp errors.
    /// </summary>
    private static LabelMatcher NewMatcher(string name, Token op, string value)
    {
        var type = op.Kind switch
        {
            TokenKind.Eq => MatchType.Equal,
            TokenKind.Neq => MatchType.NotEqual,
            TokenKind.Re => MatchType.Regex,
            _ => MatchType.NotRegex,
        };
        if (type is MatchType.Equal or MatchType.NotEqual) return new LabelMatcher(type, name, value);
        try
        {
            // .NET spells Go's (?P<name>...) as (?<name>...); the matcher keeps the .NET form.
            return new LabelMatcher(type, name, GoRegex.ToDotNet(value));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // Compiled a second time only to word the error as Go does.
            string shown = "^(?s:" + value + ")$";
            throw LogQLParseException.NoPosition(
                GoRegex.CompileError(value, shown) ?? $"error parsing regexp: invalid or unsupported Perl syntax: `{shown}`");
        }
    }

    private static bool IsMatchOp(TokenKind k) => k is TokenKind.Eq or TokenKind.Neq or TokenKind.Re or TokenKind.Nre;

    /// <summary><c>by (a, b)</c> / <c>without ()</c>; the keyword is the next item.</summary>
    private Grouping ParseGrouping()
    {
        bool without = Advance().Kind == TokenKind.Without;
        Expect(TokenKind.OpenParen, TokenKind.OpenParen);
        return new Grouping { Without = without, Labels = ParseLabelList() };
    }

    /// <summary>
    /// The rest of <c>( [IDENTIFIER {, IDENTIFIER}] )</c> after the open parenthesis. Unlike
    /// PromQL there is no trailing comma, and keywords (<c>json</c>, <c>by</c>...) are not label names.
    /// </summary>
    private List<string> ParseLabelList()
    {
        var labels = new List<string>();
        if (At(TokenKind.CloseParen))
        {
            Advance();
            return labels;
        }
        labels.Add(Expect(TokenKind.Identifier, TokenKind.Identifier, TokenKind.CloseParen).Text);
        while (true)
        {
            var t = Peek();
            if (t.Kind == TokenKind.CloseParen)
            {
                Advance();
                return labels;
            }
            if (t.Kind != TokenKind.Comma) throw SyntaxError(t, TokenKind.Comma, TokenKind.CloseParen);
            Advance();
            labels.Add(Expect(TokenKind.Identifier, TokenKind.Identifier).Text);
        }
    }
}
