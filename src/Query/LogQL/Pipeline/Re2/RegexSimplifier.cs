namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Loki's <c>RegexSimplifier</c> for line filters: replaces a regex by substring searches when that is
/// equivalent — a literal (<c>error</c>), a case-insensitive literal (<c>(?i)error</c>), alternations of
/// those (<c>(?i)error|panic</c>), literals surrounded by <c>.*</c>, and a literal prefix times an
/// alternation (<c>err(or|no)</c>); <c>.*</c> and the empty regex match everything and <c>.+</c> any
/// non-empty line. Anything else runs as a regex.
/// </summary>
internal static class RegexSimplifier
{
    public static LineFilter ForLine(string pattern)
    {
        var tree = PipelineThrow.ParseRegex(pattern, out int captures);
        var simple = Simplify(tree);
        if (simple != null) return simple;
        return new RegexLineFilter(Re2Regex.FromTree(tree, captures, pattern, anchored: false));
    }

    private static LineFilter? Simplify(Re2Node n)
    {
        switch (n.Op)
        {
            case Re2Op.Alternate:
                var parts = new LineFilter[n.Subs.Count];
                for (int i = 0; i < parts.Length; i++)
                {
                    var f = Simplify(Uncapture(n.Subs[i]));
                    if (f == null) return null;
                    parts[i] = f;
                }
                return LineFilter.Or(parts);
            case Re2Op.Concat:
                return SimplifyConcat(n, null, false);
            case Re2Op.Capture:
                return Simplify(n.Subs[0]);
            case Re2Op.Literal:
                return Contains(n.LiteralString(), n.FoldCase);
            case Re2Op.Repeat when n.IsStarOfAnyNotNL:
                return TrueLineFilter.Instance;
            case Re2Op.Repeat when n.IsPlusOfAnyNotNL:
                return ExistsLineFilter.Instance;
            case Re2Op.EmptyMatch:
                return TrueLineFilter.Instance;
            default:
                return null;
        }
    }

    private static Re2Node Uncapture(Re2Node n)
    {
        while (n.Op == Re2Op.Capture) n = n.Subs[0];
        return n;
    }

    private static LineFilter Contains(string literal, bool foldCase) =>
        foldCase ? LineFilter.ContainsIgnoreCase(literal) : LineFilter.Contains(literal);

    // Concatenations of at most three parts: one literal, ".*"s, and an alternation after the literal.
    private static LineFilter? SimplifyConcat(Re2Node n, string? baseLiteral, bool baseFold)
    {
        var subs = new List<Re2Node>(n.Subs.Count);
        foreach (var s in n.Subs)
        {
            var u = Uncapture(s);
            if (u.Op != Re2Op.EmptyMatch) subs.Add(u);
        }
        if (subs.Count > 3) return null;
        LineFilter? curr = null;
        int literals = 0;
        foreach (var sub in subs)
        {
            if (sub.Op == Re2Op.Literal)
            {
                if (literals != 0) return null;
                literals++;
                baseLiteral = (baseLiteral ?? "") + sub.LiteralString();
                baseFold = sub.FoldCase;
                continue;
            }
            if (sub.Op == Re2Op.Alternate && baseLiteral != null)
            {
                curr = SimplifyConcatAlternate(sub, baseLiteral, curr, baseFold);
                if (curr == null) return null;
                continue;
            }
            if (sub.IsStarOfAnyNotNL) continue;
            return null;
        }
        if (curr != null) return curr;
        if (baseLiteral != null) return Contains(baseLiteral, baseFold);
        return null;
    }

    private static LineFilter? SimplifyConcatAlternate(Re2Node alt, string literal, LineFilter? curr, bool baseFold)
    {
        foreach (var raw in alt.Subs)
        {
            var a = Uncapture(raw);
            // A case-sensitive prefix cannot combine with a case-insensitive alternative ("f(?i:oo)").
            if (!baseFold && a.FoldCase) return null;
            LineFilter? f;
            switch (a.Op)
            {
                case Re2Op.EmptyMatch:
                    f = Contains(literal, baseFold);
                    break;
                case Re2Op.Literal:
                    f = Contains(literal + a.LiteralString(), baseFold);
                    break;
                case Re2Op.Concat:
                    f = SimplifyConcat(a, literal, baseFold);
                    if (f == null) return null;
                    break;
                case Re2Op.Repeat when a.IsStarOfAnyNotNL:
                    f = Contains(literal, baseFold);
                    break;
                default:
                    return null;
            }
            curr = curr == null ? f : LineFilter.Or(curr, f);
        }
        return curr;
    }
}
