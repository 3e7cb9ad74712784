using System.Globalization;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A parser for RE2 syntax as Go's <c>regexp.Compile</c> accepts it (Perl flags: <c>(?imsU)</c>, Perl
/// classes, <c>\Q..\E</c>, <c>\pN</c>, POSIX classes, <c>(?P&lt;name&gt;)</c> and <c>(?&lt;name&gt;)</c>).
/// We parse rather than pass patterns to .NET because the dialects differ where it matters: <c>$</c>
/// is end-of-text in RE2 but also matches before a final newline in .NET, <c>\d</c>/<c>\w</c>/<c>\s</c>
/// are ASCII in RE2, .NET numbers named groups after unnamed ones, and RE2 rejects backreferences and
/// lookarounds, which must be query errors here too. The tree also feeds Loki's literal simplifier.
/// </summary>
internal sealed class Re2Parser
{
    private const int MaxRepeat = 1000;
    private const int MaxRune = 0x10FFFF;

    private readonly string _src;
    private int _pos;
    private int _captures;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    [Flags]
    private enum Flags : byte
    {
        None = 0,
        FoldCase = 1,
        MultiLine = 2,
        DotNL = 4,
        NonGreedy = 8,
    }

    private Re2Parser(string src) => _src = src;

    /// <summary>Parses <paramref name="pattern"/>; throws <see cref="Re2SyntaxException"/> with Go's wording on invalid input.</summary>
    public static Re2Node Parse(string pattern, out int captureCount)
    {
        var p = new Re2Parser(pattern);
        var flags = Flags.None;
        var node = p.ParseAlternation(ref flags, depth: 0);
        if (p._pos < p._src.Length)
        {
            // Only a stray ')' stops the top level early.
            throw new Re2SyntaxException("unexpected )", pattern);
        }
        captureCount = p._captures;
        return node;
    }

    private Re2SyntaxException Error(string code, string arg) => new($"{code}: `{arg}`", _src);

    private bool More => _pos < _src.Length;
    private char Peek => _src[_pos];

    private Re2Node ParseAlternation(ref Flags flags, int depth)
    {
        var branches = new List<Re2Node>();
        while (true)
        {
            branches.Add(ParseConcat(ref flags, depth));
            if (More && Peek == '|')
            {
                _pos++;
                continue;
            }
            break;
        }
        if (branches.Count == 1) return branches[0];
        var alt = Re2Node.Make(Re2Op.Alternate);
        alt.Subs = branches;
        return alt;
    }

    private Re2Node ParseConcat(ref Flags flags, int depth)
    {
        var items = new List<Re2Node>();
        while (More)
        {
            char c = Peek;
            if (c == '|') break;
            if (c == ')')
            {
                if (depth == 0) throw new Re2SyntaxException("unexpected )", _src);
                break;
            }
            switch (c)
            {
                case '*' or '+' or '?':
                    ApplyRepeat(items, flags, c == '+' ? 1 : 0, c == '?' ? 1 : -1, c.ToString());
                    _pos++;
                    ApplyNonGreedySuffix(items, flags);
                    continue;
                case '{':
                    int save = _pos;
                    if (TryParseRepeat(out int min, out int max))
                    {
                        ApplyRepeat(items, flags, min, max, _src[save.._pos]);
                        ApplyNonGreedySuffix(items, flags);
                        continue;
                    }
                    _pos = save + 1;
                    AppendLiteral(items, '{', flags);
                    continue;
                case '(':
                    var group = ParseGroup(ref flags, depth);
                    if (group != null) items.Add(group);
                    continue;
                case '[':
                    PushClass(items, ParseClass(flags), flags);
                    continue;
                case '.':
                    _pos++;
                    items.Add(Re2Node.Make((flags & Flags.DotNL) != 0 ? Re2Op.AnyChar : Re2Op.AnyCharNotNL));
                   
                    continue;
                case '^':
                    _pos++;
                    items.Add(Re2Node.Make((flags & Flags.MultiLine) != 0 ? Re2Op.BeginLine : Re2Op.BeginText));
                   
                    continue;
                case '$':
                    _pos++;
                    items.Add(Re2Node.Make((flags & Flags.MultiLine) != 0 ? Re2Op.EndLine : Re2Op.EndText));
                   
                    continue;
                case '\\':
                    ParseEscape(items, flags);
                    continue;
                default:
                    int r = NextRune();
                    AppendLiteral(items, r, flags);
                    continue;
            }
        }
        if (items.Count == 0) return Re2Node.Make(Re2Op.EmptyMatch);
        if (items.Count == 1) return items[0];
        var concat = Re2Node.Make(Re2Op.Concat);
        concat.Subs = items;
        return concat;
    }

