using System.Text;

namespace Strata.Query.LogQL.Pipeline;

internal enum TokenKind : byte
{
    Text,
    LeftDelim,
    RightDelim,
    LeftParen,
    RightParen,
    Pipe,
    Declare,
    Assign,
    Comma,
    Bool,
    Char,
    Dot,
    Field,
    Identifier,
    Keyword,
    Nil,
    Number,
    String,
    Variable,
    Eof,
}

/// <summary>A token; <see cref="SpaceBefore"/> records white space before it, which decides field chaining (<c>(x).f</c> vs <c>(x) .f</c>).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Pos, bool SpaceBefore);

/// <summary>
/// Go's <c>text/template/parse</c> lexer for the default <c>{{ }}</c> delimiters: text, trim markers
/// (<c>{{- </c>, <c> -}}</c>), comments, and action tokens (strings with Go escapes, raw strings, runes,
/// numbers, fields, variables, identifiers, keywords).
/// </summary>
internal sealed class TemplateLexer
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
    };

    private readonly string _src;
    private int _pos;
    private readonly List<Token> _tokens = [];

    private readonly string _name;

    private TemplateLexer(string name, string src)
    {
        _name = name;
        _src = src;
    }

    public static List<Token> Lex(string name, string src)
    {
        var l = new TemplateLexer(name, src);
        l.Run();
        return l._tokens;
    }

    private TemplateException Error(string msg) => new($"template: {_name}:{LineOf(_pos)}: {msg}");

    private int LineOf(int pos)
    {
        int line = 1;
        for (int i = 0; i < pos && i < _src.Length; i++)
        {
            if (_src[i] == '\n') line++;
        }
        return line;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            int open = _src.IndexOf("{{", _pos, StringComparison.Ordinal);
            if (open < 0)
            {
                _tokens.Add(new Token(TokenKind.Text, _src[_pos..], _pos, false));
                _pos = _src.Length;
                break;
            }
            bool trimLeft = open + 3 < _src.Length && _src[open + 2] == '-' && IsSpace(_src[open + 3]);
            string text = _src[_pos..open];
            if (trimLeft) text = text.TrimEnd(' ', '\t', '\r', '\n');
            if (text.Length > 0) _tokens.Add(new Token(TokenKind.Text, text, _pos, false));
            _pos = open + 2 + (trimLeft ? 2 : 0);
            // Comment: "{{/*" ... "*/}}" with optional trim markers.
            int p = _pos;
            while (trimLeft && p < _src.Length && IsSpace(_src[p])) p++;
            if (_src.AsSpan(p).StartsWith("/*"))
            {
                int close = _src.IndexOf("*/", p + 2, StringComparison.Ordinal);
                if (close < 0) throw Error("unclosed comment");
                _pos = close + 2;
                bool trimRight = LexRightDelimAfterComment();
                if (trimRight) SkipSpaceAfterTrim();
                continue;
            }
            _tokens.Add(new Token(TokenKind.LeftDelim, "{{", open, false));
            LexAction();
        }
        _tokens.Add(new Token(TokenKind.Eof, "", _src.Length, false));
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private bool LexRightDelimAfterComment()
    {
        if (_src.AsSpan(_pos).StartsWith(" -}}") || _src.AsSpan(_pos).StartsWith("\t-}}") || _src.AsSpan(_pos).StartsWith("\n-}}") || _src.AsSpan(_pos).StartsWith("\r-}}"))
        {
            _pos += 4;
            return true;
        }
        if (_src.AsSpan(_pos).StartsWith("}}"))
        {
            _pos += 2;
            return false;
        }
        throw Error("comment ends before closing delimiter");
    }

    private void SkipSpaceAfterTrim()
    {
        while (_pos < _src.Length && IsSpace(_src[_pos])) _pos++;
    }

    private void LexAction()
    {
        int parens = 0;
        bool space = false;
        while (true)
        {
            if (_pos >= _src.Length) throw Error("unclosed action");
            char c = _src[_pos];
            // Right delimiter, possibly with a trim marker.
            if (IsSpace(c) && _src.AsSpan(_pos + 1).StartsWith("-}}"))
            {
                if (parens > 0) throw Error("unclosed left paren");
                _tokens.Add(new Token(TokenKind.RightDelim, "}}", _pos, true));
                _pos += 4;
                SkipSpaceAfterTrim();
                return;
            }
            if (_src.AsSpan(_pos).StartsWith("}}"))
            {
                if (parens > 0) throw Error("unclosed left paren");
                _tokens.Add(new Token(TokenKind.RightDelim, "}}", _pos, space));
                _pos += 2;
                return;
            }
            if (IsSpace(c))
            {
                _pos++;
                space = true;
                continue;
            }
            int start = _pos;
            switch (c)
            {
                case '=':
                    _pos++;
                    Add(TokenKind.Assign, "=", start, ref space);
                    continue;
                case ':':
                    if (_pos + 1 >= _src.Length || _src[_pos + 1] != '=') throw Error("expected :=");
                    _pos += 2;
                    Add(TokenKind.Declare, ":=", start, ref space);
                    continue;
                case '|':
                    _pos++;
                    Add(TokenKind.Pipe, "|", start, ref space);
                    continue;
                case ',':
                    _pos++;
                    Add(TokenKind.Comma, ",", start, ref space);
                    continue;
                case '(':
                    _pos++;
                    parens++;
                    Add(TokenKind.LeftParen, "(", start, ref space);
                    continue;
                case ')':
                    _pos++;
                    if (--parens < 0) throw Error("unexpected right paren");
                    Add(TokenKind.RightParen, ")", start, ref space);
                    continue;
                case '"':
                    Add(TokenKind.String, LexQuote(), start, ref space);
                    continue;
                case '`':
                    int close = _src.IndexOf('`', _pos + 1);
                    if (close < 0) throw Error("unterminated raw quoted string");
                    Add(TokenKind.String, _src[(_pos + 1)..close], start, ref space);
                    _pos = close + 1;
                    continue;
                case '\'':
                    Add(TokenKind.Char, LexChar(), start, ref space);
                    continue;
                case '$':
                    _pos++;
                    while (_pos < _src.Length && IsAlnum(_src[_pos])) _pos++;
                    Add(TokenKind.Variable, _src[start.._pos], start, ref space);
                    continue;
                case '.':
                    if (_pos + 1 < _src.Length && char.IsAsciiDigit(_src[_pos + 1]))
                    {
                        Add(TokenKind.Number, LexNumber(), start, ref space);
                        continue;
                    }
                    _pos++;
                    if (_pos < _src.Length && IsAlnum(_src[_pos]))
                    {
                        while (_pos < _src.Length && IsAlnum(_src[_pos])) _pos++;
                        Add(TokenKind.Field, _src[start.._pos], start, ref space);
                    }
                    else Add(TokenKind.Dot, ".", start, ref space);
                    continue;
            }
            if (c is '+' or '-' || char.IsAsciiDigit(c))
            {
                Add(TokenKind.Number, LexNumber(), start, ref space);
                continue;
            }
            if (IsAlnum(c))
            {
                while (_pos < _src.Length && IsAlnum(_src[_pos])) _pos++;
                string word = _src[start.._pos];
                var kind = word switch
                {
                    "true" or "false" => TokenKind.Bool,
                    "nil" => TokenKind.Nil,
                    _ when Keywords.Contains(word) => TokenKind.Keyword,
                    _ => TokenKind.Identifier,
                };
                Add(kind, word, start, ref space);
                continue;
            }
            throw Error($"unexpected \"{c}\" in command");
        }
    }

    private void Add(TokenKind kind, string text, int pos, ref bool space)
    {
        _tokens.Add(new Token(kind, text, pos, space));
        space = false;
    }

    private static bool IsAlnum(char c) => c == '_' || char.IsLetterOrDigit(c);

    private string LexNumber()
    {
        int start = _pos;
        if (_src[_pos] is '+' or '-') _pos++;
        string digits = "0123456789_";
        if (_pos + 1 < _src.Length && _src[_pos] == '0' && (_src[_pos + 1] | 0x20) is 'x' or 'o' or 'b')
        {
            digits = (_src[_pos + 1] | 0x20) switch
            {
                'x' => "0123456789abcdefABCDEF_",
                'o' => "01234567_",
                _ => "01_",
            };
            _pos += 2;
        }
        while (_pos < _src.Length && digits.Contains(_src[_pos])) _pos++;
        if (_pos < _src.Length && _src[_pos] == '.')
        {
            _pos++;
            while (_pos < _src.Length && digits.Contains(_src[_pos])) _pos++;
        }
        if (digits.Length == 11 && _pos < _src.Length && (_src[_pos] | 0x20) == 'e' ||
            digits.Length > 20 && _pos < _src.Length && (_src[_pos] | 0x20) == 'p')
        {
            _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-') _pos++;
            while (_pos < _src.Length && char.IsAsciiDigit(_src[_pos])) _pos++;
        }
        if (_pos < _src.Length && IsAlnum(_src[_pos]))
        {
            while (_pos < _src.Length && IsAlnum(_src[_pos])) _pos++;
            throw Error($"bad number syntax: \"{_src[start.._pos]}\"");
        }
        return _src[start.._pos];
    }

    // A Go interpreted string literal; returns the unquoted value.
    private string LexQuote()
    {
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _src.Length || _src[_pos] == '\n') throw Error("unterminated quoted string");
            char c = _src[_pos];
            if (c == '"')
            {
                _pos++;
                return sb.ToString();
            }
            if (c == '\\')
            {
                _pos++;
                if (_pos >= _src.Length) throw Error("unterminated quoted string");
                AppendEscape(sb, '"');
                continue;
            }
            sb.Append(c);
            _pos++;
        }
    }

    private string LexChar()
    {
        var sb = new StringBuilder();
        _pos++;
        if (_pos >= _src.Length) throw Error("unterminated character constant");
        if (_src[_pos] == '\\')
        {
            _pos++;
            AppendEscape(sb, '\'');
        }
        else
        {
            sb.Append(_src[_pos]);
            if (char.IsHighSurrogate(_src[_pos]) && _pos + 1 < _src.Length) sb.Append(_src[++_pos]);
            _pos++;
        }
        if (_pos >= _src.Length || _src[_pos] != '\'') throw Error("unterminated character constant");
        _pos++;
        return sb.ToString();
    }

    private void AppendEscape(StringBuilder sb, char quote)
    {
        char e = _src[_pos++];
        switch (e)
        {
            case 'a': sb.Append('\a'); return;
            case 'b': sb.Append('\b'); return;
            case 'f': sb.Append('\f'); return;
            case 'n': sb.Append('\n'); return;
            case 'r': sb.Append('\r'); return;
            case 't': sb.Append('\t'); return;
            case 'v': sb.Append('\v'); return;
            case '\\': sb.Append('\\'); return;
            case 'x': sb.Append((char)Hex(2)); return;
            case 'u': sb.Append(char.ConvertFromUtf32(Hex(4))); return;
            case 'U': sb.Append(char.ConvertFromUtf32(Hex(8))); return;
            case >= '0' and <= '7':
                int v = e - '0';
                for (int i = 0; i < 2; i++)
                {
                    if (_pos >= _src.Length || _src[_pos] < '0' || _src[_pos] > '7') throw Error("invalid syntax");
                    v = v * 8 + (_src[_pos++] - '0');
                }
                sb.Append((char)v);
                return;
            default:
                if (e == quote)
                {
                    sb.Append(e);
                    return;
                }
                throw Error("invalid syntax");
        }
    }

    private int Hex(int n)
    {
        if (_pos + n > _src.Length) throw Error("invalid syntax");
        if (!int.TryParse(_src.AsSpan(_pos, n), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out int v) || v > 0x10FFFF)
            throw Error("invalid syntax");
        _pos += n;
        return v;
    }
}

/// <summary>A template that does not parse, or fails during execution (Go's template errors).</summary>
internal sealed class TemplateException(string message) : Exception(message);
