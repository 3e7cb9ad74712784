using System.Globalization;

namespace Strata.Query.LogQL;

/// <summary>
/// Byte sizes as Loki reads and prints them (go-humanize's <c>ParseBytes</c> and <c>Bytes</c>): the
/// lexer's <c>20MB</c> / <c>2.5KiB</c> literals, bytes label filters (whose label values are parsed
/// at query time with the same rules), <c>unwrap bytes(label)</c>, and the printed form of bytes
/// filters. Units are case-insensitive; SI units are powers of 1000, IEC (<c>KiB</c>) of 1024.
/// </summary>
internal static class HumanBytes
{
    private static readonly string[] SiSizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>
    /// <c>humanize.ParseBytes</c>: a decimal number (commas allowed) then an optional unit
    /// (<c>B kB KiB MB MiB ... EiB</c>, or just <c>k</c>, <c>Ki</c>, <c>M</c> ...), spaces allowed
    /// between. The product is truncated to an integer. False where go-humanize returns an error.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> s, out ulong bytes)
    {
        bytes = 0;
        int lastDigit = 0;
        bool hasComma = false;
        while (lastDigit < s.Length && (char.IsDigit(s[lastDigit]) || s[lastDigit] is '.' or ','))
        {
            if (s[lastDigit] == ',') hasComma = true;
            lastDigit++;
        }
        string num = s[..lastDigit].ToString();
        if (hasComma) num = num.Replace(",", "", StringComparison.Ordinal);
        if (num.Length == 0 || !IsGoDecimal(num)) return false;
        if (!double.TryParse(num, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double f)) return false;
        ulong mult = Multiplier(s[lastDigit..].Trim().ToString().ToLowerInvariant());
        if (mult == 0) return false;
        f *= mult;
        if (f >= 18446744073709551615.0) return false;
        bytes = (ulong)f;
        return true;
    }

    // strconv.ParseFloat accepts "5", "5.", ".5" but not "." or "1.2.3"; digits must be ASCII.
    private static bool IsGoDecimal(string s)
    {
        int dots = 0;
        int digits = 0;
        foreach (char c in s)
        {
            if (c == '.') dots++;
            else if (char.IsAsciiDigit(c)) digits++;
            else return false;
        }
        return dots <= 1 && digits > 0;
    }

    private static ulong Multiplier(string unit) => unit switch
    {
        "" or "b" => 1,
        "k" or "kb" => 1000,
        "ki" or "kib" => 1UL << 10,
        "m" or "mb" => 1000UL * 1000,
        "mi" or "mib" => 1UL << 20,
        "g" or "gb" => 1000UL * 1000 * 1000,
        "gi" or "gib" => 1UL << 30,
        "t" or "tb" => 1000UL * 1000 * 1000 * 1000,
        "ti" or "tib" => 1UL << 40,
        "p" or "pb" => 1000UL * 1000 * 1000 * 1000 * 1000,
        "pi" or "pib" => 1UL << 50,
        "e" or "eb" => 1000UL * 1000 * 1000 * 1000 * 1000 * 1000,
        "ei" or "eib" => 1UL << 60,
        _ => 0,
    };

    /// <summary>
    /// <c>humanize.Bytes</c> with the space removed, as Loki prints a bytes filter: SI units, one
    /// decimal below 10 (<c>2.6kB</c>), none above (<c>21MB</c>). Lossy: 20MiB prints as 21MB.
    /// </summary>
    public static string Format(ulong bytes)
    {
        if (bytes < 10) return bytes.ToString(CultureInfo.InvariantCulture) + "B";
        // go-humanize takes floor(log(s)/log(1000)); integer comparison gives the same exponent
        // without the rounding risk at exact powers of 1000.
        int e = 0;
        for (ulong p = 1000; e < SiSizes.Length - 1 && bytes >= p; p *= 1000)
        {
            e++;
            if (p > ulong.MaxValue / 1000) break;
        }
        double val = Math.Floor(bytes / Math.Pow(1000, e) * 10 + 0.5) / 10;
        // Go's %.0f rounds exact halves to even (20.5 -> "20"); .NET would round them away from zero.
        string n = val < 10
            ? val.ToString("F1", CultureInfo.InvariantCulture)
            : Math.Round(val, MidpointRounding.ToEven).ToString("F0", CultureInfo.InvariantCulture);
        return n + SiSizes[e];
    }
}