    private int NextRune()
    {
        int r = char.ConvertToUtf32(_src, _pos);
        _pos += r > 0xFFFF ? 2 : 1;
        return r;
    }

    private void AppendLiteral(List<Re2Node> items, int rune, Flags flags)
    {
        bool fold = (flags & Flags.FoldCase) != 0 && HasFold(rune);
        if (items.Count > 0)
        {
            var last = items[^1];
            if (last.Op == Re2Op.Literal && last.FoldCase == fold)
            {
                last.Runes!.Add(rune);
                return;
            }
        }
        items.Add(new Re2Node { Op = Re2Op.Literal, Runes = [rune], FoldCase = fold });
    }

    private static bool HasFold(int rune)
    {
        if (rune > 0xFFFF) return false;
        char c = (char)rune;
        return char.ToUpperInvariant(c) != c || char.ToLowerInvariant(c) != c;
    }

    // A repetition applies to the last rune of a multi-rune literal: "ab*" is a(b*).
    private void ApplyRepeat(List<Re2Node> items, Flags flags, int min, int max, string op)
    {
        if (items.Count == 0) throw Error("missing argument to repetition operator", op);
        var last = items[^1];
        if (last.Op == Re2Op.Literal && last.Runes!.Count > 1)
        {
            int r = last.Runes[^1];
            last.Runes.RemoveAt(last.Runes.Count - 1);
            last = new Re2Node { Op = Re2Op.Literal, Runes = [r], FoldCase = last.FoldCase };
            items.Add(last);
        }
        var rep = new Re2Node { Op = Re2Op.Repeat, Min = min, Max = max, Greedy = (flags & Flags.NonGreedy) == 0 };
        rep.Subs.Add(last);
        items[^1] = rep;
    }

    private void ApplyNonGreedySuffix(List<Re2Node> items, Flags flags)
    {
        if (More && Peek == '?')
        {
            _pos++;
            items[^1].Greedy = (flags & Flags.NonGreedy) != 0;
        }
        // A second repetition right after is "invalid nested repetition operator".
        if (More && Peek is '*' or '+' or '?')
            throw Error("invalid nested repetition operator", _src.Substring(_pos - 1, 2));
        if (More && Peek == '{')
        {
            int save = _pos;
            if (TryParseRepeat(out _, out _))
                throw Error("invalid nested repetition operator", _src[(save - 1).._pos]);
            _pos = save;
        }
    }

    // {n}, {n,}, {n,m}; anything else leaves '{' a literal (RE2 and Go agree).
    private bool TryParseRepeat(out int min, out int max)
    {
        min = max = 0;
        int start = _pos;
        _pos++;
        if (!TryParseInt(out min))
        {
            _pos = start;
            return false;
        }
        if (More && Peek == ',')
        {
            _pos++;
            if (More && Peek == '}') max = -1;
            else if (!TryParseInt(out max))
            {
                _pos = start;
                return false;
            }
        }
        else max = min;
        if (!More || Peek != '}')
        {
            _pos = start;
            return false;
        }
        _pos++;
        if (min > MaxRepeat || max > MaxRepeat || max >= 0 && max < min)
            throw Error("invalid repeat count", _src[start.._pos]);
        return true;
    }

    private bool TryParseInt(out int value)
    {
        value = 0;
        int start = _pos;
        while (More && char.IsAsciiDigit(Peek))
        {
            if (value < 100000) value = value * 10 + (Peek - '0');
            _pos++;
        }
        if (_pos == start) return false;
        // Go rejects leading zeros in counts ("{01}") by treating the brace as a literal.
        if (_pos - start > 1 && _src[start] == '0') return false;
        return true;
    }

