using System.Text;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>
/// Label-set edits the evaluator needs (keep, drop, set, match signatures). Label sets are sorted
/// by name; every edit keeps them sorted so results can be wrapped without re-sorting.
/// </summary>
internal static class LabelOps
{
    public static LabelSet WithoutName(LabelSet ls)
    {
        var span = ls.AsSpan();
        int i = IndexOf(span, LabelSet.MetricName);
        if (i < 0) return ls;
        var arr = new Label[span.Length - 1];
        span[..i].CopyTo(arr);
        span[(i + 1)..].CopyTo(arr.AsSpan(i));
        return new LabelSet(arr);
    }

    /// <summary>Only the labels named in <paramref name="names"/>.</summary>
    public static LabelSet Keep(LabelSet ls, IReadOnlyList<string> names)
    {
        var list = new List<Label>(names.Count);
        foreach (var l in ls.AsSpan())
        {
            if (Contains(names, l.Name)) list.Add(l);
        }
        return list.Count == ls.Count ? ls : new LabelSet([.. list]);
    }

    /// <summary>All labels except those named (and, when <paramref name="dropName"/>, except <c>__name__</c>).</summary>
    public static LabelSet Drop(LabelSet ls, IReadOnlyList<string> names, bool dropName)
    {
        var list = new List<Label>(ls.Count);
        foreach (var l in ls.AsSpan())
        {
            if (Contains(names, l.Name) || (dropName && l.Name == LabelSet.MetricName)) continue;
            list.Add(l);
        }
        return list.Count == ls.Count ? ls : new LabelSet([.. list]);
    }

    /// <summary>Sets (or with an empty value removes) one label.</summary>
    public static LabelSet Set(LabelSet ls, string name, string value)
    {
        var list = new List<Label>(ls.Count + 1);
        bool done = false;
        foreach (var l in ls.AsSpan())
        {
            int c = Utf8Order.CompareStrings(l.Name, name);
            if (!done && c >= 0)
            {
                done = true;
                if (value.Length > 0) list.Add(new Label(name, value));
                if (c == 0) continue;
            }
            list.Add(l);
        }
        if (!done && value.Length > 0) list.Add(new Label(name, value));
        return new LabelSet([.. list]);
    }

    /// <summary>
    /// The matching key of a series for vector matching: the <c>on</c> labels, or every label but the
    /// <c>ignoring</c> ones and the metric name. Values are separated by a byte that cannot appear in UTF-16 text from labels.
    /// </summary>
    public static string Signature(LabelSet ls, bool on, IReadOnlyList<string> names)
    {
        var sb = new StringBuilder();
        foreach (var l in ls.AsSpan())
        {
            bool inNames = Contains(names, l.Name);
            if (on ? !inNames : inNames || l.Name == LabelSet.MetricName) continue;
            sb.Append(l.Name).Append('\uffff').Append(l.Value).Append('\uffff');
        }
        return sb.ToString();
    }

    /// <summary>The labels a signature was built from (for error messages).</summary>
    public static LabelSet MatchLabels(LabelSet ls, bool on, IReadOnlyList<string> names) =>
        on ? Keep(ls, names) : Drop(ls, names, dropName: true);

    /// <summary>The grouping key of an aggregation: <c>by</c> labels, or all but the <c>without</c> labels and the name.</summary>
    public static LabelSet Grouping(LabelSet ls, bool without, IReadOnlyList<string> names) =>
        without ? Drop(ls, names, dropName: true) : Keep(ls, names);

    /// <summary>Prometheus's <c>labels.Labels.String()</c>: every label inside braces, the name included.</summary>
    public static string Format(LabelSet ls)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var l in ls.AsSpan())
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(l.Name).Append("=\"");
            foreach (char c in l.Value)
            {
                switch (c)
                {
                    case '\\': sb.Append("\\\\"); break;
                    case '"': sb.Append("\\\""); break;
                    case '\n': sb.Append("\\n"); break;
                    default: sb.Append(c); break;
                }
            }
            sb.Append('"');
        }
        return sb.Append('}').ToString();
    }

    public static bool Contains(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static int IndexOf(ReadOnlySpan<Label> span, string name)
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (string.Equals(span[i].Name, name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}
