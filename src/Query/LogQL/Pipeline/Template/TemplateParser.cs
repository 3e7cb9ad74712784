namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Go's <c>text/template</c> parser for the subset LogQL uses: text, actions, pipelines with <c>|</c>,
/// variables (<c>$x :=</c>, <c>$x =</c>, <c>$</c>), fields (<c>.a.b</c>), parenthesised pipelines,
/// constants, <c>if</c>/<c>else if</c>/<c>else</c>/<c>with</c>/<c>range</c>/<c>break</c>/<c>continue</c>.
/// <c>define</c>, <c>template</c> and <c>block</c> are rejected (Loki queries cannot use named templates).
/// Function names are resolved here, so an unknown function fails at query start like in Go.
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<Token> _tokens;
    private readonly string _name;
    private readonly string _src;
    private int _i;
    private int _rangeDepth;
    private readonly List<string> _vars = ["$"];

    private TemplateParser(string name, string src)
    {
        _name = name;
        _src = src;
        _tokens = TemplateLexer.Lex(name, src);
    }

    public static ListNode Parse(string name, string src) => new TemplateParser(name, src).ParseRoot();

    private TemplateException Error(string msg, int pos) => new($"template: {_name}:{LineOf(pos)}: {msg}");

    private int LineOf(int pos)
    {
        int line = 1;
        for (int i = 0; i < pos && i < _src.Length; i++)
        {
            if (_src[i] == '\n') line++;
        }
        return line;
    }

    private Token Peek => _tokens[_i];

    private Token Next() => _tokens[_i++];

    private ListNode ParseRoot()
    {
        var list = new ListNode();
        while (Peek.Kind != TokenKind.Eof)
        {
            var n = ParseTextOrAction(out var end);
            if (end != null) throw Error($"unexpected {{{{{end}}}}}", Peek.Pos);
            if (n != null) list.Nodes.Add(n);
        }
        return list;
    }

    // Parses one item; for {{end}} / {{else}} returns null and the keyword in end.
    private TNode? ParseTextOrAction(out string? end)
    {
        end = null;
        var t = Next();
        if (t.Kind == TokenKind.Text) return new TextNode(t.Text) { Pos = t.Pos };
        if (t.Kind != TokenKind.LeftDelim) throw Error($"unexpected {t.Text}", t.Pos);
        var k = Peek;
        if (k.Kind == TokenKind.Keyword)
        {
            switch (k.Text)
            {
                case "end":
                    _i++;
                    Expect(TokenKind.RightDelim, "end");
                    end = "end";
                    return null;
                case "else":
                    _i++;
                    end = "else";
                    return null;
                case "if":
                    _i++;
                    return ParseIf(with: false, k.Pos);
                case "with":
                    _i++;
                    return ParseIf(with: true, k.Pos);
                case "range":
                    _i++;
                    return ParseRange(k.Pos);
                case "break" or "continue":
                    _i++;
                    if (_rangeDepth == 0) throw Error($"{{{{{k.Text}}}}} outside {{{{range}}}}", k.Pos);
                    Expect(TokenKind.RightDelim, k.Text);
                    return k.Text == "break" ? new BreakNode { Pos = k.Pos } : new ContinueNode { Pos = k.Pos };
                default:
                    throw Error($"{k.Text} is not supported in LogQL templates", k.Pos);
            }
        }
        var pipe = ParsePipeline("command", TokenKind.RightDelim);
        return new ActionNode(pipe) { Pos = t.Pos };
    }

    private void Expect(TokenKind kind, string context)
    {
        var t = Next();
        if (t.Kind != kind) throw Error($"unexpected \"{t.Text}\" in {context}", t.Pos);
    }

    private ListNode ParseList(out string end)
    {
        var list = new ListNode();
        while (true)
        {
            if (Peek.Kind == TokenKind.Eof) throw Error("unexpected EOF", Peek.Pos);
            var n = ParseTextOrAction(out var e);
            if (e != null)
            {
                end = e;
                return list;
            }
            list.Nodes.Add(n!);
        }
    }

    private TNode ParseIf(bool with, int pos)
    {
        int mark = _vars.Count;
        var pipe = ParsePipeline(with ? "with" : "if", TokenKind.RightDelim);
        var list = ParseList(out string end);
        ListNode? elseList = null;
        if (end == "else")
        {
            // "else if" / "else with" chain into a nested node that shares the {{end}}.
            if (Peek.Kind == TokenKind.Keyword && Peek.Text is "if" or "with")
            {
                var k = Next();
                elseList = new ListNode();
                elseList.Nodes.Add(ParseIf(k.Text == "with", k.Pos));
            }
            else
            {
                Expect(TokenKind.RightDelim, "else");
                elseList = ParseList(out end);
                if (end != "end") throw Error("expected end; found else", pos);
            }
        }
        _vars.RemoveRange(mark, _vars.Count - mark);
        return new IfNode(with, pipe, list, elseList) { Pos = pos };
    }

    private TNode ParseRange(int pos)
    {
        int mark = _vars.Count;
        var pipe = ParsePipeline("range", TokenKind.RightDelim);
        _rangeDepth++;
        var list = ParseList(out string end);
        _rangeDepth--;
        ListNode? elseList = null;
        if (end == "else")
        {
            Expect(TokenKind.RightDelim, "else");
            elseList = ParseList(out end);
            if (end != "end") throw Error("expected end; found else", pos);
        }
        _vars.RemoveRange(mark, _vars.Count - mark);
        return new RangeNode(pipe, list, elseList) { Pos = pos };
    }

    private PipeNode ParsePipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode { Pos = Peek.Pos };
        // Declarations: $x := / $x = / $i, $v :=
        if (Peek.Kind == TokenKind.Variable)
        {
            int save = _i;
            var v = Next();
            var after = Peek;
            if (after.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                _i++;
                pipe.IsAssign = after.Kind == TokenKind.Assign;
                pipe.Decl.Add(v.Text);
                if (!pipe.IsAssign) _vars.Add(v.Text);
                else if (!_vars.Contains(v.Text)) throw Error($"undefined variable \"{v.Text}\"", v.Pos);
            }
            else if (after.Kind == TokenKind.Comma && context == "range")
            {
                _i++;
                var v2 = Next();
                if (v2.Kind != TokenKind.Variable) throw Error("range can only initialize variables", v2.Pos);
                var op = Next();
                if (op.Kind is not (TokenKind.Declare or TokenKind.Assign)) throw Error("expected := or =", op.Pos);
                pipe.IsAssign = op.Kind == TokenKind.Assign;
                pipe.Decl.Add(v.Text);
                pipe.Decl.Add(v2.Text);
                if (!pipe.IsAssign)
                {
                    _vars.Add(v.Text);
                    _vars.Add(v2.Text);
                }
            }
            else _i = save;
        }
        while (true)
        {
            var t = Peek;
            if (t.Kind == end)
            {
                _i++;
                if (pipe.Cmds.Count == 0) throw Error($"missing value for {context}", t.Pos);
                return pipe;
            }
            switch (t.Kind)
            {
                case TokenKind.Bool or TokenKind.Char or TokenKind.Dot or TokenKind.Field or TokenKind.Identifier or
                    TokenKind.Number or TokenKind.Nil or TokenKind.String or TokenKind.Variable or TokenKind.LeftParen:
                    pipe.Cmds.Add(ParseCommand(end));
                    break;
                default:
                    throw Error($"unexpected \"{t.Text}\" in {context}", t.Pos);
            }
        }
    }

    private CommandNode ParseCommand(TokenKind end)
    {
        var cmd = new CommandNode { Pos = Peek.Pos };
        while (true)
        {
            var operand = ParseOperand();
            if (operand == null) throw Error($"unexpected \"{Peek.Text}\" in operand", Peek.Pos);
            cmd.Args.Add(operand);
            var t = Peek;
            if (t.Kind == end || t.Kind == TokenKind.RightParen && end == TokenKind.RightParen) break;
            if (t.Kind == TokenKind.Pipe)
            {
                _i++;
                if (Peek.Kind == end) throw Error("missing command", Peek.Pos);
                break;
            }
            if (!t.SpaceBefore) throw Error($"unexpected \"{t.Text}\" in operand", t.Pos);
        }
        return cmd;
    }

    private TNode? ParseOperand()
    {
        var node = ParseTerm();
        if (node == null) return null;
        if (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            var fields = new List<string>();
            while (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore) fields.Add(Next().Text[1..]);
            switch (node)
            {
                case FieldNode f:
                    node = new FieldNode([.. f.Ident, .. fields]) { Pos = node.Pos };
                    break;
                case VariableNode v:
                    node = new VariableNode([.. v.Ident, .. fields]) { Pos = node.Pos };
                    break;
                case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                    throw Error($"unexpected . after term \"{_tokens[_i - fields.Count - 1].Text}\"", node.Pos);
                default:
                    node = new ChainNode(node, [.. fields]) { Pos = node.Pos };
                    break;
            }
        }
        return node;
    }

    private TNode? ParseTerm()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                _i++;
                if (!TemplateFunctions.TryGet(t.Text, out var fn)) throw Error($"function \"{t.Text}\" not defined", t.Pos);
                return new IdentifierNode(t.Text, fn) { Pos = t.Pos };
            case TokenKind.Dot:
                _i++;
                return new DotNode { Pos = t.Pos };
            case TokenKind.Nil:
                _i++;
                return new NilNode { Pos = t.Pos };
            case TokenKind.Variable:
                _i++;
                if (!_vars.Contains(t.Text)) throw Error($"undefined variable \"{t.Text}\"", t.Pos);
                return new VariableNode([t.Text]) { Pos = t.Pos };
            case TokenKind.Field:
                _i++;
                var parts = new List<string> { t.Text[1..] };
                while (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore) parts.Add(Next().Text[1..]);
                return new FieldNode([.. parts]) { Pos = t.Pos };
            case TokenKind.Bool:
                _i++;
                return new BoolNode(t.Text == "true") { Pos = t.Pos };
            case TokenKind.Char:
            case TokenKind.Number:
                _i++;
                return ParseNumber(t);
            case TokenKind.String:
                _i++;
                return new StringNode(t.Text) { Pos = t.Pos };
            case TokenKind.LeftParen:
                _i++;
                var pipe = ParsePipeline("parenthesized pipeline", TokenKind.RightParen);
                return pipe;
            default:
                return null;
        }
    }

    private NumberNode ParseNumber(Token t)
    {
        var n = new NumberNode { Pos = t.Pos, Text = t.Text };
        if (t.Kind == TokenKind.Char)
        {
            n.IsChar = n.IsInt = n.IsFloat = true;
            n.Int = char.ConvertToUtf32(t.Text, 0);
            n.Float = n.Int;
            return n;
        }
        string text = t.Text.Replace("_", "", StringComparison.Ordinal);
        if (GoStrconv.TryParseIntBase0(text, out long iv))
        {
            n.IsInt = true;
            n.Int = iv;
        }
        if (n.IsInt)
        {
            n.IsFloat = true;
            n.Float = n.Int;
        }
        else if (GoStrconv.TryParseFloat(text, out double f, out _))
        {
            // A leading zero makes ParseInt read octal: "09" is not an int but still a float in Go.
            n.IsFloat = true;
            n.Float = f;
            if (!n.IsInt && Math.Abs(f) < 9.2e18 && (double)(long)f == f)
            {
                n.IsInt = true;
                n.Int = (long)f;
            }
        }
        if (!n.IsInt && !n.IsFloat) throw Error($"illegal number syntax: \"{t.Text}\"", t.Pos);
        return n;
    }
}
