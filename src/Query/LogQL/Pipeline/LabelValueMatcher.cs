using System.Text;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A matcher over one label value for label filters, <c>drop</c> and <c>keep</c>: <c>=</c>, <c>!=</c>,
/// and fully anchored RE2 <c>=~</c>/<c>!~</c> (as the LogQL documentation and Prometheus define them).
/// Regexes that are literals, alternations of literals or a literal with <c>.*</c> on either side run as
/// equality, set, prefix, suffix or substring tests over the value's bytes.
/// <para>
/// Deliberate difference from Loki 3.x: Loki simplifies <c>| name=~"al.*"</c> to a substring test, so
/// it also matches "prealpha" (grafana/loki#14433, still open). We keep the documented anchored
/// meaning. As in Loki, the <c>.*</c> shortcuts ignore that <c>.</c> does not match a newline.
/// </para>
/// </summary>
public abstract class LabelValueMatcher
{
    public static LabelValueMatcher Create(MatchType type, string value)
    {
        switch (type)
        {
            case MatchType.Equal: return new EqualMatcher(value);
            case MatchType.NotEqual: return new NotMatcher(new EqualMatcher(value));
            case MatchType.Regex: return ForRegex(value);
            default: return new NotMatcher(ForRegex(value));
        }
    }

    /// <summary>True when the value matches. <paramref name="entry"/> provides scratch buffers.</summary>
    public abstract bool Matches(LabelValue value, LogLine entry);

    /// <summary>Convenience overload for string values (allocates a scratch context; not for hot paths).</summary>
    public bool Matches(string value) => Matches(new LabelValue(value), new LogLine());

    private static LabelValueMatcher ForRegex(string pattern)
    {
        var tree = PipelineThrow.ParseRegex(pattern, out int captures);
        return Simplify(tree) ?? new RegexMatcher(Re2Regex.FromTree(tree, captures, pattern, anchored: true));
    }

    private static Re2Node Uncapture(Re2Node n)
    {
        while (n.Op == Re2Op.Capture) n = n.Subs[0];
        return n;
    }

    private static LabelValueMatcher? Simplify(Re2Node n)
    {
        n = Uncapture(n);
        switch (n.Op)
        {
            case Re2Op.Literal:
                return n.FoldCase ? new FoldEqualMatcher(n.LiteralString()) : new EqualMatcher(n.LiteralString());
            case Re2Op.EmptyMatch:
                return new EqualMatcher("");
            case Re2Op.Repeat when n.IsStarOfAnyNotNL:
                return TrueMatcher.Instance;
            case Re2Op.Repeat when n.IsPlusOfAnyNotNL:
                return NonEmptyMatcher.Instance;
            case Re2Op.Alternate:
                var parts = new LabelValueMatcher[n.Subs.Count];
                for (int i = 0; i < parts.Length; i++)
                {
                    var p = Simplify(n.Subs[i]);
                    if (p == null) return null;
                    parts[i] = p;
                }
                return new OrMatcher(parts);
            case Re2Op.Concat:
                var subs = new List<Re2Node>();
                foreach (var s in n.Subs)
                {
                    var u = Uncapture(s);
                    if (u.Op != Re2Op.EmptyMatch) subs.Add(u);
                }
                if (subs.Count == 0) return new EqualMatcher("");
                if (subs.Count == 1) return Simplify(subs[0]);
                bool leadingStar = subs[0].IsStarOfAnyNotNL;
                bool trailingStar = subs[^1].IsStarOfAnyNotNL;
                int litIndex = leadingStar ? 1 : 0;
                int expected = 1 + (leadingStar ? 1 : 0) + (trailingStar ? 1 : 0);
                if (subs.Count != expected || subs[litIndex].Op != Re2Op.Literal || subs[litIndex].FoldCase) return null;
                string lit = subs[litIndex].LiteralString();
                if (leadingStar && trailingStar) return new AffixMatcher(lit, AffixKind.Contains);
                return leadingStar ? new AffixMatcher(lit, AffixKind.Suffix) : new AffixMatcher(lit, AffixKind.Prefix);
            default:
                return null;
        }
    }

    private sealed class EqualMatcher(string value) : LabelValueMatcher
    {
        private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(value);

        public override bool Matches(LabelValue v, LogLine entry) => v.Equals(value, _utf8);
    }

    private sealed class FoldEqualMatcher(string value) : LabelValueMatcher
    {
        public override bool Matches(LabelValue v, LogLine entry) =>
            v.AsChars(ref entry.CharScratch).Equals(value, StringComparison.OrdinalIgnoreCase);
    }

    private enum AffixKind : byte
    {
        Prefix,
        Suffix,
        Contains,
    }

    private sealed class AffixMatcher(string value, AffixKind kind) : LabelValueMatcher
    {
        private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(value);

        public override bool Matches(LabelValue v, LogLine entry)
        {
            if (v.String is { } s)
            {
                return kind switch
                {
                    AffixKind.Prefix => s.StartsWith(value, StringComparison.Ordinal),
                    AffixKind.Suffix => s.EndsWith(value, StringComparison.Ordinal),
                    _ => s.Contains(value, StringComparison.Ordinal),
                };
            }
            var b = v.Utf8;
            return kind switch
            {
                AffixKind.Prefix => b.StartsWith(_utf8),
                AffixKind.Suffix => b.EndsWith(_utf8),
                _ => b.IndexOf(_utf8) >= 0,
            };
        }
    }

    private sealed class TrueMatcher : LabelValueMatcher
    {
        public static readonly TrueMatcher Instance = new();

        public override bool Matches(LabelValue v, LogLine entry) => true;
    }

    private sealed class NonEmptyMatcher : LabelValueMatcher
    {
        public static readonly NonEmptyMatcher Instance = new();

        public override bool Matches(LabelValue v, LogLine entry) => !v.IsEmpty;
    }

    private sealed class RegexMatcher(Re2Regex regex) : LabelValueMatcher
    {
        public override bool Matches(LabelValue v, LogLine entry) => regex.Regex.IsMatch(v.AsChars(ref entry.CharScratch));
    }

    private sealed class OrMatcher(LabelValueMatcher[] parts) : LabelValueMatcher
    {
        public override bool Matches(LabelValue v, LogLine entry)
        {
            foreach (var p in parts)
            {
                if (p.Matches(v, entry)) return true;
            }
            return false;
        }
    }

    private sealed class NotMatcher(LabelValueMatcher inner) : LabelValueMatcher
    {
        public override bool Matches(LabelValue v, LogLine entry) => !inner.Matches(v, entry);
    }
}
