using System.Numerics.Tensors;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

internal sealed partial class Evaluator
{
    private static bool IsComparison(BinaryOp op) => op is BinaryOp.Eql or BinaryOp.Neq or BinaryOp.Gtr or BinaryOp.Lss or BinaryOp.Gte or BinaryOp.Lte;

    private static bool IsSetOp(BinaryOp op) => op is BinaryOp.And or BinaryOp.Or or BinaryOp.Unless;

    /// <summary>One element of an arithmetic or comparison operation; a comparison keeps the left value when true.</summary>
    private static double ElemBinop(BinaryOp op, double l, double r, out bool keep)
    {
        keep = true;
        switch (op)
        {
            case BinaryOp.Add: return l + r;
            case BinaryOp.Sub: return l - r;
            case BinaryOp.Mul: return l * r;
            case BinaryOp.Div: return l / r;
            case BinaryOp.Mod: return l % r;
            case BinaryOp.Pow: return Math.Pow(l, r);
            case BinaryOp.Atan2: return Math.Atan2(l, r);
            case BinaryOp.Eql: keep = l == r; return l;
            case BinaryOp.Neq: keep = l != r; return l;
            case BinaryOp.Gtr: keep = l > r; return l;
            case BinaryOp.Lss: keep = l < r; return l;
            case BinaryOp.Gte: keep = l >= r; return l;
            case BinaryOp.Lte: keep = l <= r; return l;
            default: throw new QueryException(ErrorType.BadData, $"operator \"{op}\" not allowed for float samples");
        }
    }

    private List<StepSeries> EvalBinary(BinaryExpr b)
    {
        if (b.Op is BinaryOp.TrimUpper or BinaryOp.TrimLower)
            throw new QueryException(ErrorType.BadData, "trim operators apply to native histograms, which are not supported yet");
        if (b.Lhs.Kind == ValueKind.Scalar) return VectorScalar(b, EvalVector(b.Rhs), EvalScalar(b.Lhs), scalarLeft: true);
        if (b.Rhs.Kind == ValueKind.Scalar) return VectorScalar(b, EvalVector(b.Lhs), EvalScalar(b.Rhs), scalarLeft: false);
        var matching = b.Matching ?? new VectorMatching { Card = IsSetOp(b.Op) ? MatchCardinality.ManyToMany : MatchCardinality.OneToOne };
        var lhs = EvalVector(b.Lhs);
        var rhs = EvalVector(b.Rhs);
        return b.Op switch
        {
            BinaryOp.And => AndUnless(lhs, rhs, matching, keepMatched: true),
            BinaryOp.Unless => AndUnless(lhs, rhs, matching, keepMatched: false),
            BinaryOp.Or => Or(lhs, rhs, matching),
            _ => VectorVector(b, lhs, rhs, matching),
        };
    }

    /// <summary>
    /// <c>vector op scalar</c> (or reversed) over all steps. Arithmetic runs as one tensor operation per
    /// series; comparisons filter and always keep the vector's value.
    /// </summary>
    private List<StepSeries> VectorScalar(BinaryExpr b, List<StepSeries> vec, double[] scalar, bool scalarLeft)
    {
        bool comparison = IsComparison(b.Op);
        var result = new List<StepSeries>(vec.Count);
        foreach (var s in vec)
        {
            var v = s.Values;
            var p = s.Present;
            if (!comparison && TryTensorOp(b.Op, v, scalar, scalarLeft))
            {
                // done in place
            }
            else
            {
                for (int k = 0; k < v.Length; k++)
                {
                    if (!p[k]) continue;
                    double l = scalarLeft ? scalar[k] : v[k];
                    double r = scalarLeft ? v[k] : scalar[k];
                    double value = ElemBinop(b.Op, l, r, out bool keep);
                    if (comparison && scalarLeft) value = v[k];
                    if (b.ReturnBool)
                    {
                        value = keep ? 1 : 0;
                        keep = true;
                    }
                    v[k] = value;
                    if (!keep) p[k] = false;
                }
            }
            if (!comparison || b.ReturnBool) s.DropName = true;
            if (comparison && !b.ReturnBool && !s.Any()) continue;
            result.Add(s);
        }
        return result;
    }

