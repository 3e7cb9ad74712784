using System.Globalization;
using System.Text;

namespace Strata.Query.PromQL;

/// <summary>
/// Text conventions PromQL inherits from Go: <c>strconv.Quote</c>/<c>QuoteRune</c> for strings in
/// messages and printed queries, <c>strconv.FormatFloat(v, 'f', -1)</c> and <c>%v</c> for numbers,
/// <c>strconv.ParseInt(s, 0, 64)</c> then <c>ParseFloat</c> for number literals. Error texts must
/// match Prometheus byte for byte, so these follow Go's rules rather than .NET's defaults.
/// </summary>
internal static class GoText
{
    /// <summary>Go's <c>strconv.Quote</c>: double quotes, Go escapes, printable runes kept.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        AppendEscaped(sb, s, '"');
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>Go's <c>%q</c> applied to a rune (<c>strconv.QuoteRune</c>); -1 stands for end of input.</summary>
    public static string QuoteRune(int rune)
    {
        var sb = new StringBuilder(8);
        sb.Append('\'');
        if (rune < 0 || rune > 0x10FFFF || (rune >= 0xD800 && rune < 0xE000)) rune = 0xFFFD;
        AppendRune(sb, rune, '\'');
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>Go's <c>%#U</c>: <c>U+0063 'c'</c> (the quoted glyph only when printable).</summary>
    public static string FormatU(int rune)
    {
        if (rune < 0) rune = 0xFFFD; // Go prints U+FFFFFFFFFFFFFFFF for -1; never reached in practice
        string hex = "U+" + rune.ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(rune) ? hex + " '" + char.ConvertFromUtf32(rune) + "'" : hex;
    }

    /// <summary>Go's <c>%.10q...</c> used by the lexer item printer for long values.</summary>
    public static string QuoteTruncated(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        if (runes.Length <= 10) return Quote(s);
        var sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.Append(runes[i].ToString());
        return Quote(sb.ToString()) + "...";
    }

    private static void AppendEscaped(StringBuilder sb, string s, char quote)
    {
        foreach (var r in s.EnumerateRunes()) AppendRune(sb, r.Value, quote);
    }

    private static void AppendRune(StringBuilder sb, int r, char quote)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }
        // U+FFFD stands for bytes that were not UTF-8 (Go would print them as \xNN); escape it so
        // the printed query lexes again (a literal U+FFFD is "invalid UTF-8 rune" to the lexer).
        if (IsPrint(r) && r != 0xFFFD)
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }
        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (r < ' ' || r == 0x7F) sb.Append("\\x").Append(r.ToString("x2", CultureInfo.InvariantCulture));
        else if (r < 0x10000) sb.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        else sb.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r == ' ') return true;
        if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) return false;
        return CharUnicodeInfo.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
            _ => true,
        };
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>: shortest round-trip digits, never an exponent.</summary>
    public static string FormatFloat(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsPositiveInfinity(v)) return "+Inf";
        if (double.IsNegativeInfinity(v)) return "-Inf";
        var (neg, digits, exp) = Decompose(v);
        var sb = new StringBuilder();
        if (neg) sb.Append('-');
        // digits d1d2...dn with the decimal point after position exp (value = 0.d1d2... * 10^exp).
        if (exp <= 0)
        {
            sb.Append("0.").Append('0', -exp).Append(digits);
        }
        else if (exp >= digits.Length)
        {
            sb.Append(digits).Append('0', exp - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, exp).Append('.').Append(digits, exp, digits.Length - exp);
        }
        return sb.ToString();
    }

    /// <summary>Go's <c>%v</c> for a float64 (<c>'g'</c>, shortest): exponent form when the exponent is below -4 or at least 6.</summary>
    public static string FormatG(double v)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsPositiveInfinity(v)) return "+Inf";
        if (double.IsNegativeInfinity(v)) return "-Inf";
        var (neg, digits, dp) = Decompose(v);
        int exp = digits == "0" ? 0 : dp - 1;
        return exp < -4 || exp >= 6 ? FormatE(neg, digits, exp) : FormatFloat(v);
    }

    private static string FormatE(bool neg, string digits, int exp)
    {
        var sb = new StringBuilder();
        if (neg) sb.Append('-');
        sb.Append(digits[0]);
        if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        int a = Math.Abs(exp);
        if (a < 10) sb.Append('0');
        sb.Append(a.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Shortest round-trip decimal digits of |v| and the decimal point position (value = 0.digits × 10^dp).</summary>
    private static (bool Neg, string Digits, int Dp) Decompose(double v)
    {
        bool neg = v < 0 || (v == 0 && double.IsNegative(v));
        // "R" gives the shortest round-trip digits (possibly with an exponent); re-layout them.
        string r = Math.Abs(v).ToString("R", CultureInfo.InvariantCulture);
        int e = 0;
        int ei = r.IndexOfAny(['E', 'e']);
        if (ei >= 0)
        {
            e = int.Parse(r.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ei];
        }
        int dot = r.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? r[..dot] : r;
        string frac = dot >= 0 ? r[(dot + 1)..] : "";
        string all = intPart + frac;
        int dp = intPart.Length + e;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
            dp--;
        }
        all = all[lead..].TrimEnd('0');
        if (all.Length == 0) return (neg, "0", 1);
        return (neg, all, dp);
    }

    /// <summary>
    /// Prometheus's <c>parser.number</c>: <c>strconv.ParseInt(s, 0, 64)</c> (hex, octal, underscores),
    /// falling back to <c>strconv.ParseFloat</c>. Returns null and a Go-style error text on failure.
    /// </summary>
    public static double? ParseNumber(string s, out string? error)
    {
        error = null;
        if (TryParseGoInt(s, out long l)) return l;
        if (TryParseGoFloat(s, out double d, out bool range))
        {
            if (!range) return d;
            error = $"strconv.ParseFloat: parsing {Quote(s)}: value out of range";
            return null;
        }
        error = $"strconv.ParseFloat: parsing {Quote(s)}: invalid syntax";
        return null;
    }

    private static bool TryParseGoInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0) return false;
        int b = 10;
        string body = s;
        bool prefixed = false;
        if (s[0] == '0' && s.Length > 1)
        {
            char c1 = char.ToLowerInvariant(s[1]);
            if (c1 == 'x' && s.Length >= 3) { b = 16; body = s[2..]; prefixed = true; }
            else if (c1 == 'o' && s.Length >= 3) { b = 8; body = s[2..]; prefixed = true; }
            else if (c1 == 'b' && s.Length >= 3) { b = 2; body = s[2..]; prefixed = true; }
            else { b = 8; body = s[1..]; }
        }
        if (body.Contains('_', StringComparison.Ordinal))
        {
            if (!UnderscoreOk(s)) return false;
            body = body.Replace("_", "", StringComparison.Ordinal);
        }
        if (body.Length == 0) return !prefixed && s == "0" ? true : false;
        ulong acc = 0;
        foreach (char c in body)
        {
            int dv = DigitVal(c);
            if (dv >= b) return false;
            ulong next = acc * (ulong)b + (ulong)dv;
            if (acc > (ulong.MaxValue - (ulong)dv) / (ulong)b || next > long.MaxValue) return false;
            acc = next;
        }
        value = (long)acc;
        return true;
    }

    private static bool TryParseGoFloat(string s, out double value, out bool outOfRange)
    {
        value = 0;
        outOfRange = false;
        string lower = s.ToLowerInvariant();
        switch (lower)
        {
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
            case "nan": value = double.NaN; return true;
        }
        string body = s;
        if (body.Contains('_', StringComparison.Ordinal))
        {
            if (!UnderscoreOk(s)) return false;
            body = body.Replace("_", "", StringComparison.Ordinal);
        }
        if (body.Length == 0) return false;
        foreach (char c in body)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) return false;
        }
        if (!double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        if (double.IsInfinity(value)) outOfRange = true;
        return true;
    }

    // Go's underscoreOK: underscores only between digits, or between a base prefix and a digit.
    private static bool UnderscoreOk(string s)
    {
        char saw = '^';
        int i = 0;
        if (s.Length >= 1 && (s[0] == '-' || s[0] == '+')) s = s[1..];
        bool hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = char.ToLowerInvariant(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c) || (hex && char.IsAsciiHexDigit(c)))
            {
                saw = '0';
                continue;
            }
            if (c == '_')
            {
                if (saw != '0') return false;
                saw = '_';
                continue;
            }
            if (saw == '_') return false;
            saw = '!';
        }
        return saw != '_';
    }

    public static int DigitVal(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => 16,
    };
}
