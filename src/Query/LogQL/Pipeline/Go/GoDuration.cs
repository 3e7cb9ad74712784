namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Go's <c>time.ParseDuration</c>: a signed sequence of decimal numbers, each with an optional
/// fraction and a unit (ns, us, µs, μs, ms, s, m, h), e.g. <c>300ms</c>, <c>-1.5h</c>, <c>2h45m</c>.
/// A bare <c>0</c> is the only unit-less value. Loki's duration label filters and
/// <c>unwrap duration()</c> use it, so its error texts end up in <c>__error_details__</c>.
/// </summary>
internal static class GoDuration
{
    private const ulong Overflow = 1UL << 63;

    /// <summary>Parses <paramref name="s"/> into nanoseconds; on failure <paramref name="error"/> holds Go's message.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out long nanoseconds, out string? error)
    {
        nanoseconds = 0;
        error = null;
        var orig = s;
        ulong d = 0;
        bool neg = false;
        if (!s.IsEmpty && s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s.SequenceEqual("0")) return true;
        if (s.IsEmpty) return Fail(orig, out error);
        while (!s.IsEmpty)
        {
            ulong v = 0, f = 0;
            double scale = 1;
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0]))) return Fail(orig, out error);
            int before = s.Length;
            int i = 0;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                if (v > Overflow / 10) return Fail(orig, out error);
                v = v * 10 + (ulong)(s[i] - '0');
                if (v > Overflow) return Fail(orig, out error);
            }
            s = s[i..];
            bool pre = before != s.Length;
            bool post = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                int pl = s.Length;
                bool overflowed = false;
                i = 0;
                for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
                {
                    if (overflowed) continue;
                    if (f > (Overflow - 1) / 10)
                    {
                        overflowed = true;
                        continue;
                    }
                    ulong y = f * 10 + (ulong)(s[i] - '0');
                    if (y > Overflow)
                    {
                        overflowed = true;
                        continue;
                    }
                    f = y;
                    scale *= 10;
                }
                s = s[i..];
                post = pl != s.Length;
            }
            if (!pre && !post) return Fail(orig, out error);
            i = 0;
            for (; i < s.Length; i++)
            {
                if (s[i] == '.' || char.IsAsciiDigit(s[i])) break;
            }
            if (i == 0)
            {
                error = "time: missing unit in duration " + GoStrconv.Quote(orig);
                return false;
            }
            var u = s[..i];
            s = s[i..];
            ulong unit = Unit(u);
            if (unit == 0)
            {
                error = "time: unknown unit " + GoStrconv.Quote(u) + " in duration " + GoStrconv.Quote(orig);
                return false;
            }
            if (v > Overflow / unit) return Fail(orig, out error);
            v *= unit;
            if (f > 0)
            {
                v += (ulong)(f * (unit / scale));
                if (v > Overflow) return Fail(orig, out error);
            }
            d += v;
            if (d > Overflow) return Fail(orig, out error);
        }
        if (neg)
        {
            nanoseconds = (long)(0 - d);
            return true;
        }
        if (d > long.MaxValue) return Fail(orig, out error);
        nanoseconds = (long)d;
        return true;
    }

    /// <summary>Go's <c>Duration.Seconds()</c>.</summary>
    public static double Seconds(long ns)
    {
        long sec = ns / 1_000_000_000;
        long nsec = ns % 1_000_000_000;
        return sec + nsec / 1e9;
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

    private static bool Fail(ReadOnlySpan<char> orig, out string error)
    {
        error = "time: invalid duration " + GoStrconv.Quote(orig);
        return false;
    }
}
