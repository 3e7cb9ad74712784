using System.Globalization;
using System.Text;
using Strata.Storage.Labels;

namespace Strata.Ingest.Loki;

/// <summary>
/// The text forms Loki's error messages are made of, reproduced so that clients and log searches see
/// the same strings: Go's <c>strconv.Quote</c>, Prometheus' <c>labels.Labels.String()</c> and
/// <c>time.RFC3339</c>. Error paths only; allocation does not matter here.
/// </summary>
internal static class GoText
{
    /// <summary>
    /// Prometheus 3 <c>labels.String()</c>: <c>{a="1", b="2"}</c> in set order; a name is quoted
    /// only if it is not a legacy name; values are always <c>strconv.Quote</c>d.
    /// </summary>
    public static string Labels(ReadOnlySpan<Label> labels)
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < labels.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            if (LokiLabelParser.IsLegacyName(labels[i].Name)) sb.Append(labels[i].Name);
            else AppendQuoted(sb, labels[i].Name);
            sb.Append('=');
            AppendQuoted(sb, labels[i].Value);
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Go's <c>strconv.Quote</c> (printable runes kept, others escaped as Go does).</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            int c = rune.Value;
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }
            if (IsPrint(rune))
            {
                sb.Append(rune.ToString());
            }
            else if (c < 0x80)
            {
                sb.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c < 0x10000)
            {
                sb.Append("\\u").Append(c.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\U").Append(c.ToString("x8", CultureInfo.InvariantCulture));
            }
        }
        sb.Append('"');
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    public static bool IsPrint(Rune r)
    {
        if (r.Value == ' ') return true;
        return Rune.GetUnicodeCategory(r) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary>Go's <c>strconv.QuoteRune</c> (<c>%q</c> of a rune): <c>'x'</c>, <c>'\''</c>, <c>'"'</c>, <c>'\x00'</c>.</summary>
    public static string QuoteRune(Rune r)
    {
        if (r.Value == '\'') return "'\\''";
        if (r.Value == '"') return "'\"'";
        string q = Quote(r.ToString());
        return "'" + q[1..^1] + "'";
    }

    /// <summary>
    /// Go's <c>time.Unix(0, ns).Format(time.RFC3339)</c> in UTC (seconds, no fraction). Outside
    /// .NET's calendar range the raw nanoseconds are printed instead.
    /// </summary>
    public static string Rfc3339(long unixNs)
    {
        long seconds = unixNs / 1_000_000_000;
        if (unixNs < 0 && unixNs % 1_000_000_000 != 0) seconds--; // floor, as Go's time.Unix
        if (seconds < -62_135_596_800 || seconds > 253_402_300_799) return unixNs.ToString(CultureInfo.InvariantCulture);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
