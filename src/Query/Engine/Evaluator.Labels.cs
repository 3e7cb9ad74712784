using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Query.Engine.Functions;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

internal sealed partial class Evaluator
{
    private static bool ValidLabelName(string name) => name.Length > 0 && name.IndexOf('\uFFFD') < 0;

    /// <summary><c>label_replace(v, dst, replacement, src, regex)</c>: labels are per series, so the regex runs once per series.</summary>
    private List<StepSeries> LabelReplace(CallExpr c)
    {
        string dst = EvalString(c.Args[1]);
        string repl = EvalString(c.Args[2]);
        string src = EvalString(c.Args[3]);
        string pattern = EvalString(c.Args[4]);
        Regex re;
        try
        {
            re = ReplaceRegexes.Get(pattern);
        }
        catch (ArgumentException e)
        {
            throw new QueryException(ErrorType.Execution, $"invalid regular expression in label_replace(): {e.Message}");
        }
        if (!ValidLabelName(dst)) throw new QueryException(ErrorType.Execution, $"invalid destination label name in label_replace(): {dst}");
        var vec = EvalVector(c.Args[0]);
        foreach (var s in vec)
        {
            var m = re.Match(s.Labels.Get(src) ?? "");
            if (!m.Success) continue;
            s.Labels = LabelOps.Set(s.Labels, dst, Expand(re, m, repl));
            if (dst == LabelSet.MetricName) s.DropName = false;
        }
        return MergeSameLabels(vec);
    }

    /// <summary>
    /// Compiled <c>label_replace</c> regexes (anchored, dot matches newline, capturing, linear time):
    /// building a non-backtracking regex costs far more than running it, and dashboards repeat the
    /// same pattern on every refresh. Bounded: past the cap new patterns are compiled but not kept.
    /// </summary>
    private static class ReplaceRegexes
    {
        private const int MaxEntries = 1024;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

        public static Regex Get(string pattern)
        {
            if (Cache.TryGetValue(pattern, out var re)) return re;
            re = new Regex("^(?s:" + pattern.Replace("(?P<", "(?<", StringComparison.Ordinal) + ")$",
                RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            if (Cache.Count < MaxEntries) Cache.TryAdd(pattern, re);
            return re;
        }
    }

