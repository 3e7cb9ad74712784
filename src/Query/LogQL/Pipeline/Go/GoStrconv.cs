using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Go's <c>strconv</c> number parsing and printing, as far as LogQL needs it. Loki's numeric label
/// filters and <c>unwrap</c> use <c>strconv.ParseFloat</c>, whose grammar is narrower than .NET's
/// (no surrounding white space, no thousands separators, overflow is an error), so values are
/// validated against Go's grammar before .NET does the correctly rounded conversion.
/// </summary>
internal static class GoStrconv
{
    /// <summary>
    /// <c>strconv.ParseFloat(s, 64)</c>. <paramref name="outOfRange"/> is set when the syntax is valid
    /// but the magnitude overflows (Go returns an error in that case too).
    /// </summary>
    public static bool TryParseFloat(ReadOnlySpan<char> s, out double value, out bool outOfRange)
    {
        value = 0;
        outOfRange = false;
        if (s.IsEmpty) return false;
        int i = 0;
        bool neg = false;
        if (s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            i = 1;
        }
        var rest = s[i..];
        if (IsSpecial(rest, out double special))
        {
            value = neg ? -special : special;
            return true;
        }
        if (rest.Length > 2 && rest[0] == '0' && (rest[1] | 0x20) == 'x')
        {
            if (!TryParseHexFloat(rest[2..], out value)) return false;
            if (neg) value = -value;
            if (double.IsInfinity(value))
            {
                outOfRange = true;
                return false;
            }
            return true;
        }
        // Decimal: digits [. digits] [e [+-] digits], at least one mantissa digit. Go accepts
        // underscores only after a base prefix, so "1_000" is a syntax error here.
        int p = 0;
        int digits = 0;
        while (p < rest.Length && char.IsAsciiDigit(rest[p])) { p++; digits++; }
        if (p < rest.Length && rest[p] == '.')
        {
            p++;
            while (p < rest.Length && char.IsAsciiDigit(rest[p])) { p++; digits++; }
        }
        if (digits == 0) return false;
        if (p < rest.Length && (rest[p] | 0x20) == 'e')
        {
            p++;
            if (p < rest.Length && rest[p] is '+' or '-') p++;
            int expDigits = 0;
            while (p < rest.Length && char.IsAsciiDigit(rest[p])) { p++; expDigits++; }
            if (expDigits == 0) return false;
        }
        if (p != rest.Length) return false;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (double.IsInfinity(value))
        {
            outOfRange = true;
            return false;
        }
        return true;
    }

