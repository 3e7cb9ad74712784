using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Query.LogQL;

/// <summary>
/// LogQL regexes are Go (RE2) syntax. .NET reads nearly all of it; the difference queries hit in
/// practice is the named group <c>(?P&lt;name&gt;...)</c>, which .NET spells <c>(?&lt;name&gt;...)</c>.
/// These helpers translate patterns for .NET and produce Go-style compile errors for the parser.
/// </summary>
internal static class GoRegex
{
    /// <summary>Rewrites <c>(?P&lt;name&gt;</c> to <c>(?&lt;name&gt;</c>; everything else is passed through.</summary>
    public static string ToDotNet(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!pattern.Contains("(?P<", StringComparison.Ordinal)) return pattern;
        var sb = new StringBuilder(pattern.Length);
        Scan(pattern, (i, inClass) =>
        {
            if (!inClass && string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                sb.Append("(?<");
                return 4;
            }
            sb.Append(pattern[i]);
            return 1;
        }, sb);
        return sb.ToString();
    }

    /// <summary>Names of the named groups in pattern order, duplicates included.</summary>
    public static IReadOnlyList<string> GroupNames(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var names = new List<string>();
        Scan(pattern, (i, inClass) =>
        {
            if (inClass) return 1;
            int start = string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0 ? i + 4
                : string.CompareOrdinal(pattern, i, "(?<", 0, 3) == 0 && i + 3 < pattern.Length && pattern[i + 3] is not ('=' or '!') ? i + 3
                : -1;
            if (start < 0) return 1;
            int end = pattern.IndexOf('>', start);
            if (end < 0) return 1;
            names.Add(pattern[start..end]);
            return end - i + 1;
        }, null);
        return names;
    }

    // Walks the pattern outside escapes, telling the callback whether it is inside [...]. The
    // callback returns how many characters it consumed; escapes are copied to sb when given.
    private static void Scan(string p, Func<int, bool, int> visit, StringBuilder? sb)
    {
        bool inClass = false;
        int i = 0;
        while (i < p.Length)
        {
            char c = p[i];
            if (c == '\\' && i + 1 < p.Length)
            {
                sb?.Append(p, i, 2);
                i += 2;
                continue;
            }
            if (inClass)
            {
                if (c == ']') inClass = false;
                i += visit(i, true);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                i += visit(i, false);
                // a ']' right after '[' or '[^' is a literal
                if (i < p.Length && p[i] == '^')
                {
                    sb?.Append('^');
                    i++;
                }
                if (i < p.Length && p[i] == ']')
                {
                    sb?.Append(']');
                    i++;
                }
                continue;
            }
            i += visit(i, false);
        }
    }

    /// <summary>
    /// Compiles <paramref name="pattern"/> (translated, on the non-backtracking engine as the
    /// evaluator will) and returns Go's message for a bad pattern, e.g.
    /// <c>error parsing regexp: invalid escape sequence: `\q`</c>, or null when it compiles.
    /// <paramref name="shown"/> is the text Go quotes for whole-pattern errors (Loki often compiles an
    /// anchored variant such as <c>^(?:re)$</c>).
    /// </summary>
    internal static string? CompileError(string pattern, string shown)
    {
        string net = ToDotNet(pattern);
        try
        {
            _ = new Regex(net, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return null;
        }
        catch (RegexParseException ex)
        {
            return "error parsing regexp: " + Reason(ex, net, shown);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // Lookarounds, backreferences and the like: RE2 rejects them too.
            return $"error parsing regexp: invalid or unsupported Perl syntax: `{shown}`";
        }
    }

    // RE2 and .NET find the same faults under other names; the common ones are mapped to RE2's text.
    private static string Reason(RegexParseException ex, string pattern, string shown)
    {
        int at = Math.Clamp(ex.Offset, 0, pattern.Length);
        switch (ex.Error)
        {
            case RegexParseError.UnrecognizedEscape or RegexParseError.UnrecognizedControlCharacter
                or RegexParseError.UnrecognizedUnicodeProperty or RegexParseError.InsufficientOrInvalidHexDigits
                or RegexParseError.UnescapedEndingBackslash:
            {
                int slash = pattern.LastIndexOf('\\', Math.Max(at - 1, 0));
                string frag = slash >= 0 ? pattern[slash..Math.Min(slash + 2, pattern.Length)] : shown;
                return ex.Error == RegexParseError.UnescapedEndingBackslash
                    ? "trailing backslash at end of expression: ``"
                    : $"invalid escape sequence: `{frag}`";
            }
            case RegexParseError.InsufficientClosingParentheses:
                return $"missing closing ): `{shown}`";
            case RegexParseError.InsufficientOpeningParentheses:
                return $"unexpected ): `{shown}`";
            case RegexParseError.UnterminatedBracket:
            {
                int open = pattern.LastIndexOf('[');
                return $"missing closing ]: `{(open >= 0 ? pattern[open..] : shown)}`";
            }
            case RegexParseError.QuantifierAfterNothing:
                return $"missing argument to repetition operator: `{(at > 0 ? pattern[at - 1].ToString() : shown)}`";
            case RegexParseError.NestedQuantifiersNotParenthesized:
                return $"invalid nested repetition operator: `{(at >= 2 ? pattern[(at - 2)..at] : shown)}`";
            case RegexParseError.ReversedCharacterRange:
                return $"invalid character class range: `{shown}`";
            case RegexParseError.ReversedQuantifierRange:
                return $"invalid repeat count: `{shown}`";
            default:
                return $"invalid or unsupported Perl syntax: `{shown}`";
        }
    }
}
