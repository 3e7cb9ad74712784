using System.Text;
using Strata.Query.PromQL;
using Strata.Storage.Labels;
using LabelMatcher = Strata.Storage.Index.LabelMatcher;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.Engine;

/// <summary>
/// The experimental <c>info(v, [data-label-selector])</c> function (Prometheus 3.x): each sample of
/// <c>v</c> gains the data labels of the info series that share its identifying labels
/// (<c>instance</c>, <c>job</c>) at that step.
/// </summary>
/// <remarks>
/// Semantics follow Prometheus's <c>promql/info.go</c> with its later fixes (negated <c>__name__</c>
/// matchers, overlapping labels, <c>@</c>/offset honoured when evaluating the info series):
/// <list type="bullet">
/// <item>The selector's <c>__name__</c> matchers choose the info metrics (AND semantics); without
/// one, <c>target_info</c>; with negated ones only, every <c>.+_info</c> metric they allow.</item>
/// <item>Its other matchers both filter the info series and name the data labels to copy (all
/// labels when there are none). Labels already on the base series are never overwritten.</item>
/// <item>Base series that are themselves info metrics pass through unchanged.</item>
/// <item>Per identifying signature the info series with the newest sample wins; two different info
/// metrics supplying different values for one label is an error.</item>
/// <item>A base sample with no matching info series is kept unchanged only if every data-label
/// matcher accepts the empty string.</item>
/// </list>
/// Everything is evaluated densely: winners are chosen once per signature group and step, and a
/// base series recomputes its output labels only at steps where its winners change.
/// </remarks>
internal sealed partial class Evaluator
{
    private const string TargetInfo = "target_info";

    /// <summary>Labels that tie a series to its info series; hard coded as in Prometheus.</summary>
    private static readonly string[] IdentifyingLabels = ["instance", "job"];

    private List<StepSeries> Info(CallExpr c)
    {
        var baseVec = EvalVector(c.Args[0]);
        if (baseVec.Count == 0) return baseVec;

        IReadOnlyList<LabelMatcher> selector = c.Args.Count > 1 && Unwrap(c.Args[1]) is VectorSelector vs ? vs.Matchers : [];
        var nameMatchers = InfoNameMatchers(selector, c.Args.Count > 1);
        var dataMatchers = new List<LabelMatcher>(selector.Count);
        foreach (var m in selector)
        {
            if (m.Name != LabelSet.MetricName) dataMatchers.Add(m);
        }
        bool allDataMatchEmpty = true;
        foreach (var m in dataMatchers) allDataMatchEmpty &= m.MatchesEmpty;

        // Info series are never enriched themselves. This check uses the same effective name matchers
        // as the info series fetch, so a base series is ignored exactly when it could be an info source.
        var ignored = new bool[baseVec.Count];
        var anyBase = new bool[_steps];
        for (int i = 0; i < baseVec.Count; i++)
        {
            var b = baseVec[i];
            ignored[i] = MatchAll(nameMatchers, b.Labels.MetricNameOrEmpty);
            for (int k = 0; k < _steps; k++) anyBase[k] |= b.Present[k];
        }

        var infos = SelectInfoSeries(c.Args[0], baseVec, ignored, nameMatchers, dataMatchers);

        // Info series grouped by signature: metric name plus identifying label values (null when the
        // label is absent). A base series matches the group with its own identifying values.
        var groupOf = new Dictionary<InfoKey, int>();
        var members = new List<List<int>>();
        var infoNames = new List<string>();
        for (int i = 0; i < infos.Count; i++)
        {
            var key = InfoKeyOf(infos[i].Labels.MetricNameOrEmpty, infos[i].Labels);
            if (!groupOf.TryGetValue(key, out int g))
            {
                g = members.Count;
                groupOf.Add(key, g);
                members.Add([]);
                if (!infoNames.Contains(key.Name)) infoNames.Add(key.Name);
            }
            members[g].Add(i);
        }
        var winners = new int[members.Count][];
        for (int g = 0; g < members.Count; g++) winners[g] = GroupWinners(infos, members[g], anyBase);

        var dataNames = new List<string>(dataMatchers.Count);
        foreach (var m in dataMatchers)
        {
            if (!dataNames.Contains(m.Name)) dataNames.Add(m.Name);
        }

        var output = new InfoOutput(_steps, baseVec.Count);
        var added = new List<Label>();
        var candidates = new List<int>(infoNames.Count);
        for (int i = 0; i < baseVec.Count; i++)
        {
            Ctx.CheckCancelled();
            var b = baseVec[i];
            if (ignored[i])
            {
                output.PassThrough(b);
                continue;
            }
            candidates.Clear();
            foreach (string name in infoNames)
            {
                if (groupOf.TryGetValue(InfoKeyOf(name, b.Labels), out int g)) candidates.Add(g);
            }
            var current = new int[candidates.Count];
            Array.Fill(current, int.MinValue);
            bool computed = false;
            StepSeries? target = null;
            for (int k = 0; k < _steps; k++)
            {
                if (!b.Present[k]) continue;
                bool changed = !computed;
                bool matched = false;
                for (int j = 0; j < candidates.Count; j++)
                {
                    int w = winners[candidates[j]][k];
                    if (w != current[j])
                    {
                        current[j] = w;
                        changed = true;
                    }
                    matched |= w >= 0;
                }
                if (changed)
                {
                    computed = true;
                    if (matched) target = output.Get(Enrich(b.Labels, infos, current, dataNames, added), b.DropName);
                    else target = allDataMatchEmpty ? output.Get(b.Labels, b.DropName) : null;
                }
                if (target != null) output.Set(target, k, b.Values[k]);
            }
        }
        return output.Rows;
    }

