using System.Buffers;
using System.Globalization;
using System.Text;
using Strata.Storage.Labels;

namespace Strata.Ingest.Loki;

/// <summary>
/// Parses the <c>labels</c> string of a Loki push (<c>{app="x", env="prod"}</c>) as Loki does with
/// <c>syntax.ParseLabels</c>, i.e. Prometheus' <c>parser.ParseMetric</c>:
/// <list type="bullet">
/// <item>an optional metric name <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> before the braces becomes <c>__name__</c>
/// (so <c>name{a="b"}</c> and a bare <c>name</c> are accepted), and the braces are optional too;</item>
/// <item>label names are <c>[a-zA-Z_][a-zA-Z0-9_]*</c> or, Prometheus 3, a quoted string; a quoted
/// string alone in the braces is the metric name;</item>
/// <item>values are <c>"…"</c> or <c>'…'</c> with Go escapes (<c>\a \b \f \n \r \t \v \\ \" \'</c>,
/// <c>\NNN</c> octal and <c>\xNN</c> bytes, <c>\uXXXX</c>, <c>\UXXXXXXXX</c>), or raw <c>`…`</c>;</item>
/// <item>spaces, tabs, newlines and <c>#</c> line comments between tokens; a trailing comma.</item>
/// </list>
/// Pairs come out in text order with empty values and duplicates kept: normalising is the caller's
/// job, as in Loki. Errors read like Prometheus' (<c>1:4: parse error: unterminated quoted string</c>:
/// line, 1-based byte column of the offending token); the lexer errors and the usual grammar errors
/// match Prometheus word for word, rarer ones (tokens that only make sense in PromQL expressions) are
/// reported as <c>unexpected character</c>.
/// Runs only on a label-cache miss (see <see cref="StreamLabelsCache"/>), so it favours clarity.
/// </summary>
public static class LokiLabelParser
{
    /// <summary>Parses UTF-8 label text into <paramref name="labels"/> (appended); null on success, else the error.</summary>
    public static string? Parse(ReadOnlySpan<byte> text, List<Label> labels)
    {
        var p = new Parser(text, labels);
        return p.Run();
    }

    public static string? Parse(string text, List<Label> labels) => Parse(Encoding.UTF8.GetBytes(text), labels);

    /// <summary>Prometheus' legacy label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static bool IsLegacyName(string name)
    {
        if (name.Length == 0 || !IsAlpha(name[0])) return false;
        foreach (char c in name)
        {
            if (!IsAlpha(c) && !IsDigit(c)) return false;
        }
        return true;
    }

