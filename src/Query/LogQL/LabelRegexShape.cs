namespace Strata.Query.LogQL;

/// <summary>
/// Predicts whether Loki reduces a label filter regex to literal matching (its <c>simplify</c> in
/// <c>log/filter.go</c>): then the filter prints like a matcher (<c>msg=~"foo|bar"</c>), otherwise
/// with the raw regex in backquotes (<c>msg=~`\w+`</c>). Only the printed form depends on this.
/// </summary>
/// <remarks>
/// Loki decides on the regex after Go's parser has factored alternations, so this models the
/// factoring that matters for literal alternations: common literal prefixes are pulled out
/// (<c>error|err</c> becomes <c>err(?:or|)</c>, still reducible), adjacent one-character branches
/// become a character class (<c>a|b</c>, <c>fo|fb</c>: not reducible), and branches starting with
/// <c>.*</c> next to each other are factored into <c>.*(?:...)</c> (not reducible). Branches may
/// be a literal with an optional leading and/or trailing <c>.*</c>, <c>.*</c>, <c>.+</c> (top level
/// only) or empty; a leading <c>(?i)</c> and one group around the whole pattern are allowed.
/// Anything else (classes, other quantifiers, anchors, nested groups) counts as not reducible; for
/// rare shapes such as <c>foo(bar|baz)</c> that Loki does reduce, the output then differs only in
/// its quotes and still parses to the same filter.
/// </remarks>
internal static class LabelRegexShape
{
    private enum Kind : byte
    {
        Empty,
        AnyStar,
        AnyPlus,
        Literal,
    }

    private readonly record struct Branch(Kind Kind, bool LeadingStar, string Literal, bool TrailingStar);

    public static bool IsReducible(string pattern)
    {
        string s = pattern;
        if (s.StartsWith("(?i)", StringComparison.Ordinal)) s = s[4..];
        s = StripOuterGroup(s);
        var branches = new List<Branch>();
        foreach (string part in SplitAlternation(s))
        {
            if (Classify(part) is not { } b) return false;
            branches.Add(b);
        }
        return AlternationReducible(branches, topLevel: true);
    }

    private static string StripOuterGroup(string s)
    {
        if (s.Length < 2 || s[0] != '(' || s[^1] != ')') return s;
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
                continue;
            }
            if (s[i] == '(') depth++;
            else if (s[i] == ')' && --depth == 0 && i != s.Length - 1) return s;
        }
        string inner = s[1..^1];
        return inner.StartsWith("?:", StringComparison.Ordinal) ? inner[2..] : inner;
    }

    private static List<string> SplitAlternation(string s)
    {
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
                continue;
            }
            if (s[i] == '|')
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static Branch? Classify(string b)
    {
        switch (b)
        {
            case "": return new Branch(Kind.Empty, false, "", false);
            case ".*": return new Branch(Kind.AnyStar, false, "", false);
            case ".+": return new Branch(Kind.AnyPlus, false, "", false);
        }
        int i = 0;
        bool lead = false;
        bool trail = false;
        if (b.StartsWith(".*", StringComparison.Ordinal))
        {
            lead = true;
            i = 2;
        }
        var lit = new System.Text.StringBuilder();
        while (i < b.Length)
        {
            char c = b[i];
            if (c == '.' && i + 2 == b.Length && b[i + 1] == '*')
            {
                trail = true;
                break;
            }
            if (c == '\\')
            {
                if (i + 1 >= b.Length) return null;
                char e = b[i + 1];
                char? lc = e switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'f' => '\f',
                    'v' => '\v',
                    'a' => '\a',
                    _ when char.IsAsciiLetterOrDigit(e) => null,
                    _ when e < 0x80 => e,
                    _ => null,
                };
                if (lc is null) return null;
                lit.Append(lc.Value);
                i += 2;
                continue;
            }
            if (".+*?()|[]{}^$".Contains(c, StringComparison.Ordinal)) return null;
            lit.Append(c);
            i++;
        }
        if (lit.Length == 0) return null; // ".*.*" and the like
        return new Branch(Kind.Literal, lead, lit.ToString(), trail);
    }

    private static bool AlternationReducible(List<Branch> branches, bool topLevel)
    {
        if (branches.Count == 1)
        {
            var only = branches[0];
            return topLevel || only.Kind != Kind.AnyPlus;
        }
        var items = new List<(Branch Branch, bool Factored)>();
        int i = 0;
        while (i < branches.Count)
        {
            var b = branches[i];
            if (!topLevel && b.Kind == Kind.AnyPlus) return false;
            if (i + 1 < branches.Count && b.LeadingStar && branches[i + 1].LeadingStar) return false;
            if (b.Kind != Kind.Literal || b.LeadingStar)
            {
                items.Add((b, false));
                i++;
                continue;
            }
            // Go's factor, round 1: a run of branches sharing a leading literal prefix.
            string prefix = b.Literal;
            int j = i + 1;
            while (j < branches.Count && branches[j].Kind == Kind.Literal && !branches[j].LeadingStar)
            {
                int common = CommonPrefix(prefix, branches[j].Literal);
                if (common == 0) break;
                prefix = prefix[..common];
                j++;
            }
            if (j - i >= 2)
            {
                var suffixes = new List<Branch>();
                for (int k = i; k < j; k++)
                {
                    var s = branches[k];
                    string rest = s.Literal[prefix.Length..];
                    suffixes.Add(rest.Length > 0
                        ? new Branch(Kind.Literal, false, rest, s.TrailingStar)
                        : new Branch(s.TrailingStar ? Kind.AnyStar : Kind.Empty, false, "", false));
                }
                if (!AlternationReducible(suffixes, topLevel: false)) return false;
                items.Add((b, true));
            }
            else
            {
                items.Add((b, false));
            }
            i = j;
        }
        // Round 3: adjacent single-character branches merge into a character class.
        for (int k = 0; k + 1 < items.Count; k++)
        {
            if (IsSingleRune(items[k]) && IsSingleRune(items[k + 1])) return false;
        }
        return true;
    }

    private static bool IsSingleRune((Branch Branch, bool Factored) item) =>
        !item.Factored && item.Branch is { Kind: Kind.Literal, LeadingStar: false, TrailingStar: false } b
        && (b.Literal.Length == 1 || (b.Literal.Length == 2 && char.IsSurrogatePair(b.Literal[0], b.Literal[1])));

    private static int CommonPrefix(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        int i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }
}