    private static bool TryTensorOp(BinaryOp op, double[] v, double[] scalar, bool scalarLeft)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(v, scalar, v); return true;
            case BinaryOp.Mul: TensorPrimitives.Multiply(v, scalar, v); return true;
            case BinaryOp.Sub:
                if (scalarLeft) TensorPrimitives.Subtract(scalar, v, v);
                else TensorPrimitives.Subtract(v, scalar, v);
                return true;
            case BinaryOp.Div:
                if (scalarLeft) TensorPrimitives.Divide(scalar, v, v);
                else TensorPrimitives.Divide(v, scalar, v);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>and</c> keeps left series at steps where some right series with the same signature is
    /// present; <c>unless</c> keeps them where none is.
    /// </summary>
    private List<StepSeries> AndUnless(List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching m, bool keepMatched)
    {
        var rightAny = PresenceBySignature(rhs, m);
        var result = new List<StepSeries>(lhs.Count);
        foreach (var s in lhs)
        {
            rightAny.TryGetValue(LabelOps.Signature(s.Labels, m.On, m.MatchingLabels), out var any);
            var p = s.Present;
            for (int k = 0; k < p.Length; k++)
            {
                bool matched = any != null && any[k];
                if (matched != keepMatched) p[k] = false;
            }
            if (s.Any()) result.Add(s);
        }
        return result;
    }

    /// <summary><c>or</c>: every left series, plus right series at steps where no left series shares their signature.</summary>
    private List<StepSeries> Or(List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching m)
    {
        var leftAny = PresenceBySignature(lhs, m);
        var result = new List<StepSeries>(lhs.Count + rhs.Count);
        result.AddRange(lhs);
        foreach (var s in rhs)
        {
            if (leftAny.TryGetValue(LabelOps.Signature(s.Labels, m.On, m.MatchingLabels), out var any))
            {
                var p = s.Present;
                for (int k = 0; k < p.Length; k++)
                {
                    if (any[k]) p[k] = false;
                }
                if (!s.Any()) continue;
            }
            result.Add(s);
        }
        return MergeSameLabels(result);
    }

    private Dictionary<string, bool[]> PresenceBySignature(List<StepSeries> side, VectorMatching m)
    {
        var map = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        foreach (var s in side)
        {
            string sig = LabelOps.Signature(s.Labels, m.On, m.MatchingLabels);
            if (!map.TryGetValue(sig, out var any)) map[sig] = any = new bool[_steps];
            for (int k = 0; k < any.Length; k++) any[k] |= s.Present[k];
        }
        return map;
    }