    /// <summary>
    /// The <c>__name__</c> matchers that decide which metrics are info metrics: <c>target_info</c>
    /// by default; negated matchers alone only narrow the broad <c>.+_info</c> (they would otherwise
    /// make ordinary metrics info sources, Prometheus issue 17931).
    /// </summary>
    private static List<LabelMatcher> InfoNameMatchers(IReadOnlyList<LabelMatcher> selector, bool hasSelector)
    {
        var result = new List<LabelMatcher>();
        bool positive = false;
        if (hasSelector)
        {
            foreach (var m in selector)
            {
                if (m.Name != LabelSet.MetricName) continue;
                result.Add(m);
                positive |= m.Type is MatchType.Equal or MatchType.Regex;
            }
        }
        if (result.Count == 0) result.Add(new LabelMatcher(MatchType.Equal, LabelSet.MetricName, TargetInfo));
        else if (!positive) result.Insert(0, new LabelMatcher(MatchType.Regex, LabelSet.MetricName, ".+_info"));
        return result;
    }

    private static bool MatchAll(List<LabelMatcher> matchers, string value)
    {
        foreach (var m in matchers)
        {
            if (!m.Matches(value)) return false;
        }
        return true;
    }

    /// <summary>
    /// The candidate info series, evaluated like an instant selector at the reference time of the
    /// base samples (so <c>@</c> and offset pin the enrichment as well as the values). The fetch is
    /// narrowed to the identifying label values the base series carry; as in Prometheus, a label
    /// that some base series has is then required on the info series too.
    /// </summary>
    /// <remarks>
    /// The values go in one alternation per label: all-literal values take <see cref="LabelMatcher"/>'s
    /// set fast path, but escaped ones (any <c>.</c>, as in <c>host:port</c>) compile a regex of all
    /// values. Not measured; a set matcher would avoid it if info() over many targets shows up.
    /// </remarks>
    private List<StepSeries> SelectInfoSeries(Expr first, List<StepSeries> baseVec, bool[] ignored,
        List<LabelMatcher> nameMatchers, List<LabelMatcher> dataMatchers)
    {
        var matchers = new List<LabelMatcher>(nameMatchers.Count + dataMatchers.Count + IdentifyingLabels.Length);
        matchers.AddRange(nameMatchers);
        matchers.AddRange(dataMatchers);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (string id in IdentifyingLabels)
        {
            seen.Clear();
            sb.Clear();
            for (int i = 0; i < baseVec.Count; i++)
            {
                if (ignored[i]) continue;
                string? v = baseVec[i].Labels.Get(id);
                if (string.IsNullOrEmpty(v) || !seen.Add(v)) continue;
                if (sb.Length > 0) sb.Append('|');
                QuoteMeta(sb, v);
            }
            if (seen.Count > 0) matchers.Add(new LabelMatcher(MatchType.Regex, id, sb.ToString()));
        }
        if (matchers.Count == nameMatchers.Count + dataMatchers.Count) return [];

        var reference = InfoReferenceOf(first);
        bool pinned = reference.Kind == InfoRefKind.Uniform && reference.Pinned;
        long offset = reference.Kind == InfoRefKind.Uniform && !reference.Pinned ? reference.Time : 0;
        var selector = new VectorSelector
        {
            Matchers = matchers,
            Offset = new DurationValue(offset),
            At = pinned ? AtKind.Timestamp : AtKind.None,
            AtMs = pinned ? reference.Time : 0,
        };
        return SelectVector(selector, keepSampleTimes: true);
    }

