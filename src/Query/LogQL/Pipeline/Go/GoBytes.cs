namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// go-humanize's <c>ParseBytes</c>, which Loki uses for bytes label filters and <c>unwrap bytes()</c>:
/// a decimal number (commas ignored) followed by an optional, case-insensitive SI (kB = 1000) or IEC
/// (KiB = 1024) unit; a bare number is bytes. <c>20MB</c>, <c>1.5 GiB</c>, <c>512</c>, <c>1k</c>.
/// </summary>
internal static class GoBytes
{
    public static bool TryParse(ReadOnlySpan<char> s, out ulong bytes, out string? error)
    {
        bytes = 0;
        error = null;
        int lastDigit = 0;
        bool hasComma = false;
        // humanize walks runes with unicode.IsDigit; ASCII digits are what appear in practice.
        while (lastDigit < s.Length && (char.IsDigit(s[lastDigit]) || s[lastDigit] is '.' or ','))
        {
            if (s[lastDigit] == ',') hasComma = true;
            lastDigit++;
        }
        ReadOnlySpan<char> numSpan = s[..lastDigit];
        string? withoutCommas = hasComma ? numSpan.ToString().Replace(",", "", StringComparison.Ordinal) : null;
        if (withoutCommas != null) numSpan = withoutCommas;
        if (!GoStrconv.TryParseFloat(numSpan, out double f, out bool range))
        {
            error = GoStrconv.ParseFloatError(numSpan.ToString(), range);
            return false;
        }
        var extra = s[lastDigit..].Trim();
        ulong m = Multiplier(extra);
        if (m == 0)
        {
            error = "unhandled size name: " + extra.ToString().ToLowerInvariant();
            return false;
        }
        f *= m;
        if (f >= ulong.MaxValue)
        {
            error = "too large: " + s.ToString();
            return false;
        }
        bytes = f <= 0 || double.IsNaN(f) ? 0 : (ulong)f;
        return true;
    }

    private static ulong Multiplier(ReadOnlySpan<char> unit)
    {
        Span<char> lower = stackalloc char[4];
        if (unit.Length > 3) return 0;
        for (int i = 0; i < unit.Length; i++) lower[i] = char.ToLowerInvariant(unit[i]);
        return lower[..unit.Length] switch
        {
            "" or "b" => 1,
            "k" or "kb" => 1000,
            "ki" or "kib" => 1UL << 10,
            "m" or "mb" => 1000_000,
            "mi" or "mib" => 1UL << 20,
            "g" or "gb" => 1000_000_000,
            "gi" or "gib" => 1UL << 30,
            "t" or "tb" => 1000_000_000_000,
            "ti" or "tib" => 1UL << 40,
            "p" or "pb" => 1000_000_000_000_000,
            "pi" or "pib" => 1UL << 50,
            "e" or "eb" => 1000_000_000_000_000_000,
            "ei" or "eib" => 1UL << 60,
            _ => 0,
        };
    }
}
