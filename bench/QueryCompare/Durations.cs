using System.Globalization;

namespace Strata.QueryCompare;

/// <summary>Prometheus duration strings ("1h30m", "15s", "500ms") or plain decimal seconds.</summary>
public static class Durations
{
    public static long ParseMs(string s)
    {
        if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal seconds))
            return (long)(seconds * 1000m);
        long total = 0;
        int i = 0;
        if (s.Length == 0) throw new FormatException("empty duration");
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) throw new FormatException($"bad duration '{s}'");
            long n = long.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            int unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            long unitMs = s[unitStart..i] switch
            {
                "ms" => 1,
                "s" => 1_000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                "w" => 604_800_000,
                "y" => 31_536_000_000,
                _ => throw new FormatException($"bad duration unit in '{s}'"),
            };
            total += n * unitMs;
        }
        return total;
    }
}