    /// <summary>
    /// Arithmetic and comparisons between two vectors with one-to-one, many-to-one (<c>group_left</c>)
    /// or one-to-many (<c>group_right</c>) matching. The "one" side is indexed per signature and per
    /// step; each "many" series then walks its steps once. Errors follow Prometheus: duplicates on the
    /// "one" side, and several "many" series meeting the same match where that is not allowed.
    /// </summary>
    private List<StepSeries> VectorVector(BinaryExpr b, List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching m)
    {
        bool swap = m.Card == MatchCardinality.OneToMany;
        var many = swap ? rhs : lhs;
        var one = swap ? lhs : rhs;
        bool comparison = IsComparison(b.Op);
        bool dropName = !comparison || b.ReturnBool;
        // Fill values are written per real side: FillLeft stands in for a missing left operand.
        // (Prometheus applies fill_left to a missing "many" side and fill_right to a missing "one" side, also for group_right.)
        double? fillMany = m.FillLeft;
        double? fillOne = m.FillRight;

        var manyAny = new bool[_steps];
        foreach (var s in many)
        {
            for (int k = 0; k < _steps; k++) manyAny[k] |= s.Present[k];
        }

        // owner[k] = index into `one` of the series present at step k for this signature, or -1.
        var owners = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (int i = 0; i < one.Count; i++)
        {
            var s = one[i];
            string sig = LabelOps.Signature(s.Labels, m.On, m.MatchingLabels);
            if (!owners.TryGetValue(sig, out var owner))
            {
                owner = new int[_steps];
                Array.Fill(owner, -1);
                owners[sig] = owner;
            }
            for (int k = 0; k < _steps; k++)
            {
                if (!s.Present[k]) continue;
                if (owner[k] >= 0 && (manyAny[k] || fillMany != null))
                {
                    // The pair is reported in label order so the message is stable.
                    var (x, y) = (one[owner[k]].VisibleLabels(), s.VisibleLabels());
                    if (x.CompareTo(y) > 0) (x, y) = (y, x);
                    throw new QueryException(ErrorType.Execution,
                        $"found duplicate series for the match group {LabelOps.Format(LabelOps.MatchLabels(s.Labels, m.On, m.MatchingLabels))} on the {(swap ? "left" : "right")} hand-side of the operation: [{LabelOps.Format(x)}, {LabelOps.Format(y)}];many-to-many matching not allowed: matching labels must be unique on one side");
                }
                owner[k] = i;
            }
        }

        var outputs = new Dictionary<(LabelSet, bool), StepSeries>();
        var order = new List<StepSeries>();
        // Per signature and step: whether a "many" series already matched (one-to-one needs explicit grouping otherwise).
        var matched = new Dictionary<string, bool[]>(StringComparer.Ordinal);

        foreach (var s in many)
        {
            string sig = LabelOps.Signature(s.Labels, m.On, m.MatchingLabels);
            owners.TryGetValue(sig, out var owner);
            if (owner == null && fillOne == null) continue;
            if (!matched.TryGetValue(sig, out var used)) matched[sig] = used = new bool[_steps];
            int prevOwner = int.MinValue;
            StepSeries? target = null;
            for (int k = 0; k < _steps; k++)
            {
                if (!s.Present[k]) continue;
                int o = owner == null ? -1 : owner[k];
                double oneValue;
                if (o >= 0) oneValue = one[o].Values[k];
                else if (fillOne is { } f) oneValue = f;
                else continue;
                double l = swap ? oneValue : s.Values[k];
                double r = swap ? s.Values[k] : oneValue;
                double value = ElemBinop(b.Op, l, r, out bool keep);
                // One-to-one matches are counted before comparisons filter, so a filtered duplicate still fails.
                if (m.Card == MatchCardinality.OneToOne && o >= 0)
                {
                    if (used[k]) throw new QueryException(ErrorType.Execution, "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                    used[k] = true;
                }
                if (b.ReturnBool)
                {
                    value = keep ? 1 : 0;
                    keep = true;
                }
                if (!keep) continue;
                if (o != prevOwner || target == null)
                {
                    prevOwner = o;
                    var labels = ResultLabels(s.Labels, o >= 0 ? one[o].Labels : null, m);
                    target = Output(outputs, order, labels, dropName || s.DropName && comparison);
                }
                if (target.Present[k])
                {
                    throw new QueryException(ErrorType.Execution, m.Card == MatchCardinality.OneToOne
                        ? "vector cannot contain metrics with the same labelset"
                        : "multiple matches for labels: grouping labels must ensure unique matches");
                }
                target.Present[k] = true;
                target.Values[k] = value;
            }
        }

        if (fillMany is { } fm)
        {
            // The "one" side's series whose signature has no "many" series at a step get a synthetic partner.
            var manyBySig = PresenceBySignature(many, m);
            foreach (var s in one)
            {
                string sig = LabelOps.Signature(s.Labels, m.On, m.MatchingLabels);
                manyBySig.TryGetValue(sig, out var any);
                var labelsMany = LabelOps.MatchLabels(s.Labels, m.On, m.MatchingLabels);
                StepSeries? target = null;
                for (int k = 0; k < _steps; k++)
                {
                    if (!s.Present[k] || (any != null && any[k])) continue;
                    double l = swap ? s.Values[k] : fm;
                    double r = swap ? fm : s.Values[k];
                    double value = ElemBinop(b.Op, l, r, out bool keep);
                    if (comparison && !b.ReturnBool) value = fm;
                    if (b.ReturnBool)
                    {
                        value = keep ? 1 : 0;
                        keep = true;
                    }
                    if (!keep) continue;
                    target ??= Output(outputs, order, ResultLabels(labelsMany, s.Labels, m), dropName);
                    if (target.Present[k]) throw new QueryException(ErrorType.Execution, "vector cannot contain metrics with the same labelset");
                    target.Present[k] = true;
                    target.Values[k] = value;
                }
            }
        }
        return order;
    }

    private StepSeries Output(Dictionary<(LabelSet, bool), StepSeries> outputs, List<StepSeries> order, LabelSet labels, bool dropName)
    {
        if (!outputs.TryGetValue((labels, dropName), out var t))
        {
            t = new StepSeries(labels, _steps, dropName);
            outputs.Add((labels, dropName), t);
            order.Add(t);
        }
        return t;
    }

    /// <summary>
    /// Labels of a vector-matching result: the "many" side's labels, reduced to the <c>on</c> labels
    /// (or without the <c>ignoring</c> ones) for one-to-one matching, plus <c>group_x</c> extra labels
    /// copied from the "one" side. The metric name is dropped later (delayed name removal).
    /// </summary>
    private static LabelSet ResultLabels(LabelSet many, LabelSet? one, VectorMatching m)
    {
        var ls = many;
        if (m.Card == MatchCardinality.OneToOne)
            ls = m.On ? LabelOps.Keep(ls, m.MatchingLabels) : LabelOps.Drop(ls, m.MatchingLabels, dropName: false);
        foreach (string name in m.Include)
            ls = LabelOps.Set(ls, name, one?.Get(name) ?? "");
        return ls;
    }
}