    /// <summary>ParseFloat over UTF-8 bytes; non-ASCII input is a syntax error, so the bytes are widened without decoding.</summary>
    public static bool TryParseFloat(ReadOnlySpan<byte> s, out double value, out bool outOfRange)
    {
        if (s.Length > 128)
        {
            // Long numbers are legal ("0.000…1") but rare: decode through the slow path.
            return TryParseFloat(Encoding.UTF8.GetString(s), out value, out outOfRange);
        }
        Span<char> chars = stackalloc char[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] >= 0x80)
            {
                value = 0;
                outOfRange = false;
                return false;
            }
            chars[i] = (char)s[i];
        }
        return TryParseFloat(chars, out value, out outOfRange);
    }

    public static string ParseFloatError(string s, bool outOfRange) =>
        $"strconv.ParseFloat: parsing {Quote(s)}: {(outOfRange ? "value out of range" : "invalid syntax")}";

    private static bool IsSpecial(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = double.PositiveInfinity;
            return true;
        }
        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        return false;
    }

    // Hex floats ("0x1.8p3") must carry a 'p' exponent in Go; underscores may separate digits.
    private static bool TryParseHexFloat(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        BigInteger mant = BigInteger.Zero;
        int exp = 0;
        int digits = 0;
        bool seenDot = false;
        int p = 0;
        for (; p < s.Length; p++)
        {
            char c = s[p];
            if (c == '_') continue;
            if (c == '.')
            {
                if (seenDot) return false;
                seenDot = true;
                continue;
            }
            int v = HexValue(c);
            if (v < 0) break;
            mant = mant * 16 + v;
            digits++;
            if (seenDot) exp -= 4;
        }
        if (digits == 0 || p >= s.Length || (s[p] | 0x20) != 'p') return false;
        p++;
        bool neg = false;
        if (p < s.Length && s[p] is '+' or '-')
        {
            neg = s[p] == '-';
            p++;
        }
        int e = 0;
        int expDigits = 0;
        for (; p < s.Length; p++)
        {
            if (s[p] == '_') continue;
            if (!char.IsAsciiDigit(s[p])) return false;
            if (e < 100000) e = e * 10 + (s[p] - '0');
            expDigits++;
        }
        if (expDigits == 0) return false;
        exp += neg ? -e : e;
        value = Math.ScaleB((double)mant, exp);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// <c>strconv.ParseInt(s, 0, 64)</c>: optional sign, then a 0x/0o/0b prefix or a leading 0 for octal;
    /// underscores are allowed between digits only in this base-prefixed mode.
    /// </summary>
    public static bool TryParseIntBase0(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        bool neg = false;
        if (s[0] is '+' or '-')
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s.IsEmpty) return false;
        int radix = 10;
        bool prefixed = false;
        if (s[0] == '0' && s.Length > 1)
        {
            switch (s[1] | 0x20)
            {
                case 'x': radix = 16; s = s[2..]; prefixed = true; break;
                case 'o': radix = 8; s = s[2..]; prefixed = true; break;
                case 'b': radix = 2; s = s[2..]; prefixed = true; break;
                default: radix = 8; s = s[1..]; prefixed = true; break;
            }
        }
        if (s.IsEmpty) return false;
        ulong acc = 0;
        bool lastUnderscore = false;
        int count = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '_')
            {
                // Go literal syntax: an underscore separates digits (or follows a base prefix).
                if (lastUnderscore || count == 0 && !prefixed) return false;
                lastUnderscore = true;
                continue;
            }
            lastUnderscore = false;
            int d = HexValue(c);
            if (d < 0 || d >= radix) return false;
            ulong next = acc * (ulong)radix + (ulong)d;
            if (acc > (ulong.MaxValue - (ulong)d) / (ulong)radix) return false;
            acc = next;
            count++;
        }
        if (lastUnderscore || count == 0 && radix != 8) return false;
        if (neg)
        {
            if (acc > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - acc);
        }
        else
        {
            if (acc > long.MaxValue) return false;
            value = (long)acc;
        }
        return true;
    }

    /// <summary>Go's <c>strconv.Quote</c> for the ASCII range; other printable characters are kept as is.</summary>
    public static string Quote(ReadOnlySpan<char> s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (c < 0x20 || c == 0x7F) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary><c>strconv.FormatFloat(f, 'g', -1, 64)</c>, which is also what fmt's <c>%v</c> prints.</summary>
    public static string FormatFloatShortest(double f)
    {
        var sb = new StringBuilder(24);
        AppendFloat(sb, f, 'g', -1);
        return sb.ToString();
    }

    /// <summary>
    /// <c>strconv.AppendFloat(dst, f, fmt, prec, 64)</c> for 'e', 'E', 'f', 'g', 'G'. Shortest digits come
    /// from .NET's round-trip formatting; explicit precisions use the exact binary value and Go's
    /// round-half-even on exact ties (.NET rounds those ties away from zero).
    /// </summary>
    public static void AppendFloat(StringBuilder dst, double f, char fmt, int prec)
    {
        if (double.IsNaN(f))
        {
            dst.Append("NaN");
            return;
        }
        if (double.IsInfinity(f))
        {
            dst.Append(f > 0 ? "+Inf" : "-Inf");
            return;
        }
        bool neg = double.IsNegative(f);
        bool shortest = prec < 0;
        Digits digs;
        if (shortest)
        {
            digs = ShortestDigits(Math.Abs(f));
            prec = fmt switch
            {
                'e' or 'E' => Math.Max(digs.Nd - 1, 0),
                'f' => Math.Max(digs.Nd - digs.Dp, 0),
                _ => digs.Nd,
            };
        }
        else
        {
            digs = ExactDigits(Math.Abs(f));
            switch (fmt)
            {
                case 'e' or 'E': digs.Round(prec + 1); break;
                case 'f': digs.Round(digs.Dp + prec); break;
                default:
                    if (prec == 0) prec = 1;
                    digs.Round(prec);
                    break;
            }
        }
        switch (fmt)
        {
            case 'e' or 'E':
                FmtE(dst, neg, digs, prec, fmt);
                return;
            case 'f':
                FmtF(dst, neg, digs, prec);
                return;
            default:
                int eprec = prec;
                if (eprec > digs.Nd && digs.Nd >= digs.Dp) eprec = digs.Nd;
                if (shortest) eprec = 6;
                int exp = digs.Dp - 1;
                if (exp < -4 || exp >= eprec)
                {
                    if (prec > digs.Nd) prec = digs.Nd;
                    FmtE(dst, neg, digs, prec - 1, fmt == 'G' ? 'E' : 'e');
                    return;
                }
                if (prec > digs.Dp) prec = digs.Nd;
                FmtF(dst, neg, digs, Math.Max(prec - digs.Dp, 0));
                return;
        }
    }

    private static void FmtE(StringBuilder dst, bool neg, Digits d, int prec, char fmt)
    {
        if (neg) dst.Append('-');
        char ch = d.Nd == 0 ? '0' : (char)d.D[0];
        dst.Append(ch);
        if (prec > 0)
        {
            dst.Append('.');
            int i = 1;
            int m = Math.Min(d.Nd, prec + 1);
            if (i < m)
            {
                for (; i < m; i++) dst.Append((char)d.D[i]);
            }
            for (; i <= prec; i++) dst.Append('0');
        }
        dst.Append(fmt);
        int exp = d.Dp - 1;
        if (d.Nd == 0) exp = 0;
        if (exp < 0)
        {
            dst.Append('-');
            exp = -exp;
        }
        else dst.Append('+');
        if (exp < 10) dst.Append('0').Append((char)('0' + exp));
        else dst.Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void FmtF(StringBuilder dst, bool neg, Digits d, int prec)
    {
        if (neg) dst.Append('-');
        if (d.Dp > 0)
        {
            int m = Math.Min(d.Nd, d.Dp);
            for (int i = 0; i < m; i++) dst.Append((char)d.D[i]);
            for (int i = m; i < d.Dp; i++) dst.Append('0');
        }
        else dst.Append('0');
        if (prec > 0)
        {
            dst.Append('.');
            for (int i = 1; i <= prec; i++)
            {
                int j = d.Dp + i - 1;
                dst.Append(j >= 0 && j < d.Nd ? (char)d.D[j] : '0');
            }
        }
    }

    /// <summary>Decimal digits of a non-negative double: value = 0.D[0..Nd) × 10^Dp (Go's decimalSlice).</summary>
    private struct Digits
    {
        public byte[] D;
        public int Nd;
        public int Dp;

        // Go's decimal.Round: round half to even when the dropped part is exactly one half.
        public void Round(int nd)
        {
            if (nd < 0 || nd >= Nd) return;
            bool up;
            if (D[nd] == '5' && nd + 1 == Nd)
            {
                up = nd > 0 && (D[nd - 1] - '0') % 2 != 0;
            }
            else up = D[nd] >= '5';
            if (up)
            {
                int i = nd - 1;
                for (; i >= 0; i--)
                {
                    if (D[i] < '9')
                    {
                        D[i]++;
                        Nd = i + 1;
                        return;
                    }
                }
                D[0] = (byte)'1';
                Nd = 1;
                Dp++;
            }
            else
            {
                Nd = nd;
                while (Nd > 0 && D[Nd - 1] == '0') Nd--;
                if (Nd == 0) Dp = 0;
            }
        }
    }

    private static Digits ShortestDigits(double f)
    {
        var d = new Digits { D = new byte[32] };
        if (f == 0) return d;
        Span<char> buf = stackalloc char[40];
        f.TryFormat(buf, out int n, "R", CultureInfo.InvariantCulture);
        var s = buf[..n];
        int e = s.IndexOfAny('E', 'e');
        int exp10 = 0;
        if (e >= 0)
        {
            exp10 = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        int dot = s.IndexOf('.');
        int intLen = dot < 0 ? s.Length : dot;
        int nd = 0;
        int dp = intLen + exp10;
        bool leading = true;
        foreach (char c in s)
        {
            if (c == '.') continue;
            if (leading && c == '0')
            {
                dp--;
                continue;
            }
            leading = false;
            d.D[nd++] = (byte)c;
        }
        while (nd > 0 && d.D[nd - 1] == '0') nd--;
        d.Nd = nd;
        d.Dp = dp;
        return d;
    }

    private static Digits ExactDigits(double f)
    {
        if (f == 0) return new Digits { D = new byte[1] };
        long bits = BitConverter.DoubleToInt64Bits(f);
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1;
        else mant |= 1L << 52;
        exp -= 1075;
        string s;
        int dp;
        if (exp >= 0)
        {
            s = (new BigInteger(mant) << exp).ToString(CultureInfo.InvariantCulture);
            dp = s.Length;
        }
        else
        {
            s = (new BigInteger(mant) * BigInteger.Pow(5, -exp)).ToString(CultureInfo.InvariantCulture);
            dp = s.Length + exp;
        }
        var d = new Digits { D = Encoding.ASCII.GetBytes(s), Nd = s.Length, Dp = dp };
        while (d.Nd > 0 && d.D[d.Nd - 1] == '0') d.Nd--;
        return d;
    }

    /// <summary>Go's <c>strconv.FormatInt</c>-style printing of a 64-bit integer.</summary>
    public static string FormatInt(long v) => v.ToString(CultureInfo.InvariantCulture);

    internal static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");
}
