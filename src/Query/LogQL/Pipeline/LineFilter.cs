namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A predicate over the raw UTF-8 line. Line filters never touch labels, so the <see cref="Pipeline"/>
/// runs the leading ones on the bytes from storage before the entry is even copied. The factory picks
/// the cheapest matcher that is equivalent to the expression, following Loki's
/// <c>parseRegexpFilter</c>/<c>RegexSimplifier</c>: a regex that is a literal, a case-insensitive
/// literal, an alternation of literals or a literal wrapped in <c>.*</c> becomes a substring search.
/// </summary>
public abstract class LineFilter : Stage
{
    /// <summary>True when the line passes.</summary>
    public abstract bool Matches(ReadOnlySpan<byte> line);

    public override bool Process(LogLine entry) => Matches(entry.Line);

    /// <summary>Relative cost, used to run cheap filters first when consecutive filters are reordered (as Loki does).</summary>
    internal virtual int Cost => 1;

    /// <summary>Builds the filter for <c>op "value"</c>.</summary>
    public static LineFilter Create(LineFilterOp op, string value) => op switch
    {
        LineFilterOp.Contains => Contains(value),
        LineFilterOp.NotContains => Not(Contains(value)),
        LineFilterOp.Regex => RegexSimplifier.ForLine(value),
        LineFilterOp.NotRegex => Not(RegexSimplifier.ForLine(value)),
        LineFilterOp.Pattern => new PatternLineFilter(value),
        LineFilterOp.NotPattern => Not(new PatternLineFilter(value)),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>
    /// Builds <c>op "a" or "b" or …</c>. For the positive operators the line passes if any value matches;
    /// for the negative ones Loki reads the chain as <c>!= "a" != "b"</c>, i.e. none may match.
    /// </summary>
    public static LineFilter CreateAny(LineFilterOp op, IReadOnlyList<string> values)
    {
        if (values.Count == 1) return Create(op, values[0]);
        var parts = new LineFilter[values.Count];
        switch (op)
        {
            case LineFilterOp.Contains or LineFilterOp.Regex or LineFilterOp.Pattern:
                for (int i = 0; i < parts.Length; i++) parts[i] = Create(op, values[i]);
                return Or(parts);
            default:
                for (int i = 0; i < parts.Length; i++) parts[i] = Create(op, values[i]);
                return And(parts);
        }
    }

    /// <summary><c>|= ip("…")</c> / <c>!= ip("…")</c>: the line contains an address in the given address, CIDR or range.</summary>
    public static LineFilter Ip(string pattern, bool negate = false)
    {
        var f = new IpLineFilter(IpMatcher.Parse(pattern));
        return negate ? Not(f) : f;
    }

    /// <summary>Case-sensitive substring; the empty string matches every line (Loki's TrueFilter).</summary>
    public static LineFilter Contains(string value) =>
        value.Length == 0 ? TrueLineFilter.Instance : new ContainsFilter(value);

    /// <summary>Case-insensitive substring (what <c>|~ "(?i)literal"</c> becomes).</summary>
    public static LineFilter ContainsIgnoreCase(string value) =>
        value.Length == 0 ? TrueLineFilter.Instance : new ContainsAnyFilter([value], ignoreCase: true);

    public static LineFilter Not(LineFilter f) => f switch
    {
        NotLineFilter n => n.Inner,
        // not(a or b) = not a and not b, as Loki's NewNotFilter does.
        OrLineFilter o => And(Array.ConvertAll(o.Parts, Not)),
        _ => new NotLineFilter(f),
    };

    public static LineFilter And(params LineFilter[] parts)
    {
        var flat = new List<LineFilter>();
        foreach (var p in parts)
        {
            if (p is TrueLineFilter) continue;
            if (p is AndLineFilter a) flat.AddRange(a.Parts);
            else flat.Add(p);
        }
        if (flat.Count == 0) return TrueLineFilter.Instance;
        if (flat.Count == 1) return flat[0];
        // Cheap filters first; the result is the same because filters have no side effects.
        flat.Sort(static (x, y) => x.Cost.CompareTo(y.Cost));
        return new AndLineFilter([.. flat]);
    }

    public static LineFilter Or(params LineFilter[] parts)
    {
        var flat = new List<LineFilter>();
        foreach (var p in parts)
        {
            if (p is TrueLineFilter) return TrueLineFilter.Instance;
            if (p is OrLineFilter o) flat.AddRange(o.Parts);
            else flat.Add(p);
        }
        if (flat.Count == 1) return flat[0];
        // Substring searches of one case mode merge into one multi-needle search (SearchValues<string>),
        // which is how "(?i)error|panic" runs as a single vectorised pass.
        var merged = new List<LineFilter>();
        var sensitive = new List<string>();
        var insensitive = new List<string>();
        foreach (var p in flat)
        {
            switch (p)
            {
                case ContainsFilter c: sensitive.Add(c.Needle); break;
                case ContainsAnyFilter a when a.IgnoreCase: insensitive.AddRange(a.Needles); break;
                case ContainsAnyFilter a: sensitive.AddRange(a.Needles); break;
                default: merged.Add(p); break;
            }
        }
        if (sensitive.Count == 1) merged.Insert(0, new ContainsFilter(sensitive[0]));
        else if (sensitive.Count > 1) merged.Insert(0, new ContainsAnyFilter([.. sensitive], ignoreCase: false));
        if (insensitive.Count > 0) merged.Insert(0, new ContainsAnyFilter([.. insensitive], ignoreCase: true));
        if (merged.Count == 1) return merged[0];
        merged.Sort(static (x, y) => x.Cost.CompareTo(y.Cost));
        return new OrLineFilter([.. merged]);
    }
}
