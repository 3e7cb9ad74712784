using System.Text;

namespace Strata.Query.PromQL;

/// <summary>
/// PromQL lexer, mode for mode equivalent to Prometheus's <c>lex.go</c>: top level, inside
/// <c>{...}</c> (keywords are plain identifiers there), and inside <c>[...]</c> where a duration
/// expression is expected until its first number. Keywords are case-insensitive; <c>fill</c>,
/// <c>fill_left</c>, <c>fill_right</c> are keywords only when the next non-space character is
/// <c>(</c>. <c>#</c> starts a comment to end of line.
///
/// The lexer does not depend on parser state, so <see cref="Tokenize"/> produces the whole item
/// list up front, ending with <see cref="TokenKind.Eof"/> or with one <see cref="TokenKind.Error"/>
/// item whose <see cref="Token.Start"/> is where Prometheus reports the error. The parser raises
/// that error only when it reaches the item, which keeps Prometheus's error order.
/// </summary>
internal sealed class Lexer
{
    private const int Eof = -1;

    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["and"] = TokenKind.LAnd,
        ["or"] = TokenKind.LOr,
        ["unless"] = TokenKind.LUnless,
        ["atan2"] = TokenKind.Atan2,
        ["sum"] = TokenKind.Sum,
        ["avg"] = TokenKind.Avg,
        ["count"] = TokenKind.Count,
        ["min"] = TokenKind.Min,
        ["max"] = TokenKind.Max,
        ["group"] = TokenKind.Group,
        ["stddev"] = TokenKind.Stddev,
        ["stdvar"] = TokenKind.Stdvar,
        ["topk"] = TokenKind.Topk,
        ["bottomk"] = TokenKind.Bottomk,
        ["count_values"] = TokenKind.CountValues,
        ["quantile"] = TokenKind.Quantile,
        ["limitk"] = TokenKind.LimitK,
        ["limit_ratio"] = TokenKind.LimitRatio,
        ["offset"] = TokenKind.Offset,
        ["smoothed"] = TokenKind.Smoothed,
        ["anchored"] = TokenKind.Anchored,
        ["by"] = TokenKind.By,
        ["without"] = TokenKind.Without,
        ["on"] = TokenKind.On,
        ["ignoring"] = TokenKind.Ignoring,
        ["group_left"] = TokenKind.GroupLeft,
        ["group_right"] = TokenKind.GroupRight,
        ["fill"] = TokenKind.Fill,
        ["fill_left"] = TokenKind.FillLeft,
        ["fill_right"] = TokenKind.FillRight,
        ["bool"] = TokenKind.Bool,
        ["start"] = TokenKind.Start,
        ["end"] = TokenKind.End,
        ["step"] = TokenKind.Step,
        ["range"] = TokenKind.Range,
        ["min_of"] = TokenKind.MinOf,
        ["max_of"] = TokenKind.MaxOf,
        ["inf"] = TokenKind.Number,
        ["nan"] = TokenKind.Number,
    };

    private readonly string _input;
    private int _pos;
    private int _start;
    private int _width;
    private int _parenDepth;
    private bool _braceOpen;
    private bool _bracketOpen;
    private bool _gotColon;
    private bool _gotDuration;
    private bool _durationMode; // right after '[' until the first number (Prometheus's lexDurationExpr)

    private Lexer(string input) => _input = input;

    /// <summary>All items of <paramref name="input"/>, ending with Eof or a single Error item.</summary>
    public static List<Token> Tokenize(string input)
    {
        var lexer = new Lexer(input);
        var tokens = new List<Token>();
        while (true)
        {
            var t = lexer.NextToken();
            tokens.Add(t);
            if (t.Kind is TokenKind.Eof or TokenKind.Error) return tokens;
        }
    }

    private Token NextToken()
    {
        while (true)
        {
            _start = _pos;
            Token? t = _durationMode ? LexDurationExpr() : _braceOpen ? LexInsideBraces() : LexStatements();
            if (t is { } token) return token;
        }
    }

    // ---- Go-style rune primitives -------------------------------------------------------------

    private int Next()
    {
        if (_pos >= _input.Length)
        {
            _width = 0;
            return Eof;
        }
        char c = _input[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _input.Length && char.IsLowSurrogate(_input[_pos + 1]))
        {
            _width = 2;
            _pos += 2;
            return char.ConvertToUtf32(c, _input[_pos - 1]);
        }
        _width = 1;
        _pos++;
        return c;
    }

    private void Backup() => _pos -= _width;

    private int Peek()
    {
        int r = Next();
        Backup();
        return r;
    }

    private bool Accept(string valid)
    {
        int r = Next();
        if (r >= 0 && r < 0x10000 && valid.Contains((char)r, StringComparison.Ordinal)) return true;
        Backup();
        return false;
    }

    private bool Is(string valid)
    {
        int r = Peek();
        return r >= 0 && r < 0x10000 && valid.Contains((char)r, StringComparison.Ordinal);
    }

    private void AcceptRun(string valid)
    {
        while (Accept(valid))
        {
        }
    }

    private static bool IsSpace(int r) => r is ' ' or '\t' or '\n' or '\r';
    private static bool IsDigit(int r) => r is >= '0' and <= '9';
    private static bool IsAlpha(int r) => r == '_' || r is >= 'a' and <= 'z' || r is >= 'A' and <= 'Z';
    private static bool IsAlphaNumeric(int r) => IsAlpha(r) || IsDigit(r);

    private Token Emit(TokenKind kind) => new(kind, _start, _pos, _input[_start.._pos]);

    private Token Error(string message) => new(TokenKind.Error, _start, _input.Length, "", message);

    private Token ErrorAt(int position, string message) => new(TokenKind.Error, position, _input.Length, "", message);

    private bool AtComment() => _pos < _input.Length && _input[_pos] == '#';

    private void SkipComment()
    {
        while (_pos < _input.Length && _input[_pos] is not ('\n' or '\r')) _pos++;
    }

    private void SkipSpaces()
    {
        while (IsSpace(Peek())) Next();
    }

    // ---- States ---------------------------------------------------------------------------------

    private Token? LexStatements()
    {
        if (AtComment())
        {
            SkipComment();
            return null;
        }
        int r = Next();
        switch (r)
        {
            case Eof:
                if (_parenDepth != 0) return Error("unclosed left parenthesis");
                if (_bracketOpen) return Error("unclosed left bracket");
                return Emit(TokenKind.Eof);
            case ',': return Emit(TokenKind.Comma);
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case '*': return Emit(TokenKind.Mul);
            case '/': return Emit(TokenKind.Div);
            case '%': return Emit(TokenKind.Mod);
            case '+': return Emit(TokenKind.Add);
            case '-': return Emit(TokenKind.Sub);
            case '^': return Emit(TokenKind.Pow);
            case '=':
            {
                int t = Peek();
                if (t == '=')
                {
                    Next();
                    return Emit(TokenKind.EqlC);
                }
                if (t == '~') return Error("unexpected character after '=': " + GoText.QuoteRune(t));
                return Emit(TokenKind.Eql);
            }
            case '!':
            {
                int t = Next();
                if (t != '=') return Error("unexpected character after '!': " + GoText.QuoteRune(t));
                return Emit(TokenKind.Neq);
            }
            case '<' or '>':
            {
                int t = Peek();
                if (t is '=' or '/') Next();
                return Emit((r, t) switch
                {
                    ('<', '=') => TokenKind.Lte,
                    ('<', '/') => TokenKind.TrimUpper,
                    ('<', _) => TokenKind.Lss,
                    ('>', '=') => TokenKind.Gte,
                    ('>', '/') => TokenKind.TrimLower,
                    _ => TokenKind.Gtr,
                });
            }
            case '"' or '\'':
                return LexString((char)r);
            case '`':
                return LexRawString();
            case '(':
                _parenDepth++;
                return Emit(TokenKind.LeftParen);
            case ')':
                _parenDepth--;
                if (_parenDepth < 0) return ErrorAt(_pos, "unexpected right parenthesis ')'");
                return Emit(TokenKind.RightParen);
            case '{':
                _braceOpen = true;
                return Emit(TokenKind.LeftBrace);
            case '[':
            {
                if (_bracketOpen) return Error("unexpected left bracket '['");
                _gotColon = false;
                _gotDuration = false;
                var t = Emit(TokenKind.LeftBracket);
                SkipSpaces();
                _bracketOpen = true;
                _durationMode = true;
                return t;
            }
            case ']':
                if (!_bracketOpen) return Error("unexpected right bracket ']'");
                _bracketOpen = false;
                return Emit(TokenKind.RightBracket);
            case '@':
                return Emit(TokenKind.At);
        }

        if (IsDigit(r) || (r == '.' && IsDigit(Peek())))
        {
            Backup();
            return LexNumberOrDuration();
        }
        if (IsAlpha(r) || r == ':')
        {
            if (!_bracketOpen)
            {
                Backup();
                return LexKeywordOrIdentifier();
            }
            if (r == ':')
            {
                if (_gotColon) return Error("unexpected colon ':'");
                _gotColon = true;
                if (Peek() == ':')
                {
                    Next();
                    return Emit(TokenKind.DoubleColon);
                }
                return Emit(TokenKind.Colon);
            }
            if (r is 's' or 'S' or 'm' or 'M' or 'r' or 'R' && ScanDurationKeyword() is { } kw) return kw;
            return Error("unexpected character: " + GoText.QuoteRune(r) + ", expected ':'");
        }
        return Error("unexpected character: " + GoText.QuoteRune(r));
    }

    private Token? LexInsideBraces()
    {
        if (AtComment())
        {
            SkipComment();
            return null;
        }
        int r = Next();
        switch (r)
        {
            case Eof:
                return Error("unexpected end of input inside braces");
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case ',':
                return Emit(TokenKind.Comma);
            case '"' or '\'':
                return LexString((char)r);
            case '`':
                return LexRawString();
            case '=':
                if (Next() == '~') return Emit(TokenKind.EqlRegex);
                Backup();
                return Emit(TokenKind.Eql);
            case '!':
            {
                int nr = Next();
                if (nr == '~') return Emit(TokenKind.NeqRegex);
                if (nr == '=') return Emit(TokenKind.Neq);
                return Error("unexpected character after '!' inside braces: " + GoText.QuoteRune(nr));
            }
            case '{':
                return Error("unexpected left brace '{'");
            case '}':
                _braceOpen = false;
                return Emit(TokenKind.RightBrace);
        }
        if (IsAlpha(r))
        {
            while (IsAlphaNumeric(Next()))
            {
            }
            Backup();
            return Emit(TokenKind.Identifier);
        }
        return Error("unexpected character inside braces: " + GoText.QuoteRune(r));
    }

    private Token? LexDurationExpr()
    {
        int r = Next();
        switch (r)
        {
            case Eof:
                return Error("unexpected end of input in duration expression");
            case ']':
                _bracketOpen = false;
                _gotColon = false;
                _durationMode = false;
                return Emit(TokenKind.RightBracket);
            case ':':
            {
                var t = Emit(TokenKind.Colon);
                if (!_gotDuration) return ErrorAt(_pos, "unexpected colon before duration in duration expression");
                if (_gotColon) return ErrorAt(_pos, "unexpected repeated colon in duration expression");
                _gotColon = true;
                return t;
            }
            case '(':
                _parenDepth++;
                return Emit(TokenKind.LeftParen);
            case ')':
                _parenDepth--;
                if (_parenDepth < 0) return ErrorAt(_pos, "unexpected right parenthesis ')'");
                return Emit(TokenKind.RightParen);
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case '+': return Emit(TokenKind.Add);
            case '-': return Emit(TokenKind.Sub);
            case '*': return Emit(TokenKind.Mul);
            case '/': return Emit(TokenKind.Div);
            case '%': return Emit(TokenKind.Mod);
            case '^': return Emit(TokenKind.Pow);
            case ',': return Emit(TokenKind.Comma);
        }
        if (r is 's' or 'S' or 'm' or 'M' or 'r' or 'R')
        {
            return ScanDurationKeyword() ?? Error("unexpected character in duration expression: " + GoText.QuoteRune(r));
        }
        if (IsDigit(r) || (r == '.' && IsDigit(Peek())))
        {
            Backup();
            _gotDuration = true;
            _durationMode = false;
            return LexNumberOrDuration();
        }
        return Error("unexpected character in duration expression: " + GoText.QuoteRune(r));
    }

    /// <summary><c>step</c>, <c>range</c>, <c>min_of</c>, <c>max_of</c> (any case) inside brackets; null otherwise.</summary>
    private Token? ScanDurationKeyword()
    {
        while (IsAlpha(Next()))
        {
        }
        Backup();
        string word = _input[_start.._pos].ToLowerInvariant();
        return word switch
        {
            "step" => Emit(TokenKind.Step),
            "range" => Emit(TokenKind.Range),
            "min_of" => Emit(TokenKind.MinOf),
            "max_of" => Emit(TokenKind.MaxOf),
            _ => null,
        };
    }

    private Token LexKeywordOrIdentifier()
    {
        while (true)
        {
            int r = Next();
            if (IsAlphaNumeric(r) || r == ':') continue;
            Backup();
            break;
        }
        string word = _input[_start.._pos];
        if (Keywords.TryGetValue(word.ToLowerInvariant(), out var kind))
        {
            if (kind is TokenKind.Fill or TokenKind.FillLeft or TokenKind.FillRight && !FollowedByLeftParen())
            {
                return Emit(TokenKind.Identifier);
            }
            return Emit(kind);
        }
        return Emit(word.Contains(':', StringComparison.Ordinal) ? TokenKind.MetricIdentifier : TokenKind.Identifier);
    }

    private bool FollowedByLeftParen()
    {
        for (int i = _pos; i < _input.Length; i++)
        {
            if (!IsSpace(_input[i])) return _input[i] == '(';
        }
        return false;
    }

    private Token LexNumberOrDuration()
    {
        if (ScanNumber()) return Emit(TokenKind.Number);
        if (AcceptRemainingDuration())
        {
            Backup();
            return Emit(TokenKind.Duration);
        }
        return Error("bad number or duration syntax: " + GoText.Quote(_input[_start.._pos]));
    }

    private bool AcceptRemainingDuration()
    {
        if (!Accept("smhdwy")) return false;
        Accept("s"); // "ms"; bad units such as "hs" are reported when the duration is parsed
        while (Accept("0123456789"))
        {
            while (Accept("0123456789"))
            {
            }
            if (!Accept("smhdw")) return false;
            Accept("s");
        }
        return !IsAlphaNumeric(Next());
    }

    // Mirrors lex.go scanNumber: [.][d][d._eE]* with the same rejects, so bad-number texts match.
    private bool ScanNumber()
    {
        int initial = _pos;
        string digits = "0123456789";
        bool hex = false;
        if (Accept("0") && Accept("xX"))
        {
            Accept("_");
            digits = "0123456789abcdefABCDEF";
            hex = true;
        }
        Accept(".");
        Accept(digits);
        bool dotConsumed = false;
        bool exponentConsumed = false;
        string loopSet = digits + "._eE";
        while (Is(loopSet))
        {
            if (Is(".") && dotConsumed)
            {
                Accept(".");
                return false;
            }
            if (Is("eE") && exponentConsumed)
            {
                Accept("eE");
                return false;
            }
            if (Accept("."))
            {
                dotConsumed = true;
                if (Accept("_.")) return false;
                if (hex) return false;
                continue;
            }
            if (Accept("eE"))
            {
                exponentConsumed = true;
                Accept("+-");
                if (Accept("._eE") || Peek() == Eof) return false;
                continue;
            }
            if (Accept("_"))
            {
                if (Accept("._eE") || Peek() == Eof) return false;
                continue;
            }
            AcceptRun(digits);
        }
        if (_pos == initial) return false;
        return !IsAlphaNumeric(Peek());
    }

    private Token LexString(char quote)
    {
        var bytes = new List<byte>(16);
        Span<byte> buf = stackalloc byte[4];
        while (true)
        {
            int r = Next();
            if (r == '\\')
            {
                if (LexEscape(quote, bytes) is { } err) return err;
                continue;
            }
            if (r is 0xFFFD or (>= 0xD800 and < 0xE000)) return Error("invalid UTF-8 rune");
            if (r is Eof or '\n') return Error("unterminated quoted string");
            if (r == quote) break;
            int n = new Rune(r).EncodeToUtf8(buf);
            for (int i = 0; i < n; i++) bytes.Add(buf[i]);
        }
        var t = Emit(TokenKind.String);
        return t with { Value = Encoding.UTF8.GetString(bytes.ToArray()) };
    }

    // Go escapes: \a \b \f \n \r \t \v \\ \<quote>, \ooo, \xhh (raw bytes), \uhhhh, \Uhhhhhhhh.
    private Token? LexEscape(char quote, List<byte> bytes)
    {
        int ch = Next();
        int n;
        int b;
        int max;
        bool rawByte;
        switch (ch)
        {
            case 'a': bytes.Add(7); return null;
            case 'b': bytes.Add(8); return null;
            case 'f': bytes.Add(12); return null;
            case 'n': bytes.Add(10); return null;
            case 'r': bytes.Add(13); return null;
            case 't': bytes.Add(9); return null;
            case 'v': bytes.Add(11); return null;
            case '\\': bytes.Add((byte)'\\'); return null;
            case >= '0' and <= '7':
                (n, b, max, rawByte) = (3, 8, 255, true);
                break;
            case 'x':
                ch = Next();
                (n, b, max, rawByte) = (2, 16, 255, true);
                break;
            case 'u':
                ch = Next();
                (n, b, max, rawByte) = (4, 16, 0x10FFFF, false);
                break;
            case 'U':
                ch = Next();
                (n, b, max, rawByte) = (8, 16, 0x10FFFF, false);
                break;
            case Eof:
                return Error("escape sequence not terminated");
            default:
                if (ch == quote)
                {
                    bytes.Add((byte)quote);
                    return null;
                }
                return Error("unknown escape sequence " + GoText.FormatU(ch));
        }

        long x = 0;
        while (n > 0)
        {
            int d = ch < 0 ? 16 : GoText.DigitVal(ch);
            if (d >= b)
            {
                if (ch == Eof) return Error("escape sequence not terminated");
                return Error("illegal character " + GoText.FormatU(ch) + " in escape sequence");
            }
            x = x * b + d;
            n--;
            if (n > 0) ch = Next();
        }
        if (x > max || (x >= 0xD800 && x < 0xE000)) return Error("escape sequence is an invalid Unicode code point");
        if (rawByte)
        {
            bytes.Add((byte)x);
        }
        else
        {
            Span<byte> buf = stackalloc byte[4];
            int len = new Rune((int)x).EncodeToUtf8(buf);
            for (int i = 0; i < len; i++) bytes.Add(buf[i]);
        }
        return null;
    }

    private Token LexRawString()
    {
        while (true)
        {
            int r = Next();
            if (r is 0xFFFD or (>= 0xD800 and < 0xE000)) return Error("invalid UTF-8 rune");
            if (r == Eof) return Error("unterminated raw string");
            if (r == '`') break;
        }
        var t = Emit(TokenKind.String);
        return t with { Value = _input[(_start + 1)..(_pos - 1)] };
    }
}
