using System.Globalization;
using System.Text;
using PromDuration = Strata.Query.PromQL.PromDuration;

namespace Strata.Query.LogQL;

/// <summary>
/// LogQL lexer, equivalent to Loki's <c>lex.go</c> on top of Go's <c>text/scanner</c>:
/// <list type="bullet">
/// <item>Go identifiers (Unicode letters), numbers, <c>"..."</c> with Go escapes and <c>`...`</c>;
/// whitespace is space, tab, CR, LF; <c>#</c>, <c>//</c> and <c>/* */</c> start comments.</item>
/// <item>A number directly followed by duration units becomes a duration (<c>5m</c>, <c>1.5s</c>),
/// else by size units a bytes literal (<c>20MB</c>, <c>2.5KiB</c>); <c>-5m</c> is a negative duration.</item>
/// <item><c>[</c> swallows everything up to <c>]</c> as one range token (<c>[5m]</c>).</item>
/// <item>Function names (<c>rate</c>, <c>sum</c>, <c>ip</c>, <c>bytes</c>, ...) are keywords only when
/// followed by <c>(</c> or by <c>by (</c>/<c>without (</c>; otherwise they are identifiers, so
/// <c>| rate="x"</c> works. Other keywords (<c>by</c>, <c>json</c>, <c>or</c>, ...) are always reserved.
/// Keywords are case-insensitive.</item>
/// <item>Any other character is an identifier of its own (so <c>@</c> is "unexpected IDENTIFIER").</item>
/// </list>
/// The lexer does not depend on parser state, so <see cref="Tokenize"/> produces all items up front,
/// ending with <see cref="TokenKind.Eof"/> or with one <see cref="TokenKind.Error"/> item at the
/// position Loki reports. The parser raises it only when it reaches the item, which keeps Loki's
/// rule that the first error recorded wins.
/// </summary>
internal sealed class Lexer
{
    private const int EofRune = -1;

    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["by"] = TokenKind.By,
        ["without"] = TokenKind.Without,
        ["bool"] = TokenKind.Bool,
        ["label_replace"] = TokenKind.LabelReplace,
        ["offset"] = TokenKind.Offset,
        ["on"] = TokenKind.On,
        ["ignoring"] = TokenKind.Ignoring,
        ["group_left"] = TokenKind.GroupLeft,
        ["group_right"] = TokenKind.GroupRight,
        ["or"] = TokenKind.Or,
        ["and"] = TokenKind.And,
        ["unless"] = TokenKind.Unless,
        ["json"] = TokenKind.Json,
        ["regexp"] = TokenKind.Regexp,
        ["logfmt"] = TokenKind.Logfmt,
        ["unpack"] = TokenKind.Unpack,
        ["pattern"] = TokenKind.Pattern,
        ["label_format"] = TokenKind.LabelFmt,
        ["line_format"] = TokenKind.LineFmt,
        ["ip"] = TokenKind.Ip,
        ["decolorize"] = TokenKind.Decolorize,
        ["drop"] = TokenKind.Drop,
        ["keep"] = TokenKind.Keep,
        ["unwrap"] = TokenKind.Unwrap,
    };

    // Loki's functionTokens: keywords only when a '(' (or "by (" / "without (") follows.
    private static readonly Dictionary<string, TokenKind> FunctionKeywords = new(StringComparer.Ordinal)
    {
        ["rate"] = TokenKind.Rate,
        ["rate_counter"] = TokenKind.RateCounter,
        ["count_over_time"] = TokenKind.CountOverTime,
        ["bytes_rate"] = TokenKind.BytesRate,
        ["bytes_over_time"] = TokenKind.BytesOverTime,
        ["avg_over_time"] = TokenKind.AvgOverTime,
        ["sum_over_time"] = TokenKind.SumOverTime,
        ["min_over_time"] = TokenKind.MinOverTime,
        ["max_over_time"] = TokenKind.MaxOverTime,
        ["stdvar_over_time"] = TokenKind.StdvarOverTime,
        ["stddev_over_time"] = TokenKind.StddevOverTime,
        ["quantile_over_time"] = TokenKind.QuantileOverTime,
        ["first_over_time"] = TokenKind.FirstOverTime,
        ["last_over_time"] = TokenKind.LastOverTime,
        ["absent_over_time"] = TokenKind.AbsentOverTime,
        ["vector"] = TokenKind.Vector,
        ["sum"] = TokenKind.Sum,
        ["avg"] = TokenKind.Avg,
        ["max"] = TokenKind.Max,
        ["min"] = TokenKind.Min,
        ["count"] = TokenKind.Count,
        ["stddev"] = TokenKind.Stddev,
        ["stdvar"] = TokenKind.Stdvar,
        ["bottomk"] = TokenKind.Bottomk,
        ["topk"] = TokenKind.Topk,
        ["sort"] = TokenKind.Sort,
        ["sort_desc"] = TokenKind.SortDesc,
        ["approx_topk"] = TokenKind.ApproxTopk,
        ["label_replace"] = TokenKind.LabelReplace,
        ["bytes"] = TokenKind.BytesConv,
        ["duration"] = TokenKind.DurationConv,
        ["duration_seconds"] = TokenKind.DurationSecondsConv,
        ["ip"] = TokenKind.Ip,
    };

    private readonly string _input;
    private int _pos;

    private Lexer(string input)
    {
        _input = input;
        if (input.Length > 0 && input[0] == '\uFEFF') _pos = 1; // text/scanner skips a leading BOM
    }

    /// <summary>All items of <paramref name="input"/>, ending with Eof or a single Error item.</summary>
    public static List<Token> Tokenize(string input)
    {
        var lexer = new Lexer(input);
        var tokens = new List<Token>();
        while (true)
        {
            var t = lexer.Next();
            tokens.Add(t);
            if (t.Kind is TokenKind.Eof or TokenKind.Error) return tokens;
        }
    }

    private int Peek(int at)
    {
        if (at >= _input.Length) return EofRune;
        char c = _input[at];
        if (char.IsHighSurrogate(c) && at + 1 < _input.Length && char.IsLowSurrogate(_input[at + 1]))
        {
            return char.ConvertToUtf32(c, _input[at + 1]);
        }
        return c;
    }

    private static int Width(int rune) => rune >= 0x10000 ? 2 : 1;

    private static bool IsLetter(int r) => r >= 0 && Rune.IsValid(r) && Rune.IsLetter(new Rune(r));
    private static bool IsDigit(int r) => r >= 0 && Rune.IsValid(r) && Rune.IsDigit(new Rune(r));
    private static bool IsNumberRune(int r) => r >= 0 && Rune.IsValid(r) && Rune.IsNumber(new Rune(r));
    private static bool IsUnicodeSpace(int r) => r >= 0 && Rune.IsValid(r) && Rune.IsWhiteSpace(new Rune(r));
    private static bool IsIdentRune(int r, int i) => r == '_' || IsLetter(r) || (i > 0 && IsDigit(r));
    private static bool IsLoneSurrogate(int r) => r is >= 0xD800 and < 0xE000;

    private Token Error(int start, string message, bool noLine = false) =>
        new(TokenKind.Error, start, _input.Length, "", message, NoLine: noLine);

    private Token Emit(TokenKind kind, int start, bool noLine = false) =>
        new(kind, start, _pos, _input[start.._pos], NoLine: noLine);

    private Token Next()
    {
        while (true)
        {
            while (_pos < _input.Length && _input[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
            int start = _pos;
            int r = Peek(_pos);
            if (r == EofRune) return new Token(TokenKind.Eof, start, start, "");
            if (r == 0) return Error(start, "invalid character NUL");
            if (IsLoneSurrogate(r)) return Error(start, "invalid UTF-8 encoding");
            if (r == '/' && Peek(_pos + 1) is '/' or '*')
            {
                if (SkipGoComment() is { } err) return err;
                continue;
            }
            if (r == '#')
            {
                while (_pos < _input.Length && _input[_pos] != '\n') _pos++;
                continue;
            }
            if (IsIdentRune(r, 0)) return LexIdentifier(start);
            if (r is >= '0' and <= '9' || (r == '.' && Peek(_pos + 1) is >= '0' and <= '9')) return LexNumber(start);
            switch (r)
            {
                case '"':
                    return LexString(start);
                case '`':
                    return LexRawString(start);
                case '\'':
                    return LexCharLiteral(start);
                case '[':
                    return LexRange(start);
                case '-':
                    if (LexMinus(start) is { } t) return t;
                    break;
            }
            return LexOperator(start, r);
        }
    }

    // text/scanner with SkipComments treats Go comments as white space.
    private Token? SkipGoComment()
    {
        int start = _pos;
        if (_input[_pos + 1] == '/')
        {
            while (_pos < _input.Length && _input[_pos] != '\n') _pos++;
            return null;
        }
        int end = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0) return Error(start, "comment not terminated");
        _pos = end + 2;
        return null;
    }

    private Token LexIdentifier(int start)
    {
        int i = 0;
        while (true)
        {
            int r = Peek(_pos);
            if (!IsIdentRune(r, i)) break;
            _pos += Width(r);
            i++;
        }
        string text = _input[start.._pos];
        string lower = text.ToLowerInvariant();
        if (FunctionKeywords.TryGetValue(lower, out var fn))
        {
            return Emit(IsFunctionCall() ? fn : TokenKind.Identifier, start);
        }
        if (Keywords.TryGetValue(lower, out var kw)) return Emit(kw, start);
        return Emit(TokenKind.Identifier, start);
    }

    // Loki's isFunction: after white space comes '(' or "by"/"without" (any case) then '('.
    private bool IsFunctionCall()
    {
        int p = SkipUnicodeSpaces(_pos);
        if (p < _input.Length && _input[p] == '(') return true;
        foreach (string word in (ReadOnlySpan<string>)["by", "without"])
        {
            if (p + word.Length <= _input.Length && _input.AsSpan(p, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                int q = SkipUnicodeSpaces(p + word.Length);
                return q < _input.Length && _input[q] == '(';
            }
        }
        return false;
    }

    private int SkipUnicodeSpaces(int p)
    {
        while (p < _input.Length && IsUnicodeSpace(Peek(p))) p += Width(Peek(p));
        return p;
    }

    // ---- numbers -------------------------------------------------------------------------------

    private Token LexNumber(int start)
    {
        if (ScanNumber(start) is { } err) return err;
        string number = _input[start.._pos];
        if (TrySuffix(number, IsDurationSuffixRune, out string dur) && TryParseLexDuration(dur, out long ns))
        {
            _pos += dur.Length - number.Length;
            return Emit(TokenKind.Duration, start, noLine: true) with { Amount = ns };
        }
        if (TrySuffix(number, IsBytesSuffixRune, out string size) && HumanBytes.TryParse(size, out ulong bytes))
        {
            _pos += size.Length - number.Length;
            return Emit(TokenKind.Bytes, start, noLine: true) with { ByteCount = bytes };
        }
        return Emit(TokenKind.Number, start);
    }

    private static bool IsDurationSuffixRune(int r) =>
        IsNumberRune(r) || r is '.' or 'n' or 'u' or '\u00b5' or 'm' or 's' or 'h' or 'd' or 'w' or 'y';

    private static bool IsBytesSuffixRune(int r) =>
        IsNumberRune(r) || r is '.' or 'B' or 'i' or 'k' or 'K' or 'M' or 'G' or 'T' or 'P';

    // Loki's tryScanDuration/tryScanBytes: the runes after the number up to white space that fit
    // the unit alphabet; at least one is required.
    private bool TrySuffix(string prefix, Func<int, bool> accept, out string candidate)
    {
        int p = _pos;
        while (true)
        {
            int r = Peek(p);
            if (r == EofRune || IsUnicodeSpace(r) || !accept(r)) break;
            p += Width(r);
        }
        candidate = prefix + _input[_pos..p];
        return p > _pos;
    }

    /// <summary>Loki's parseDuration: Prometheus's form first (<c>1d</c>, <c>1w</c>), then Go's (<c>1.5s</c>, <c>-5m</c>).</summary>
    internal static bool TryParseLexDuration(string s, out long nanoseconds)
    {
        if (PromDuration.TryParse(s, out long ms, out _))
        {
            nanoseconds = ms * 1_000_000;
            return true;
        }
        return GoDuration.TryParse(s, out nanoseconds);
    }

    // text/scanner's scanNumber with its error texts; returns an error item or null.
    private Token? ScanNumber(int start)
    {
        int baseN = 10;
        char prefix = '\0';
        int digsep = 0;
        char invalid = '\0';
        bool isFloat = false;
        if (_input[_pos] != '.')
        {
            if (_input[_pos] == '0')
            {
                _pos++;
                char c = _pos < _input.Length ? char.ToLowerInvariant(_input[_pos]) : '\0';
                switch (c)
                {
                    case 'x':
                        _pos++;
                        (baseN, prefix) = (16, 'x');
                        break;
                    case 'o':
                        _pos++;
                        (baseN, prefix) = (8, 'o');
                        break;
                    case 'b':
                        _pos++;
                        (baseN, prefix) = (2, 'b');
                        break;
                    default:
                        (baseN, prefix) = (8, '0');
                        digsep = 1; // the leading 0
                        break;
                }
            }
            digsep |= Digits(baseN, ref invalid);
            if (_pos < _input.Length && _input[_pos] == '.')
            {
                _pos++;
                isFloat = true;
            }
        }
        else
        {
            _pos++;
            isFloat = true;
        }
        if (isFloat)
        {
            if (prefix is 'o' or 'b') return Error(start, "invalid radix point in " + LiteralName(prefix));
            digsep |= Digits(baseN, ref invalid);
        }
        if ((digsep & 1) == 0) return Error(start, LiteralName(prefix) + " has no digits");
        char e = _pos < _input.Length ? char.ToLowerInvariant(_input[_pos]) : '\0';
        if (e is 'e' or 'p')
        {
            if (e == 'e' && prefix is not ('\0' or '0')) return Error(start, $"'{_input[_pos]}' exponent requires decimal mantissa");
            if (e == 'p' && prefix != 'x') return Error(start, $"'{_input[_pos]}' exponent requires hexadecimal mantissa");
            _pos++;
            isFloat = true;
            if (_pos < _input.Length && _input[_pos] is '+' or '-') _pos++;
            char none = '\0';
            int ds = Digits(10, ref none);
            digsep |= ds;
            if ((ds & 1) == 0) return Error(start, "exponent has no digits");
        }
        else if (prefix == 'x' && isFloat)
        {
            return Error(start, "hexadecimal mantissa requires a 'p' exponent");
        }
        if (!isFloat && invalid != '\0') return Error(start, $"invalid digit '{invalid}' in {LiteralName(prefix)}");
        if ((digsep & 2) != 0 && !SeparatorsValid(_input[start.._pos])) return Error(start, "'_' must separate successive digits");
        return null;
    }

    private int Digits(int baseN, ref char invalid)
    {
        int digsep = 0;
        while (_pos < _input.Length)
        {
            char c = _input[_pos];
            bool ok = baseN <= 10 ? char.IsAsciiDigit(c) || c == '_' : char.IsAsciiHexDigit(c) || c == '_';
            if (!ok) break;
            if (c == '_') digsep |= 2;
            else
            {
                digsep |= 1;
                if (baseN <= 10 && c >= '0' + baseN && invalid == '\0') invalid = c;
            }
            _pos++;
        }
        return digsep;
    }

    private static string LiteralName(char prefix) => prefix switch
    {
        'x' => "hexadecimal literal",
        'o' or '0' => "octal literal",
        'b' => "binary literal",
        _ => "decimal literal",
    };

    // Go's invalidSep: '_' only between digits (a base prefix counts as a digit).
    private static bool SeparatorsValid(string x)
    {
        char x1 = ' ';
        char d = '.';
        int i = 0;
        if (x.Length >= 2 && x[0] == '0')
        {
            x1 = char.ToLowerInvariant(x[1]);
            if (x1 is 'x' or 'o' or 'b')
            {
                d = '0';
                i = 2;
            }
        }
        for (; i < x.Length; i++)
        {
            char p = d;
            d = x[i];
            if (d == '_')
            {
                if (p != '0') return false;
            }
            else if (char.IsAsciiDigit(d) || (x1 == 'x' && char.IsAsciiHexDigit(d)))
            {
                d = '0';
            }
            else
            {
                if (p == '_') return false;
                d = '.';
            }
        }
        return d != '_';
    }

    // ---- strings -------------------------------------------------------------------------------

    private Token LexString(int start)
    {
        _pos++;
        var bytes = new List<byte>(16);
        Span<byte> buf = stackalloc byte[4];
        while (true)
        {
            int r = Peek(_pos);
            if (r is EofRune or '\n') return Error(start, "literal not terminated");
            if (IsLoneSurrogate(r)) return Error(start, "invalid UTF-8 encoding");
            if (r == 0) return Error(start, "invalid character NUL");
            _pos += Width(r);
            if (r == '"') break;
            if (r == '\\')
            {
                if (!LexEscape(bytes, out bool syntax)) return Error(start, syntax ? "invalid syntax" : "invalid char escape");
                continue;
            }
            int n = new Rune(r).EncodeToUtf8(buf);
            for (int i = 0; i < n; i++) bytes.Add(buf[i]);
        }
        // \x and octal escapes insert raw bytes; Go keeps them, .NET strings cannot, so invalid
        // sequences decode to U+FFFD.
        return Emit(TokenKind.String, start) with { Value = Encoding.UTF8.GetString(bytes.ToArray()) };
    }

    // text/scanner validates the escape's shape ("invalid char escape"); strconv.Unquote then
    // rejects values that are not bytes or runes ("invalid syntax").
    private bool LexEscape(List<byte> bytes, out bool syntaxError)
    {
        syntaxError = false;
        int c = Peek(_pos);
        if (c == EofRune) return false;
        _pos += Width(c);
        switch (c)
        {
            case 'a': bytes.Add(7); return true;
            case 'b': bytes.Add(8); return true;
            case 'f': bytes.Add(12); return true;
            case 'n': bytes.Add(10); return true;
            case 'r': bytes.Add(13); return true;
            case 't': bytes.Add(9); return true;
            case 'v': bytes.Add(11); return true;
            case '\\': bytes.Add((byte)'\\'); return true;
            case '"': bytes.Add((byte)'"'); return true;
        }
        int digits;
        int radix;
        if (c is >= '0' and <= '7')
        {
            (digits, radix) = (3, 8);
            _pos--;
        }
        else if (c == 'x') (digits, radix) = (2, 16);
        else if (c == 'u') (digits, radix) = (4, 16);
        else if (c == 'U') (digits, radix) = (8, 16);
        else return false;
        long v = 0;
        for (int i = 0; i < digits; i++)
        {
            int d = _pos < _input.Length ? Strata.Query.PromQL.GoText.DigitVal(_input[_pos]) : 16;
            if (d >= radix) return false;
            v = v * radix + d;
            _pos++;
        }
        if (c is 'x' or (>= '0' and <= '7'))
        {
            if (v > 255)
            {
                syntaxError = true;
                return false;
            }
            bytes.Add((byte)v);
            return true;
        }
        if (v > 0x10FFFF || v is >= 0xD800 and < 0xE000)
        {
            syntaxError = true;
            return false;
        }
        Span<byte> buf = stackalloc byte[4];
        int n = new Rune((int)v).EncodeToUtf8(buf);
        for (int i = 0; i < n; i++) bytes.Add(buf[i]);
        return true;
    }

    private Token LexRawString(int start)
    {
        int end = _input.IndexOf('`', start + 1);
        if (end < 0) return Error(start, "literal not terminated");
        for (int i = start + 1; i < end; i++)
        {
            if (_input[i] == '\0') return Error(start, "invalid character NUL");
            if (IsLoneSurrogate(Peek(i))) return Error(start, "invalid UTF-8 encoding");
        }
        _pos = end + 1;
        return Emit(TokenKind.String, start) with { Value = _input[(start + 1)..end] };
    }

    // text/scanner scans 'x' as a char literal; Loki has no use for it and treats it as an identifier.
    private Token LexCharLiteral(int start)
    {
        _pos++;
        int n = 0;
        while (true)
        {
            int r = Peek(_pos);
            if (r is EofRune or '\n') return Error(start, "literal not terminated");
            _pos += Width(r);
            if (r == '\'') break;
            if (r == '\\')
            {
                if (!LexEscape([], out _)) return Error(start, "invalid char escape");
            }
            n++;
        }
        if (n != 1) return Error(start, "invalid char literal");
        return Emit(TokenKind.Identifier, start);
    }

    // ---- range, minus, operators -----------------------------------------------------------------

    private Token LexRange(int start)
    {
        int close = _input.IndexOf(']', start + 1);
        if (close < 0) return Error(start, "missing closing ']' in duration", noLine: true);
        string body = _input[(start + 1)..close];
        _pos = close + 1;
        if (!PromDuration.TryParse(body, out long ms, out string? err)) return Error(start, err!, noLine: true);
        return Emit(TokenKind.Range, start, noLine: true) with { Amount = ms };
    }

    // '-' starts a parser flag (--strict, --keep-empty) or a negative duration (-5m); else it is SUB.
    private Token? LexMinus(int start)
    {
        int p = _pos + 1;
        if (Peek(p) == '-')
        {
            while (IsLetter(Peek(p)) || Peek(p) == '-') p += Width(Peek(p));
            string flag = _input[start..p];
            if (flag is "--strict" or "--keep-empty")
            {
                _pos = p;
                return Emit(TokenKind.ParserFlag, start, noLine: true);
            }
        }
        _pos++;
        if (TrySuffix("-", IsDurationSuffixRune, out string dur) && TryParseLexDuration(dur, out long ns))
        {
            _pos += dur.Length - 1;
            return Emit(TokenKind.Duration, start, noLine: true) with { Amount = ns };
        }
        _pos = start;
        return null;
    }

    private Token LexOperator(int start, int r)
    {
        _pos += Width(r);
        int next = Peek(_pos);
        TokenKind? two = (r, next) switch
        {
            ('=', '~') => TokenKind.Re,
            ('=', '=') => TokenKind.CmpEq,
            ('!', '=') => TokenKind.Neq,
            ('!', '~') => TokenKind.Nre,
            ('!', '>') => TokenKind.Npa,
            ('|', '=') => TokenKind.PipeExact,
            ('|', '~') => TokenKind.PipeMatch,
            ('|', '>') => TokenKind.PipePattern,
            ('>', '=') => TokenKind.Gte,
            ('<', '=') => TokenKind.Lte,
            _ => null,
        };
        if (two is { } k)
        {
            _pos++;
            return Emit(k, start, noLine: true);
        }
        TokenKind kind = r switch
        {
            ',' => TokenKind.Comma,
            '.' => TokenKind.Dot,
            '{' => TokenKind.OpenBrace,
            '}' => TokenKind.CloseBrace,
            '=' => TokenKind.Eq,
            '|' => TokenKind.Pipe,
            '(' => TokenKind.OpenParen,
            ')' => TokenKind.CloseParen,
            ']' => TokenKind.CloseBracket,
            '+' => TokenKind.Add,
            '-' => TokenKind.Sub,
            '*' => TokenKind.Mul,
            '/' => TokenKind.Div,
            '%' => TokenKind.Mod,
            '^' => TokenKind.Pow,
            '>' => TokenKind.Gt,
            '<' => TokenKind.Lt,
            _ => TokenKind.Identifier,
        };
        return Emit(kind, start);
    }

    /// <summary>Go's <c>strconv.ParseFloat</c> on a NUMBER token's text; null with Go's error text on failure.</summary>
    internal static double? ParseGoFloat(string s, out string? error)
    {
        error = null;
        string lower = s.ToLowerInvariant();
        bool decimalForm = lower.Length > 0 && !lower.Contains('_', StringComparison.Ordinal)
            && !(lower.StartsWith("0x", StringComparison.Ordinal) || lower.StartsWith("0o", StringComparison.Ordinal) || lower.StartsWith("0b", StringComparison.Ordinal));
        if (decimalForm && double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double v))
        {
            if (!double.IsInfinity(v)) return v;
            error = $"strconv.ParseFloat: parsing {Strata.Query.PromQL.GoText.Quote(s)}: value out of range";
            return null;
        }
        if (lower.StartsWith("0x", StringComparison.Ordinal) && lower.Contains('p', StringComparison.Ordinal) && TryParseHexFloat(lower, out v))
        {
            return v;
        }
        error = $"strconv.ParseFloat: parsing {Strata.Query.PromQL.GoText.Quote(s)}: invalid syntax";
        return null;
    }

    // 0x1.8p3 = 12: hex mantissa, binary exponent. Underscores are allowed after a base prefix.
    private static bool TryParseHexFloat(string s, out double value)
    {
        value = 0;
        string body = s[2..].Replace("_", "", StringComparison.Ordinal);
        int p = body.IndexOf('p', StringComparison.Ordinal);
        string mant = body[..p];
        if (!int.TryParse(body.AsSpan(p + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exp)) return false;
        double m = 0;
        int fracDigits = 0;
        bool seenDot = false;
        bool any = false;
        foreach (char c in mant)
        {
            if (c == '.')
            {
                if (seenDot) return false;
                seenDot = true;
                continue;
            }
            int d = Strata.Query.PromQL.GoText.DigitVal(c);
            if (d >= 16) return false;
            m = m * 16 + d;
            any = true;
            if (seenDot) fracDigits++;
        }
        if (!any) return false;
        value = m * Math.Pow(2, exp - (4 * fracDigits));
        return !double.IsInfinity(value);
    }
}