    /// <summary>Go's <c>Regexp.ExpandString</c>: <c>$1</c>, <c>${1}</c>, <c>$name</c>, <c>${name}</c>, <c>$$</c>; unknown groups expand to nothing.</summary>
    private static string Expand(Regex re, Match m, string template)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < template.Length)
        {
            char ch = template[i];
            if (ch != '$')
            {
                sb.Append(ch);
                i++;
                continue;
            }
            i++;
            if (i < template.Length && template[i] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }
            string name;
            if (i < template.Length && template[i] == '{')
            {
                int close = template.IndexOf('}', i + 1);
                name = close < 0 ? "" : template[(i + 1)..close];
                if (name.Length == 0 || !IsWord(name))
                {
                    sb.Append('$');
                    continue;
                }
                i = close + 1;
            }
            else
            {
                int j = i;
                while (j < template.Length && IsWordChar(template[j])) j++;
                if (j == i)
                {
                    sb.Append('$');
                    continue;
                }
                name = template[i..j];
                i = j;
            }
            Group? g = null;
            if (IsDigits(name))
            {
                if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < m.Groups.Count) g = m.Groups[n];
            }
            else if (re.GroupNumberFromName(name) >= 0)
            {
                g = m.Groups[name];
            }
            if (g is { Success: true }) sb.Append(g.Value);
        }
        return sb.ToString();
    }

    private static bool IsWordChar(char ch) => char.IsAsciiLetterOrDigit(ch) || ch == '_';

    private static bool IsWord(string s)
    {
        foreach (char ch in s)
        {
            if (!IsWordChar(ch)) return false;
        }
        return true;
    }

    private static bool IsDigits(string s)
    {
        foreach (char ch in s)
        {
            if (!char.IsAsciiDigit(ch)) return false;
        }
        return true;
    }

    private List<StepSeries> LabelJoin(CallExpr c)
    {
        string dst = EvalString(c.Args[1]);
        string sep = EvalString(c.Args[2]);
        var srcs = new List<string>();
        for (int i = 3; i < c.Args.Count; i++)
        {
            string src = EvalString(c.Args[i]);
            if (!ValidLabelName(src)) throw new QueryException(ErrorType.Execution, $"invalid source label name in label_join(): {src}");
            srcs.Add(src);
        }
        if (!ValidLabelName(dst)) throw new QueryException(ErrorType.Execution, $"invalid destination label name in label_join(): {dst}");
        var vec = EvalVector(c.Args[0]);
        foreach (var s in vec)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < srcs.Count; i++)
            {
                if (i > 0) sb.Append(sep);
                sb.Append(s.Labels.Get(srcs[i]) ?? "");
            }
            s.Labels = LabelOps.Set(s.Labels, dst, sb.ToString());
            if (dst == LabelSet.MetricName) s.DropName = false;
        }
        return MergeSameLabels(vec);
    }

    /// <summary>
    /// <c>sort*</c> order elements of an instant query's result; a range query's series are ordered
    /// by labels anyway, so there they change nothing.
    /// </summary>
    private List<StepSeries> Sort(CallExpr c)
    {
        var vec = EvalVector(c.Args[0]);
        if (_steps != 1) return vec;
        switch (c.Function.Name)
        {
            case "sort":
                vec.Sort(static (a, b) => CompareValues(a.Values[0], b.Values[0]));
                break;
            case "sort_desc":
                vec.Sort(static (a, b) => CompareValues(b.Values[0], a.Values[0], nanLast: true));
                break;
            default:
            {
                var names = new List<string>();
                for (int i = 1; i < c.Args.Count; i++) names.Add(EvalString(c.Args[i]));
                int sign = c.Function.Name == "sort_by_label_desc" ? -1 : 1;
                vec.Sort((a, b) =>
                {
                    foreach (string n in names)
                    {
                        int r = NaturalCompare(a.Labels.Get(n) ?? "", b.Labels.Get(n) ?? "");
                        if (r != 0) return sign * r;
                    }
                    return sign * a.Labels.CompareTo(b.Labels);
                });
                break;
            }
        }
        return vec;
    }

    // Ascending with NaN at the end (for sort_desc the arguments are swapped, so NaN must still sort last).
    private static int CompareValues(double a, double b, bool nanLast = false)
    {
        bool na = double.IsNaN(a), nb = double.IsNaN(b);
        if (na || nb)
        {
            if (na && nb) return 0;
            int r = na ? 1 : -1;
            return nanLast ? -r : r;
        }
        return a.CompareTo(b);
    }

    /// <summary>Natural order: runs of digits compare by numeric value, everything else by character.</summary>
    internal static int NaturalCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int si = i, sj = j;
                while (i < a.Length && char.IsAsciiDigit(a[i])) i++;
                while (j < b.Length && char.IsAsciiDigit(b[j])) j++;
                string da = a[si..i].TrimStart('0'), db = b[sj..j].TrimStart('0');
                if (da.Length != db.Length) return da.Length.CompareTo(db.Length);
                int r = string.CompareOrdinal(da, db);
                if (r != 0) return r;
                continue;
            }
            if (a[i] != b[j]) return a[i].CompareTo(b[j]);
            i++;
            j++;
        }
        return (a.Length - i).CompareTo(b.Length - j);
    }

    /// <summary>
    /// <c>histogram_quantile(φ, v)</c> over classic buckets: series are grouped by their labels without
    /// <c>le</c>; each step's buckets of a group feed one quantile estimate.
    /// </summary>
    private List<StepSeries> HistogramQuantile(CallExpr c)
    {
        var phi = EvalScalar(c.Args[0]);
        var vec = EvalVector(c.Args[1]);
        foreach (double q in phi)
        {
            if (double.IsNaN(q) || q < 0 || q > 1)
                _frame.Annotate(AnnotationLevel.Warning, $"quantile value should be between 0 and 1, got {GoValue(q)}", c.Args[0]);
        }
        var groups = new Dictionary<LabelSet, List<(double Le, StepSeries S)>>();
        var order = new List<LabelSet>();
        foreach (var s in vec)
        {
            string? le = s.Labels.Get("le");
            if (le == null || !TryParseGoFloat(le, out double bound))
            {
                _frame.Annotate(AnnotationLevel.Warning,
                    $"bucket label \"le\" is missing or has a malformed value of \"{le ?? ""}\" for metric name \"{s.Labels.MetricNameOrEmpty}\"", c.Args[1]);
                continue;
            }
            var key = LabelOps.Drop(s.Labels, ["le"], dropName: false);
            if (!groups.TryGetValue(key, out var members))
            {
                groups.Add(key, members = []);
                order.Add(key);
            }
            members.Add((bound, s));
        }
        var result = new List<StepSeries>(groups.Count);
        var buckets = new Bucket[16];
        foreach (var key in order)
        {
            var members = groups[key];
            if (buckets.Length < members.Count) buckets = new Bucket[members.Count];
            var output = new StepSeries(key, _steps, dropName: true);
            for (int k = 0; k < _steps; k++)
            {
                int n = 0;
                foreach (var (le, s) in members)
                {
                    if (s.Present[k]) buckets[n++] = new Bucket(le, s.Values[k]);
                }
                if (n == 0) continue;
                double v = BucketQuantile.Quantile(phi[k], buckets.AsSpan(0, n), out bool forced, out _);
                if (forced)
                {
                    _frame.Annotate(AnnotationLevel.Info,
                        $"input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"{key.MetricNameOrEmpty}\"", c.Args[1]);
                }
                output.Values[k] = v;
                output.Present[k] = true;
            }
            if (output.Any()) result.Add(output);
        }
        return MergeSameLabelsAfterNameDrop(result);
    }

    /// <summary>Rows that only differ by metric name collide once the name is dropped; merge them like other duplicates.</summary>
    private List<StepSeries> MergeSameLabelsAfterNameDrop(List<StepSeries> rows)
    {
        foreach (var r in rows)
        {
            if (!r.DropName) continue;
            r.Labels = LabelOps.WithoutName(r.Labels);
        }
        return MergeSameLabels(rows);
    }

    /// <summary>Go's <c>strconv.ParseFloat</c> for label values: decimal, exponent, hex, <c>Inf</c>/<c>NaN</c> in any case.</summary>
    internal static bool TryParseGoFloat(string s, out double v)
    {
        string t = s.Trim();
        string lower = t.ToLowerInvariant().TrimStart('+');
        bool neg = t.StartsWith('-');
        if (neg) lower = lower[1..];
        if (lower is "inf" or "infinity")
        {
            v = neg ? double.NegativeInfinity : double.PositiveInfinity;
            return t == s;
        }
        if (lower == "nan")
        {
            v = double.NaN;
            return t == s;
        }
        if (t != s || t.Length == 0 || t.Contains('_', StringComparison.Ordinal))
        {
            v = 0;
            return false;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }
}