    /// <summary>Go's <c>regexp.QuoteMeta</c>: the value as a literal inside a regex.</summary>
    private static void QuoteMeta(StringBuilder sb, string value)
    {
        foreach (char ch in value)
        {
            if (@"\.+*?()|[]{}^$".Contains(ch)) sb.Append('\\');
            sb.Append(ch);
        }
    }

    private readonly record struct InfoKey(string Name, string? Instance, string? Job);

    private static InfoKey InfoKeyOf(string name, LabelSet labels) => new(name, labels.Get("instance"), labels.Get("job"));

    /// <summary>
    /// Per step, the index of the group member with the newest sample (−1 for none). Two members
    /// with equally new samples cannot be told apart, which Prometheus reports as an error — only at
    /// steps that have base samples, since it never looks at the others.
    /// </summary>
    private int[] GroupWinners(List<StepSeries> infos, List<int> group, bool[] anyBase)
    {
        var w = new int[_steps];
        for (int k = 0; k < _steps; k++)
        {
            int best = -1;
            long bestT = 0;
            if (anyBase[k])
            {
                foreach (int m in group)
                {
                    var s = infos[m];
                    if (!s.Present[k]) continue;
                    long t = s.SampleTimes![k];
                    if (best >= 0 && t == bestT)
                    {
                        throw new QueryException(ErrorType.Execution,
                            $"found duplicate series for info metric: existing {LabelOps.Format(infos[best].Labels)} @ {bestT}, new {LabelOps.Format(s.Labels)} @ {t}");
                    }
                    if (best < 0 || t > bestT)
                    {
                        best = m;
                        bestT = t;
                    }
                }
            }
            w[k] = best;
        }
        return w;
    }

    /// <summary>The base labels plus the selected data labels of the winning info series (−1 entries skipped).</summary>
    private static LabelSet Enrich(LabelSet baseLabels, List<StepSeries> infos, int[] winners, List<string> dataNames, List<Label> added)
    {
        added.Clear();
        foreach (int w in winners)
        {
            if (w < 0) continue;
            foreach (var l in infos[w].Labels.AsSpan())
            {
                if (l.Name == LabelSet.MetricName) continue;
                if (dataNames.Count > 0 && !LabelOps.Contains(dataNames, l.Name)) continue;
                // Labels on the base series win; they cannot conflict because they are never copied.
                if (baseLabels.Get(l.Name) != null) continue;
                int at = 0;
                while (at < added.Count && added[at].Name != l.Name) at++;
                if (at == added.Count)
                {
                    added.Add(l);
                }
                else if (added[at].Value != l.Value)
                {
                    throw new QueryException(ErrorType.Execution, $"conflicting label: {l.Name}");
                }
            }
        }
        if (added.Count == 0) return baseLabels;
        var all = new Label[baseLabels.Count + added.Count];
        baseLabels.AsSpan().CopyTo(all);
        added.CopyTo(all, baseLabels.Count);
        return LabelSet.From(all);
    }

    private enum InfoRefKind : byte
    {
        /// <summary>No vector-producing path (scalar and string operands).</summary>
        None,
        /// <summary>Every vector path reads its samples at the same time relative to the step.</summary>
        Uniform,
        /// <summary>Paths disagree, or one produces a vector without a selector (e.g. <c>vector(1)</c>).</summary>
        Mixed,
    }

    /// <summary>When a base sample was read: the absolute <see cref="Time"/> if pinned, else step time minus <see cref="Time"/>.</summary>
    private readonly record struct InfoReference(InfoRefKind Kind, bool Pinned, long Time);