    private Re2Node? ParseGroup(ref Flags flags, int depth)
    {
        int start = _pos;
        _pos++; // '('
        string? name = null;
        if (More && Peek == '?')
        {
            if (_src.AsSpan(_pos).StartsWith("?P<") || _src.AsSpan(_pos).StartsWith("?<"))
            {
                _pos += _src[_pos + 1] == 'P' ? 3 : 2;
                int end = _src.IndexOf('>', _pos);
                if (end < 0) throw Error("invalid named capture", _src[start..]);
                name = _src[_pos..end];
                if (name.Length == 0 || !IsWordName(name)) throw Error("invalid named capture", _src[start..(end + 1)]);
                if (!_names.Add(name)) throw Error("duplicate capture group name", name);
                _pos = end + 1;
            }
            else
            {
                // Flag group: (?flags) or (?flags:re).
                _pos++;
                var newFlags = flags;
                bool neg = false, sawFlag = false;
                while (true)
                {
                    if (!More) throw Error("missing closing )", _src[start..]);
                    char c = Peek;
                    _pos++;
                    switch (c)
                    {
                        case 'i': Set(ref newFlags, Flags.FoldCase, neg); sawFlag = true; continue;
                        case 'm': Set(ref newFlags, Flags.MultiLine, neg); sawFlag = true; continue;
                        case 's': Set(ref newFlags, Flags.DotNL, neg); sawFlag = true; continue;
                        case 'U': Set(ref newFlags, Flags.NonGreedy, neg); sawFlag = true; continue;
                        case '-':
                            if (neg) throw Error("invalid or unsupported Perl syntax", _src[start.._pos]);
                            neg = true;
                            sawFlag = false;
                            continue;
                        case ')':
                            if (neg && !sawFlag) throw Error("invalid or unsupported Perl syntax", _src[start.._pos]);
                            flags = newFlags;
                            return null;
                        case ':':
                            if (neg && !sawFlag) throw Error("invalid or unsupported Perl syntax", _src[start.._pos]);
                            var inner = newFlags;
                            var sub = ParseAlternation(ref inner, depth + 1);
                            Expect(start);
                            return sub;
                        default:
                            throw Error("invalid or unsupported Perl syntax", _src[start.._pos]);
                    }
                }
            }
        }
        int index = ++_captures;
        var innerFlags = flags;
        var body = ParseAlternation(ref innerFlags, depth + 1);
        Expect(start);
        var cap = new Re2Node { Op = Re2Op.Capture, CaptureIndex = index, Name = name };
        cap.Subs.Add(body);
        return cap;
    }

    private static void Set(ref Flags f, Flags bit, bool clear)
    {
        if (clear) f &= ~bit;
        else f |= bit;
    }

