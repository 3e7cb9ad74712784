using System.Globalization;
using System.Text;

namespace Strata.Query.PromQL;

/// <summary>
/// Prometheus duration strings (<c>common/model.Duration</c>): units <c>y w d h m s ms</c>, each at
/// most once and in that order (<c>1h30m</c>), a bare <c>0</c> allowed; a year is 365 days. Parsing
/// keeps Go's error texts and its overflow bound (the value must fit in int64 nanoseconds).
/// </summary>
public static class PromDuration
{
    private const ulong NsPerMs = 1_000_000;

    private static readonly (string Unit, ulong Ns, int Pos)[] Units =
    [
        ("y", 365UL * 24 * 3600 * 1_000_000_000, 1),
        ("w", 7UL * 24 * 3600 * 1_000_000_000, 2),
        ("d", 24UL * 3600 * 1_000_000_000, 3),
        ("h", 3600UL * 1_000_000_000, 4),
        ("m", 60UL * 1_000_000_000, 5),
        ("s", 1_000_000_000UL, 6),
        ("ms", NsPerMs, 7),
    ];

    /// <summary>Parses a duration; returns false with Go's message (<c>not a valid duration string: "5m1h"</c>).</summary>
    public static bool TryParse(string s, out long milliseconds, out string? error)
    {
        milliseconds = 0;
        error = null;
        if (s == "0") return true;
        if (s.Length == 0)
        {
            error = "empty duration string";
            return false;
        }
        string orig = s;
        ulong dur = 0;
        int lastUnitPos = 0;
        int i = 0;
        while (i < s.Length)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                error = $"not a valid duration string: {GoText.Quote(orig)}";
                return false;
            }
            int j = i;
            while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
            if (!ulong.TryParse(s.AsSpan(i, j - i), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            {
                error = $"not a valid duration string: {GoText.Quote(orig)}";
                return false;
            }
            int k = j;
            while (k < s.Length && !char.IsAsciiDigit(s[k])) k++;
            if (k == j)
            {
                error = $"not a valid duration string: {GoText.Quote(orig)}";
                return false;
            }
            string u = s[j..k];
            int idx = Array.FindIndex(Units, x => x.Unit == u);
            if (idx < 0)
            {
                error = $"unknown unit {GoText.Quote(u)} in duration {GoText.Quote(orig)}";
                return false;
            }
            var unit = Units[idx];
            if (unit.Pos <= lastUnitPos)
            {
                error = $"not a valid duration string: {GoText.Quote(orig)}";
                return false;
            }
            lastUnitPos = unit.Pos;
            if (v > (1UL << 63) / unit.Ns)
            {
                error = "duration out of range";
                return false;
            }
            dur += v * unit.Ns;
            if (dur > long.MaxValue)
            {
                error = "duration out of range";
                return false;
            }
            i = k;
        }
        milliseconds = (long)(dur / NsPerMs);
        return true;
    }

    /// <summary>Formats like <c>model.Duration.String()</c>: <c>1h30m</c>, <c>90d</c> (years/weeks only when exact), <c>0s</c>.</summary>
    public static string Format(long milliseconds)
    {
        if (milliseconds == 0) return "0s";
        var sb = new StringBuilder();
        long ms = milliseconds;
        if (ms < 0)
        {
            // model.Duration is unsigned in practice; callers print the sign themselves.
            sb.Append('-');
            ms = -ms;
        }
        Emit(sb, ref ms, "y", 1000L * 60 * 60 * 24 * 365, exact: true);
        Emit(sb, ref ms, "w", 1000L * 60 * 60 * 24 * 7, exact: true);
        Emit(sb, ref ms, "d", 1000L * 60 * 60 * 24, exact: false);
        Emit(sb, ref ms, "h", 1000L * 60 * 60, exact: false);
        Emit(sb, ref ms, "m", 1000L * 60, exact: false);
        Emit(sb, ref ms, "s", 1000L, exact: false);
        Emit(sb, ref ms, "ms", 1L, exact: false);
        return sb.ToString();
    }

    private static void Emit(StringBuilder sb, ref long ms, string unit, long mult, bool exact)
    {
        if (exact && ms % mult != 0) return;
        long v = ms / mult;
        if (v > 0)
        {
            sb.Append(v.ToString(CultureInfo.InvariantCulture)).Append(unit);
            ms -= v * mult;
        }
    }
}