    /// <summary>
    /// The time at which <c>info</c>'s first argument reads its samples, so the info series can be
    /// read as of the same time (Prometheus PRs 19266 and 19387). Scalar operands do not count; a
    /// selector's offset composes with the offsets of enclosing subqueries until an <c>@</c> pins it.
    /// When the vector paths disagree there is no single reference and the info series are read at
    /// the step time itself.
    /// </summary>
    private InfoReference InfoReferenceOf(Expr e)
    {
        if (e.Kind is ValueKind.Scalar or ValueKind.String) return new(InfoRefKind.None, false, 0);
        switch (e)
        {
            case ParenExpr p:
                return InfoReferenceOf(p.Inner);
            case VectorSelector vs:
                return SelectorReference(vs);
            case MatrixSelector ms:
                return SelectorReference(ms.Selector);
            case SubqueryExpr sq:
            {
                var inner = InfoReferenceOf(sq.Inner);
                if (inner.Kind != InfoRefKind.Uniform) return new(InfoRefKind.Mixed, false, 0);
                if (inner.Pinned) return inner;
                long offset = inner.Time + Duration(sq.Offset);
                return sq.At != AtKind.None
                    ? new(InfoRefKind.Uniform, true, AtTime(sq.At, sq.AtMs) - offset)
                    : new(InfoRefKind.Uniform, false, offset);
            }
            case UnaryExpr u:
                return InfoReferenceOf(u.Inner);
            case BinaryExpr b:
                return Combine(InfoReferenceOf(b.Lhs), InfoReferenceOf(b.Rhs));
            case AggregateExpr a:
                return InfoReferenceOf(a.Inner);
            case CallExpr call:
            {
                // A nested info()'s selector argument is label syntax, not an evaluated vector.
                int n = call.Function.Name == "info" ? Math.Min(1, call.Args.Count) : call.Args.Count;
                var r = new InfoReference(InfoRefKind.None, false, 0);
                for (int i = 0; i < n; i++) r = Combine(r, InfoReferenceOf(call.Args[i]));
                return r.Kind == InfoRefKind.None ? new(InfoRefKind.Mixed, false, 0) : r;
            }
            default:
                return new(InfoRefKind.Mixed, false, 0);
        }
    }

    private InfoReference SelectorReference(VectorSelector vs)
    {
        long offset = Duration(vs.Offset);
        return vs.At != AtKind.None
            ? new(InfoRefKind.Uniform, true, AtTime(vs.At, vs.AtMs) - offset)
            : new(InfoRefKind.Uniform, false, offset);
    }

    private static InfoReference Combine(InfoReference a, InfoReference b)
    {
        if (a.Kind == InfoRefKind.None) return b;
        if (b.Kind == InfoRefKind.None) return a;
        return a == b ? a : new(InfoRefKind.Mixed, false, 0);
    }

    /// <summary>
    /// Output rows keyed by label set and name-drop flag: enrichment can change a series' labels from
    /// step to step, and two inputs can end up with the same labels (an error only at a shared step).
    /// </summary>
    private sealed class InfoOutput(int steps, int capacity)
    {
        private readonly Dictionary<(LabelSet, bool), StepSeries> _index = new(capacity);

        public List<StepSeries> Rows { get; } = new(capacity);

        public StepSeries Get(LabelSet labels, bool dropName)
        {
            if (_index.TryGetValue((labels, dropName), out var s)) return s;
            s = new StepSeries(labels, steps, dropName);
            _index.Add((labels, dropName), s);
            Rows.Add(s);
            return s;
        }

        public void Set(StepSeries s, int k, double v)
        {
            if (s.Present[k]) throw new QueryException(ErrorType.Execution, "vector cannot contain metrics with the same labelset");
            s.Present[k] = true;
            s.Values[k] = v;
        }

        /// <summary>An unenriched series: reused as is unless an earlier row already has its labels.</summary>
        public void PassThrough(StepSeries b)
        {
            if (_index.TryAdd((b.Labels, b.DropName), b))
            {
                Rows.Add(b);
                return;
            }
            var into = _index[(b.Labels, b.DropName)];
            for (int k = 0; k < steps; k++)
            {
                if (b.Present[k]) Set(into, k, b.Values[k]);
            }
        }
    }
}