    public static bool IsLegacyName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || !IsAlpha((char)name[0])) return false;
        foreach (byte c in name)
        {
            if (!IsAlpha((char)c) && !IsDigit((char)c)) return false;
        }
        return true;
    }

    private static bool IsAlpha(char c) => c == '_' || (uint)((c | 0x20) - 'a') <= 'z' - 'a';
    private static bool IsDigit(char c) => (uint)(c - '0') <= 9;
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private ref struct Parser
    {
        private readonly ReadOnlySpan<byte> _s;
        private readonly List<Label> _labels;
        private int _pos;
        private string? _error;

        public Parser(ReadOnlySpan<byte> s, List<Label> labels)
        {
            _s = s;
            _labels = labels;
        }

        public string? Run()
        {
            SkipSpace();
            if (_pos < _s.Length && (IsAlpha((char)_s[_pos]) || _s[_pos] == ':'))
            {
                int start = _pos;
                while (_pos < _s.Length && (IsAlpha((char)_s[_pos]) || IsDigit((char)_s[_pos]) || _s[_pos] == ':')) _pos++;
                string name = Encoding.UTF8.GetString(_s[start.._pos]);
                SkipSpace();
                if (_pos < _s.Length && _s[_pos] == '{' && !ParseBraces()) return _error;
                // ParseMetric sets the name with a builder, so it wins over a __name__ inside the braces.
                for (int i = _labels.Count - 1; i >= 0; i--)
                {
                    if (_labels[i].Name == LabelSet.MetricName) _labels.RemoveAt(i);
                }
                _labels.Add(new Label(LabelSet.MetricName, name));
            }
            else if (_pos < _s.Length && _s[_pos] == '{')
            {
                if (!ParseBraces()) return _error;
            }
            SkipSpace();
            if (_error is null && _pos < _s.Length) UnexpectedAtTopLevel();
            return _error;
        }

        // At '{'. Grammar: '{' '}' | '{' item (',' item)* [','] '}'.
        private bool ParseBraces()
        {
            _pos++;
            while (true)
            {
                if (!Next(out var tok)) return false;
                if (tok.Kind == TokenKind.RightBrace) return true; // '{}' or a trailing comma

                // label_set_item: IDENTIFIER '=' STRING | STRING '=' STRING | STRING
                if (tok.Kind is not (TokenKind.Identifier or TokenKind.String))
                    return Unexpected(tok, "label set", "identifier or \"}\"");
                string name = tok.Kind == TokenKind.Identifier ? Encoding.UTF8.GetString(_s.Slice(tok.Start, tok.Length)) : tok.Text!;
                if (!Next(out var op)) return false;
                if (op.Kind == TokenKind.Eql)
                {
                    if (!Next(out var value)) return false;
                    if (value.Kind != TokenKind.String) return Unexpected(value, "label set", "string");
                    _labels.Add(new Label(name, value.Text!));
                    if (!Next(out op)) return false;
                }
                else if (tok.Kind == TokenKind.String)
                {
                    _labels.Add(new Label(LabelSet.MetricName, name));
                }
                else
                {
                    return Unexpected(op, "label set", "\"=\"");
                }

                if (op.Kind == TokenKind.RightBrace) return true;
                if (op.Kind != TokenKind.Comma) return Unexpected(op, "label set", "\",\" or \"}\"");
            }
        }

        private enum TokenKind : byte
        {
            Identifier,
            String,
            LeftBrace,
            RightBrace,
            Comma,
            Eql,
            Neq,
            EqlRegex,
            NeqRegex,
            Eof,
        }

        private readonly record struct Token(TokenKind Kind, int Start, int Length, string? Text);

        // The lexer state inside braces (Prometheus lexInsideBraces): false after a lexer error.
        private bool Next(out Token tok)
        {
            tok = default;
            SkipSpace();
            if (_pos >= _s.Length) return Fail(_s.Length, "unexpected end of input inside braces");
            int start = _pos;
            byte c = _s[_pos];
            if (IsAlpha((char)c))
            {
                while (_pos < _s.Length && (IsAlpha((char)_s[_pos]) || IsDigit((char)_s[_pos]))) _pos++;
                tok = new Token(TokenKind.Identifier, start, _pos - start, null);
                return true;
            }
            switch (c)
            {
                case (byte)',':
                    _pos++;
                    tok = new Token(TokenKind.Comma, start, 1, null);
                    return true;
                case (byte)'}':
                    _pos++;
                    tok = new Token(TokenKind.RightBrace, start, 1, null);
                    return true;
                case (byte)'"' or (byte)'\'':
                    return LexString(out tok);
                case (byte)'`':
                    return LexRawString(out tok);
                case (byte)'=':
                    _pos++;
                    if (_pos < _s.Length && _s[_pos] == '~')
                    {
                        _pos++;
                        tok = new Token(TokenKind.EqlRegex, start, 2, null);
                    }
                    else
                    {
                        tok = new Token(TokenKind.Eql, start, 1, null);
                    }
                    return true;
                case (byte)'!':
                    _pos++;
                    if (_pos < _s.Length && _s[_pos] == '=')
                    {
                        _pos++;
                        tok = new Token(TokenKind.Neq, start, 2, null);
                        return true;
                    }
                    if (_pos < _s.Length && _s[_pos] == '~')
                    {
                        _pos++;
                        tok = new Token(TokenKind.NeqRegex, start, 2, null);
                        return true;
                    }
                    return Fail(start, $"unexpected character after '!' inside braces: {QuoteRuneAt(_pos)}");
                case (byte)'{':
                    return Fail(start, "unexpected left brace '{'");
                default:
                    return Fail(start, $"unexpected character inside braces: {QuoteRuneAt(start)}");
            }
        }

        // At the opening quote: Prometheus lexString + lexEscape validation, then strutil.Unquote.
        private bool LexString(out Token tok)
        {
            tok = default;
            int start = _pos;
            byte quote = _s[_pos++];
            bool escaped = false;
            while (true)
            {
                if (_pos >= _s.Length) return Fail(start, "unterminated quoted string");
                byte c = _s[_pos];
                if (c == quote)
                {
                    _pos++;
                    break;
                }
                if (c == '\n') return Fail(start, "unterminated quoted string");
                if (c == '\\')
                {
                    escaped = true;
                    if (!CheckEscape(start, quote)) return false;
                    continue;
                }
                if (c >= 0x80)
                {
                    if (Rune.DecodeFromUtf8(_s[_pos..], out _, out int n) != OperationStatus.Done) return Fail(start, "invalid UTF-8 rune");
                    _pos += n;
                    continue;
                }
                _pos++;
            }
            var body = _s.Slice(start + 1, _pos - start - 2);
            tok = new Token(TokenKind.String, start, _pos - start, escaped ? Unescape(body) : Encoding.UTF8.GetString(body));
            return true;
        }

        private bool LexRawString(out Token tok)
        {
            tok = default;
            int start = _pos++;
            int end = _s[_pos..].IndexOf((byte)'`');
            if (end < 0) return Fail(start, "unterminated raw string");
            var body = _s.Slice(_pos, end);
            _pos += end + 1;
            if (System.Text.Unicode.Utf8.IsValid(body) is false) return Fail(start, "invalid UTF-8 rune");
            tok = new Token(TokenKind.String, start, _pos - start, Encoding.UTF8.GetString(body));
            return true;
        }

        // At a backslash inside a quoted string; advances past the escape. Errors as Prometheus' lexEscape.
        private bool CheckEscape(int stringStart, byte quote)
        {
            _pos++;
            if (_pos >= _s.Length) return Fail(stringStart, "escape sequence not terminated");
            byte c = _s[_pos];
            int n;
            uint @base, max;
            switch (c)
            {
                case (byte)'a' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'v' or (byte)'\\':
                    _pos++;
                    return true;
                case >= (byte)'0' and <= (byte)'7':
                    n = 3;
                    @base = 8;
                    max = 255;
                    break;
                case (byte)'x':
                    _pos++;
                    n = 2;
                    @base = 16;
                    max = 255;
                    break;
                case (byte)'u':
                    _pos++;
                    n = 4;
                    @base = 16;
                    max = 0x10FFFF;
                    break;
                case (byte)'U':
                    _pos++;
                    n = 8;
                    @base = 16;
                    max = 0x10FFFF;
                    break;
                default:
                    if (c == quote)
                    {
                        _pos++;
                        return true;
                    }
                    return Fail(stringStart, $"unknown escape sequence {GoUnicode(_pos)}");
            }
            uint x = 0;
            for (; n > 0; n--)
            {
                if (_pos >= _s.Length) return Fail(stringStart, "escape sequence not terminated");
                uint d = HexValue(_s[_pos]);
                if (d >= @base) return Fail(stringStart, $"illegal character {GoUnicode(_pos)} in escape sequence");
                x = x * @base + d;
                _pos++;
            }
            if (x > max || (x >= 0xD800 && x < 0xE000)) return Fail(stringStart, "escape sequence is an invalid Unicode code point");
            return true;
        }

        private static uint HexValue(byte c) => c switch
        {
            >= (byte)'0' and <= (byte)'9' => (uint)(c - '0'),
            >= (byte)'a' and <= (byte)'f' => (uint)(c - 'a' + 10),
            >= (byte)'A' and <= (byte)'F' => (uint)(c - 'A' + 10),
            _ => 16,
        };

        // The escapes were validated by CheckEscape. \NNN and \xNN are bytes (as in Go), so the result
        // is built as UTF-8 and decoded once; an invalid byte sequence becomes U+FFFD.
        private static string Unescape(ReadOnlySpan<byte> body)
        {
            var buf = new byte[body.Length];
            int w = 0;
            for (int i = 0; i < body.Length;)
            {
                byte c = body[i];
                if (c != '\\')
                {
                    buf[w++] = c;
                    i++;
                    continue;
                }
                byte e = body[i + 1];
                i += 2;
                switch (e)
                {
                    case (byte)'a': buf[w++] = 7; break;
                    case (byte)'b': buf[w++] = 8; break;
                    case (byte)'f': buf[w++] = 12; break;
                    case (byte)'n': buf[w++] = 10; break;
                    case (byte)'r': buf[w++] = 13; break;
                    case (byte)'t': buf[w++] = 9; break;
                    case (byte)'v': buf[w++] = 11; break;
                    case >= (byte)'0' and <= (byte)'7':
                        buf[w++] = (byte)(((e - '0') << 6) | ((body[i] - '0') << 3) | (body[i + 1] - '0'));
                        i += 2;
                        break;
                    case (byte)'x':
                        buf[w++] = (byte)((HexValue(body[i]) << 4) | HexValue(body[i + 1]));
                        i += 2;
                        break;
                    case (byte)'u' or (byte)'U':
                    {
                        int digits = e == 'u' ? 4 : 8;
                        uint x = 0;
                        for (int k = 0; k < digits; k++) x = (x << 4) | HexValue(body[i + k]);
                        i += digits;
                        w += new Rune((int)x).EncodeToUtf8(buf.AsSpan(w));
                        break;
                    }
                    default:
                        buf[w++] = e; // \\ \" \'
                        break;
                }
            }
            return Encoding.UTF8.GetString(buf, 0, w);
        }

        private void SkipSpace()
        {
            while (_pos < _s.Length)
            {
                byte c = _s[_pos];
                if (IsSpace(c))
                {
                    _pos++;
                }
                else if (c == '#')
                {
                    int nl = _s[_pos..].IndexOf((byte)'\n');
                    _pos = nl < 0 ? _s.Length : _pos + nl + 1;
                }
                else
                {
                    break;
                }
            }
        }

        private void UnexpectedAtTopLevel()
        {
            byte c = _s[_pos];
            if (IsAlpha((char)c) || c == ':')
            {
                int start = _pos;
                while (_pos < _s.Length && (IsAlpha((char)_s[_pos]) || IsDigit((char)_s[_pos]) || _s[_pos] == ':')) _pos++;
                Fail(start, $"unexpected identifier {GoText.Quote(Encoding.UTF8.GetString(_s[start.._pos]))}");
            }
            else if (c == '{')
            {
                Fail(_pos, "unexpected \"{\"");
            }
            else
            {
                Fail(_pos, $"unexpected character: {QuoteRuneAt(_pos)}");
            }
        }

        // Prometheus parser.unexpected(context, expected) with Item.desc() of the token.
        private bool Unexpected(Token tok, string context, string expected)
        {
            string desc = tok.Kind switch
            {
                TokenKind.Identifier => "identifier " + GoText.Quote(Encoding.UTF8.GetString(_s.Slice(tok.Start, tok.Length))),
                TokenKind.String => "string " + QuotedToken(tok),
                TokenKind.LeftBrace => "\"{\"",
                TokenKind.RightBrace => "\"}\"",
                TokenKind.Comma => "\",\"",
                TokenKind.Eql => "\"=\"",
                TokenKind.Neq => "<op:!=>",
                TokenKind.EqlRegex => "<op:=~>",
                TokenKind.NeqRegex => "<op:!~>",
                _ => "end of input",
            };
            return Fail(tok.Start, $"unexpected {desc} in {context}, expected {expected}");
        }

        // Item.String() of a STRING token: %q of its source text, cut to 10 characters ("%.10q...").
        private string QuotedToken(Token tok)
        {
            string raw = Encoding.UTF8.GetString(_s.Slice(tok.Start, tok.Length));
            if (raw.Length <= 10) return GoText.Quote(raw);
            int cut = 10;
            if (char.IsHighSurrogate(raw[cut - 1])) cut--;
            return GoText.Quote(raw[..cut]) + "...";
        }

        private string QuoteRuneAt(int pos)
        {
            if (pos >= _s.Length) return "'\\x00'";
            if (Rune.DecodeFromUtf8(_s[pos..], out var r, out _) != OperationStatus.Done) r = Rune.ReplacementChar;
            return GoText.QuoteRune(r);
        }

        // Go's %#U: U+0071 'q' (the character only when printable).
        private string GoUnicode(int pos)
        {
            if (Rune.DecodeFromUtf8(_s[pos..], out var r, out _) != OperationStatus.Done) r = Rune.ReplacementChar;
            string hex = "U+" + r.Value.ToString("X4", CultureInfo.InvariantCulture);
            return GoText.IsPrint(r) ? hex + " '" + r + "'" : hex;
        }

        private bool Fail(int pos, string message)
        {
            if (_error is not null) return false;
            int line = 1, lastBreak = -1;
            for (int i = 0; i < pos && i < _s.Length; i++)
            {
                if (_s[i] == '\n')
                {
                    line++;
                    lastBreak = i;
                }
            }
            _error = string.Create(CultureInfo.InvariantCulture, $"{line}:{pos - lastBreak}: parse error: {message}");
            _pos = _s.Length;
            return false;
        }
    }
}
