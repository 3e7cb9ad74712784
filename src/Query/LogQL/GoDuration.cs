using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL;

/// <summary>
/// Go's <c>time.Duration</c> text forms, which LogQL uses wherever Loki calls the standard library
/// rather than Prometheus's <c>model.Duration</c>: the lexer's fallback for durations such as
/// <c>1.5s</c> or <c>-5m</c>, duration label filters (<c>| latency &gt; 250ms</c>, whose label values
/// are parsed at query time with the same rules), and the printed form of offsets and duration
/// filters (<c>5m0s</c>). Values are nanoseconds, as in Go.
/// </summary>
internal static class GoDuration
{
    private const ulong Overflow = 1UL << 63;

    /// <summary>
    /// <c>time.ParseDuration</c>: a signed sequence of decimal numbers with optional fraction and a
    /// unit each (<c>ns us µs ms s m h</c>), e.g. <c>1h15m30.5s</c>; <c>0</c> needs no unit.
    /// Returns false where Go returns an error (including overflow past ±2^63 ns).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, out long nanoseconds)
    {
        nanoseconds = 0;
        ulong d = 0;
        bool neg = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s is "0") return true;
        if (s.Length == 0) return false;
        while (s.Length > 0)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0]))) return false;
            int pl = s.Length;
            if (!LeadingInt(ref s, out ulong v)) return false;
            bool pre = pl != s.Length;
            bool post = false;
            ulong f = 0;
            double scale = 1;
            if (s.Length > 0 && s[0] == '.')
            {
                s = s[1..];
                pl = s.Length;
                LeadingFraction(ref s, out f, out scale);
                post = pl != s.Length;
            }
            if (!pre && !post) return false;
            int i = 0;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i])) i++;
            if (i == 0) return false;
            ulong unit = Unit(s[..i]);
            s = s[i..];
            if (unit == 0) return false;
            if (v > Overflow / unit) return false;
            v *= unit;
            if (f > 0)
            {
                v += (ulong)(f * (unit / scale));
                if (v > Overflow) return false;
            }
            d += v;
            if (d > Overflow) return false;
        }
        if (neg)
        {
            nanoseconds = d == Overflow ? long.MinValue : -(long)d;
            return true;
        }
        if (d > Overflow - 1) return false;
        nanoseconds = (long)d;
        return true;
    }

    private static ulong Unit(ReadOnlySpan<char> u) => u switch
    {
        "ns" => 1,
        "us" or "\u00b5s" or "\u03bcs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };

    private static bool LeadingInt(ref ReadOnlySpan<char> s, out ulong x)
    {
        x = 0;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (x > Overflow / 10) return false;
            x = x * 10 + (ulong)(s[i] - '0');
            if (x > Overflow) return false;
        }
        s = s[i..];
        return true;
    }

    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong x, out double scale)
    {
        x = 0;
        scale = 1;
        bool overflow = false;
        int i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow) continue;
            if (x > (Overflow - 1) / 10)
            {
                overflow = true;
                continue;
            }
            ulong y = x * 10 + (ulong)(s[i] - '0');
            if (y > Overflow)
            {
                overflow = true;
                continue;
            }
            x = y;
            scale *= 10;
        }
        s = s[i..];
    }

    /// <summary><c>time.Duration.String()</c>: <c>250ms</c>, <c>1.5s</c>, <c>5m0s</c>, <c>1h0m0s</c>, <c>0s</c>.</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        bool neg = nanoseconds < 0;
        ulong u = neg ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        var sb = new StringBuilder(16);
        if (u < 1_000_000_000)
        {
            // Below one second Go switches to the largest sub-second unit: 1.2ms, 15µs, 7ns.
            (int prec, string unit) = u switch
            {
                < 1_000 => (0, "ns"),
                < 1_000_000 => (3, "\u00b5s"),
                _ => (6, "ms"),
            };
            AppendFraction(sb, u, prec);
            sb.Append(unit);
        }
        else
        {
            ulong secs = u / 1_000_000_000;
            ulong frac = u % 1_000_000_000;
            ulong mins = secs / 60;
            ulong hours = mins / 60;
            if (hours > 0) sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            if (mins > 0) sb.Append((mins % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            AppendFraction(sb, (secs % 60) * 1_000_000_000 + frac, 9);
            sb.Append('s');
        }
        return neg ? "-" + sb : sb.ToString();
    }

    // v / 10^prec with the fraction's trailing zeros (and a bare '.') dropped, as Go's fmtFrac/fmtInt.
    private static void AppendFraction(StringBuilder sb, ulong v, int prec)
    {
        ulong pow = 1;
        for (int i = 0; i < prec; i++) pow *= 10;
        sb.Append((v / pow).ToString(CultureInfo.InvariantCulture));
        ulong frac = v % pow;
        if (frac == 0) return;
        string digits = frac.ToString(CultureInfo.InvariantCulture).PadLeft(prec, '0').TrimEnd('0');
        sb.Append('.').Append(digits);
    }
}