    private static bool IsWordName(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }
        return true;
    }

    private void Expect(int groupStart)
    {
        if (!More || Peek != ')') throw Error("missing closing )", _src[groupStart..]);
        _pos++;
    }

    private void ParseEscape(List<Re2Node> items, Flags flags)
    {
        int start = _pos;
        _pos++;
        if (!More) throw new Re2SyntaxException("trailing backslash at end of expression", _src);
        char c = Peek;
        switch (c)
        {
            case 'A': _pos++; items.Add(Re2Node.Make(Re2Op.BeginText)); return;
            case 'z': _pos++; items.Add(Re2Node.Make(Re2Op.EndText)); return;
            case 'b': _pos++; items.Add(Re2Node.Make(Re2Op.WordBoundary)); return;
            case 'B': _pos++; items.Add(Re2Node.Make(Re2Op.NoWordBoundary)); return;
            case 'Q':
                _pos++;
                int end = _src.IndexOf("\\E", _pos, StringComparison.Ordinal);
                string lit = end < 0 ? _src[_pos..] : _src[_pos..end];
                _pos = end < 0 ? _src.Length : end + 2;
                for (int i = 0; i < lit.Length; i++)
                {
                    int r = char.ConvertToUtf32(lit, i);
                    if (r > 0xFFFF) i++;
                    AppendLiteral(items, r, flags);
                }
                return;
            case 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'p' or 'P':
                _pos = start;
                var cls = new Re2Node { Op = Re2Op.CharClass, Items = [] };
                ParseClassEscape(cls.Items, out bool negated);
                cls.Negated = negated;
                PushClass(items, cls, flags);
                return;
        }
        _pos = start;
        int rune = ParseSimpleEscape();
        AppendLiteral(items, rune, flags);
    }

    // Escapes that denote one rune: \a \f \t \n \r \v, octal \0.., \xHH, \x{H..}, escaped punctuation.
    private int ParseSimpleEscape()
    {
        int start = _pos;
        _pos++;
        char c = _src[_pos];
        _pos++;
        switch (c)
        {
            case 'a': return 7;
            case 'f': return '\f';
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'v': return '\v';
            case >= '1' and <= '7':
                // A lone non-zero digit is a backreference, which RE2 does not support.
                if (!More || _src[_pos] < '0' || _src[_pos] > '7') throw Error("invalid escape sequence", _src[start.._pos]);
                goto case '0';
            case '0':
                int v = c - '0';
                for (int i = 0; i < 2 && More && Peek >= '0' && Peek <= '7'; i++)
                {
                    v = v * 8 + (Peek - '0');
                    _pos++;
                }
                return v;
            case 'x':
                if (!More) throw Error("invalid escape sequence", _src[start.._pos]);
                if (Peek == '{')
                {
                    int close = _src.IndexOf('}', _pos);
                    if (close < 0) throw Error("invalid escape sequence", _src[start..]);
                    var hex = _src.AsSpan(_pos + 1, close - _pos - 1);
                    if (hex.IsEmpty || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int r) || r > MaxRune || r is >= 0xD800 and <= 0xDFFF)
                        throw Error("invalid escape sequence", _src[start..(close + 1)]);
                    _pos = close + 1;
                    return r;
                }
                if (_pos + 2 > _src.Length || !int.TryParse(_src.AsSpan(_pos, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int h))
                    throw Error("invalid escape sequence", _src[start..Math.Min(_src.Length, _pos + 2)]);
                _pos += 2;
                return h;
            default:
                if (c < 0x80 && !char.IsAsciiLetterOrDigit(c)) return c;
                throw Error("invalid escape sequence", _src[start.._pos]);
        }
    }

    // \d \D \s \S \w \W (ASCII, as in RE2) and \pX \p{Name} \PX \P{Name}.
    private void ParseClassEscape(List<Re2ClassItem> items, out bool negated)
    {
        int start = _pos;
        _pos++;
        char c = _src[_pos++];
        negated = false;
        switch (c)
        {
            case 'd': AddPerl(items, "d"); return;
            case 'D': negated = true; AddPerl(items, "d"); return;
            case 's': AddPerl(items, "s"); return;
            case 'S': negated = true; AddPerl(items, "s"); return;
            case 'w': AddPerl(items, "w"); return;
            case 'W': negated = true; AddPerl(items, "w"); return;
        }
        bool neg = c == 'P';
        if (!More) throw Error("invalid character class range", _src[start.._pos]);
        string name;
        if (Peek == '{')
        {
            int close = _src.IndexOf('}', _pos);
            if (close < 0) throw Error("invalid character class range", _src[start..]);
            name = _src[(_pos + 1)..close];
            _pos = close + 1;
        }
        else name = _src[_pos++].ToString();
        if (name.StartsWith('^'))
        {
            neg = !neg;
            name = name[1..];
        }
        AddUnicode(items, name, neg, _src[start.._pos]);
    }

    private static void AddPerl(List<Re2ClassItem> items, string k)
    {
        switch (k)
        {
            case "d": items.Add(new('0', '9')); break;
            case "s":
                items.Add(new('\t', '\n'));
                items.Add(new('\f', '\r'));
                items.Add(new(' ', ' '));
                break;
            default:
                items.Add(new('0', '9'));
                items.Add(new('A', 'Z'));
                items.Add(new('_', '_'));
                items.Add(new('a', 'z'));
                break;
        }
    }

    private static readonly HashSet<string> Categories = new(StringComparer.Ordinal)
    {
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
        "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co",
    };

    // RE2 scripts have no .NET equivalent; the common ones map to their main Unicode block(s).
    private static readonly Dictionary<string, string> Scripts = new(StringComparer.Ordinal)
    {
        ["Greek"] = "IsGreekandCoptic",
        ["Cyrillic"] = "IsCyrillic",
        ["Han"] = "IsCJKUnifiedIdeographs",
        ["Hiragana"] = "IsHiragana",
        ["Katakana"] = "IsKatakana",
        ["Hangul"] = "IsHangulSyllables",
        ["Arabic"] = "IsArabic",
        ["Hebrew"] = "IsHebrew",
        ["Thai"] = "IsThai",
        ["Armenian"] = "IsArmenian",
        ["Georgian"] = "IsGeorgian",
        ["Devanagari"] = "IsDevanagari",
    };

    private void AddUnicode(List<Re2ClassItem> items, string name, bool negated, string text)
    {
        if (name == "Any")
        {
            if (!negated) items.Add(new(0, MaxRune));
            return;
        }
        if (name == "Latin")
        {
            if (negated) throw Error("invalid character class range", text);
            items.Add(new('A', 'Z'));
            items.Add(new('a', 'z'));
            items.Add(new(0xAA, 0xAA));
            items.Add(new(0xBA, 0xBA));
            items.Add(new(0xC0, 0xD6));
            items.Add(new(0xD8, 0xF6));
            items.Add(new(0xF8, 0x24F));
            items.Add(new(0x1E00, 0x1EFF));
            return;
        }
        if (Categories.Contains(name)) items.Add(new(0, 0, name, negated));
        else if (Scripts.TryGetValue(name, out var block)) items.Add(new(0, 0, block, negated));
        else throw Error("invalid character class range", text);
    }

    private Re2Node ParseClass(Flags flags)
    {
        int start = _pos;
        _pos++; // '['
        var node = new Re2Node { Op = Re2Op.CharClass, Items = [] };
        if (More && Peek == '^')
        {
            node.Negated = true;
            _pos++;
        }
        bool first = true;
        while (true)
        {
            if (!More) throw Error("missing closing ]", _src[start..]);
            char c = Peek;
            if (c == ']' && !first)
            {
                _pos++;
                break;
            }
            first = false;
            if (c == '[' && _src.AsSpan(_pos).StartsWith("[:"))
            {
                int close = _src.IndexOf(":]", _pos + 2, StringComparison.Ordinal);
                if (close > 0)
                {
                    string name = _src[(_pos + 2)..close];
                    bool neg = name.StartsWith('^');
                    if (neg) name = name[1..];
                    if (!AddPosix(node.Items, name, neg)) throw Error("invalid character class range", _src[_pos..(close + 2)]);
                    _pos = close + 2;
                    continue;
                }
            }
            if (c == '\\' && _pos + 1 < _src.Length && _src[_pos + 1] is 'd' or 'D' or 's' or 'S' or 'w' or 'W' or 'p' or 'P')
            {
                var sub = new List<Re2ClassItem>();
                ParseClassEscape(sub, out bool neg);
                if (neg) node.Items.AddRange(Complement(sub));
                else node.Items.AddRange(sub);
                continue;
            }
            int lo = ClassRune(start);
            int hi = lo;
            if (More && Peek == '-' && _pos + 1 < _src.Length && _src[_pos + 1] != ']')
            {
                _pos++;
                hi = ClassRune(start);
                if (hi < lo) throw Error("invalid character class range", char.ConvertFromUtf32(lo) + "-" + char.ConvertFromUtf32(hi));
            }
            node.Items.Add(new(lo, hi));
        }
        node.FoldCase = (flags & Flags.FoldCase) != 0;
        return node;
    }

    private int ClassRune(int classStart)
    {
        if (!More) throw Error("missing closing ]", _src[classStart..]);
        if (Peek == '\\')
        {
            if (_pos + 1 >= _src.Length) throw Error("missing closing ]", _src[classStart..]);
            return ParseSimpleEscape();
        }
        return NextRune();
    }

    private static bool AddPosix(List<Re2ClassItem> items, string name, bool negated)
    {
        var r = new List<Re2ClassItem>();
        switch (name)
        {
            case "alnum": r.Add(new('0', '9')); r.Add(new('A', 'Z')); r.Add(new('a', 'z')); break;
            case "alpha": r.Add(new('A', 'Z')); r.Add(new('a', 'z')); break;
            case "ascii": r.Add(new(0, 0x7F)); break;
            case "blank": r.Add(new('\t', '\t')); r.Add(new(' ', ' ')); break;
            case "cntrl": r.Add(new(0, 0x1F)); r.Add(new(0x7F, 0x7F)); break;
            case "digit": r.Add(new('0', '9')); break;
            case "graph": r.Add(new('!', '~')); break;
            case "lower": r.Add(new('a', 'z')); break;
            case "print": r.Add(new(' ', '~')); break;
            case "punct": r.Add(new('!', '/')); r.Add(new(':', '@')); r.Add(new('[', '`')); r.Add(new('{', '~')); break;
            case "space": r.Add(new('\t', '\r')); r.Add(new(' ', ' ')); break;
            case "upper": r.Add(new('A', 'Z')); break;
            case "word": r.Add(new('0', '9')); r.Add(new('A', 'Z')); r.Add(new('_', '_')); r.Add(new('a', 'z')); break;
            case "xdigit": r.Add(new('0', '9')); r.Add(new('A', 'F')); r.Add(new('a', 'f')); break;
            default: return false;
        }
        items.AddRange(negated ? Complement(r) : r);
        return true;
    }

    /// <summary>The complement of plain ranges over all code points (Unicode-class items are negated in place).</summary>
    internal static List<Re2ClassItem> Complement(List<Re2ClassItem> items)
    {
        var result = new List<Re2ClassItem>();
        var ranges = new List<(int Lo, int Hi)>();
        foreach (var it in items)
        {
            if (it.Unicode != null) result.Add(it with { NegatedUnicode = !it.NegatedUnicode });
            else ranges.Add((it.Lo, it.Hi));
        }
        ranges.Sort();
        int next = 0;
        foreach (var (lo, hi) in ranges)
        {
            if (lo > next) result.Add(new(next, lo - 1));
            next = Math.Max(next, hi + 1);
        }
        if (next <= MaxRune) result.Add(new(next, MaxRune));
        return result;
    }

    // Go's parser turns a class of one rune into a literal, and [Aa] into a case-folded literal, which
    // is what lets Loki's simplifier see "[e]rror" as the literal "error".
    private void PushClass(List<Re2Node> items, Re2Node cls, Flags flags)
    {
        var it = cls.Items!;
        if (!cls.Negated && it.Count == 1 && it[0].Unicode == null && it[0].Lo == it[0].Hi)
        {
            AppendLiteral(items, it[0].Lo, cls.FoldCase ? flags : flags & ~Flags.FoldCase);
            return;
        }
        if (!cls.Negated && !cls.FoldCase && it.Count == 2 && it[0].Unicode == null && it[1].Unicode == null &&
            it[0].Lo == it[0].Hi && it[1].Lo == it[1].Hi && it[0].Lo < 0x80 && it[1].Lo < 0x80 &&
            char.IsAsciiLetter((char)it[0].Lo) && (it[0].Lo ^ 0x20) == it[1].Lo)
        {
            AppendLiteral(items, Math.Min(it[0].Lo, it[1].Lo), flags | Flags.FoldCase);
            return;
        }
        items.Add(cls);
       
    }
}

/// <summary>An invalid RE2 pattern; the message follows Go's <c>regexp/syntax</c> wording.</summary>
internal sealed class Re2SyntaxException(string message, string pattern)
    : Exception("error parsing regexp: " + message)
{
    public string Pattern { get; } = pattern;
}
