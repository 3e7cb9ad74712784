namespace Strata.Query.LogQL;

/// <summary>
/// The pattern language of <c>| pattern</c> and <c>|&gt;</c>: <c>&lt;name&gt;</c> captures text into a
/// label (name <c>[A-Za-z_][A-Za-z0-9_]*</c>), <c>&lt;_&gt;</c> skips text, everything else is literal.
/// </summary>
internal static class LogPattern
{
    /// <summary>One piece of a pattern: a literal run, or a capture (<see cref="Name"/> <c>_</c> for an unnamed one).</summary>
    public readonly record struct Part(bool IsCapture, string Text)
    {
        public string Name => Text;
        public bool IsUnnamed => IsCapture && Text == "_";
    }

    /// <summary>Splits a pattern into literals and captures (adjacent literal characters merged).</summary>
    public static List<Part> Split(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var parts = new List<Part>();
        var literal = new System.Text.StringBuilder();
        int i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '<' && CaptureLength(pattern, i) is var n and > 0)
            {
                if (literal.Length > 0)
                {
                    parts.Add(new Part(false, literal.ToString()));
                    literal.Clear();
                }
                parts.Add(new Part(true, pattern.Substring(i + 1, n - 2)));
                i += n;
                continue;
            }
            literal.Append(pattern[i]);
            i++;
        }
        if (literal.Length > 0) parts.Add(new Part(false, literal.ToString()));
        return parts;
    }

    // Length of '<' (alpha|_) (alnum|_)* '>' at i, or 0 (ragel's alpha/alnum are ASCII).
    private static int CaptureLength(string s, int i)
    {
        int j = i + 1;
        if (j >= s.Length || !(char.IsAsciiLetter(s[j]) || s[j] == '_')) return 0;
        j++;
        while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] == '_')) j++;
        return j < s.Length && s[j] == '>' ? j - i + 1 : 0;
    }

    /// <summary>
    /// Loki's pattern checks: at least one named capture, no two captures in a row, no name twice.
    /// Returns Loki's error text or null. Like Loki, only pieces at even positions are tested for a
    /// following capture, so <c>x&lt;a&gt;&lt;b&gt;</c> passes.
    /// </summary>
    public static string? Validate(string pattern)
    {
        var parts = Split(pattern);
        var names = new List<string>();
        foreach (var p in parts)
        {
            if (p.IsCapture && !p.IsUnnamed) names.Add(p.Name);
        }
        if (names.Count == 0) return "at least one capture is required";
        for (int i = 0; i + 1 < parts.Count; i += 2)
        {
            if (parts[i].IsCapture && parts[i + 1].IsCapture) return "found consecutive capture: invalid expression";
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string n in names)
        {
            if (!seen.Add(n)) return $"duplicate capture name ({n}): invalid expression";
        }
        return null;
    }
}
