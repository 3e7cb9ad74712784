using Strata.Query.Engine.Functions;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

internal sealed partial class Evaluator
{
    /// <summary>
    /// Aggregations: series are grouped once (labels do not change across steps), then each group is
    /// reduced over all steps with per-step accumulators, one pass per member series.
    /// </summary>
    private List<StepSeries> EvalAggregate(AggregateExpr a)
    {
        double[]? param = null;
        string? label = null;
        if (a.Op == AggregateOp.CountValues) label = EvalString(a.Param!);
        else if (a.Param != null) param = EvalScalar(a.Param);
        var input = EvalVector(a.Inner);

        // Groups in order of first appearance (Prometheus's output order for instant queries).
        var groupIndex = new Dictionary<LabelSet, int>();
        var groups = new List<(LabelSet Key, List<StepSeries> Members)>();
        foreach (var s in input)
        {
            var key = LabelOps.Grouping(s.Labels, a.Without, a.Grouping);
            if (!groupIndex.TryGetValue(key, out int g))
            {
                g = groups.Count;
                groupIndex.Add(key, g);
                groups.Add((key, []));
            }
            groups[g].Members.Add(s);
        }

        switch (a.Op)
        {
            case AggregateOp.Topk:
            case AggregateOp.Bottomk:
            case AggregateOp.LimitK:
                return SelectK(a, groups, param!);
            case AggregateOp.LimitRatio:
                return LimitRatio(a, input, param!);
            case AggregateOp.CountValues:
                return CountValues(a, groups, label!);
            case AggregateOp.Quantile:
                for (int k = 0; k < _steps; k++)
                {
                    double q = param![k];
                    if (double.IsNaN(q) || q < 0 || q > 1)
                        _frame.Annotate(AnnotationLevel.Warning, $"quantile value should be between 0 and 1, got {GoValue(q)}", a.Param!);
                }
                break;
        }

        var result = new List<StepSeries>(groups.Count);
        foreach (var (key, members) in groups)
        {
            var output = new StepSeries(key, _steps, dropName: false);
            switch (a.Op)
            {
                case AggregateOp.Sum: Sum(members, output); break;
                case AggregateOp.Avg: Avg(members, output); break;
                case AggregateOp.Count: Count(members, output, group: false); break;
                case AggregateOp.Group: Count(members, output, group: true); break;
                case AggregateOp.Min: MinMax(members, output, max: false); break;
                case AggregateOp.Max: MinMax(members, output, max: true); break;
                case AggregateOp.Stddev: Variance(members, output, sqrt: true); break;
                case AggregateOp.Stdvar: Variance(members, output, sqrt: false); break;
                case AggregateOp.Quantile: QuantileOf(members, output, param!); break;
                default: throw new QueryException(ErrorType.Internal, $"aggregation {a.Op} not handled");
            }
            if (output.Any()) result.Add(output);
        }
        return result;
    }

    private void Sum(List<StepSeries> members, StepSeries output)
    {
        var sum = output.Values;
        var present = output.Present;
        var c = new double[_steps];
        foreach (var s in members)
        {
            var v = s.Values;
            var p = s.Present;
            for (int k = 0; k < sum.Length; k++)
            {
                if (!p[k]) continue;
                if (!present[k])
                {
                    present[k] = true;
                    sum[k] = v[k];
                    continue;
                }
                (sum[k], c[k]) = KahanSum.Inc(v[k], sum[k], c[k]);
            }
        }
        for (int k = 0; k < sum.Length; k++)
        {
            // Adding a zero compensation would turn an infinite sum into NaN in some orders; Prometheus skips it too.
            if (present[k] && !double.IsInfinity(sum[k])) sum[k] += c[k];
        }
    }

    /// <summary>
    /// Prometheus's mean: a Kahan-compensated sum divided at the end while it stays finite, switching
    /// to an incremental mean once the sum would overflow.
    /// </summary>
    private void Avg(List<StepSeries> members, StepSeries output)
    {
        var present = output.Present;
        var sum = new double[_steps];
        var c = new double[_steps];
        var mean = new double[_steps];
        var count = new double[_steps];
        var incremental = new bool[_steps];
        foreach (var s in members)
        {
            var v = s.Values;
            var p = s.Present;
            for (int k = 0; k < _steps; k++)
            {
                if (!p[k]) continue;
                double f = v[k];
                if (!present[k])
                {
                    present[k] = true;
                    sum[k] = f;
                    count[k] = 1;
                    continue;
                }
                count[k]++;
                if (!incremental[k])
                {
                    var (ns, nc) = KahanSum.Inc(f, sum[k], c[k]);
                    if (!double.IsInfinity(ns))
                    {
                        sum[k] = ns;
                        c[k] = nc;
                        continue;
                    }
                    incremental[k] = true;
                    mean[k] = sum[k] / (count[k] - 1);
                    c[k] /= count[k] - 1;
                }
                if (double.IsInfinity(mean[k]))
                {
                    if (double.IsInfinity(f) && (mean[k] > 0) == (f > 0)) continue;
                    if (!double.IsInfinity(f) && !double.IsNaN(f)) continue;
                }
                double q = (count[k] - 1) / count[k];
                (mean[k], c[k]) = KahanSum.Inc(f / count[k], q * mean[k], q * c[k]);
            }
        }
        var outV = output.Values;
        for (int k = 0; k < _steps; k++)
        {
            if (!present[k]) continue;
            if (incremental[k]) outV[k] = mean[k] + c[k];
            else outV[k] = (double.IsInfinity(sum[k]) ? sum[k] : sum[k] + c[k]) / count[k];
        }
    }

    private void Count(List<StepSeries> members, StepSeries output, bool group)
    {
        var v = output.Values;
        var present = output.Present;
        foreach (var s in members)
        {
            var p = s.Present;
            for (int k = 0; k < _steps; k++)
            {
                if (!p[k]) continue;
                present[k] = true;
                v[k] = group ? 1 : v[k] + 1;
            }
        }
    }

    private void MinMax(List<StepSeries> members, StepSeries output, bool max)
    {
        var outV = output.Values;
        var present = output.Present;
        foreach (var s in members)
        {
            var v = s.Values;
            var p = s.Present;
            for (int k = 0; k < _steps; k++)
            {
                if (!p[k]) continue;
                double f = v[k];
                if (!present[k])
                {
                    present[k] = true;
                    outV[k] = f;
                }
                else if ((max ? outV[k] < f : outV[k] > f) || double.IsNaN(outV[k]))
                {
                    // A NaN loses to any number: it is replaced by the next value.
                    outV[k] = f;
                }
            }
        }
    }

    /// <summary>Population variance per step with Welford's update.</summary>
    private void Variance(List<StepSeries> members, StepSeries output, bool sqrt)
    {
        var present = output.Present;
        var count = new double[_steps];
        var mean = new double[_steps];
        var m2 = new double[_steps];
        foreach (var s in members)
        {
            var v = s.Values;
            var p = s.Present;
            for (int k = 0; k < _steps; k++)
            {
                if (!p[k]) continue;
                double f = v[k];
                if (!present[k])
                {
                    present[k] = true;
                    count[k] = 1;
                    mean[k] = f;
                    m2[k] = 0;
                    continue;
                }
                count[k]++;
                double delta = f - mean[k];
                mean[k] += delta / count[k];
                m2[k] += delta * (f - mean[k]);
            }
        }
        var outV = output.Values;
        for (int k = 0; k < _steps; k++)
        {
            if (!present[k]) continue;
            double variance = m2[k] / count[k];
            outV[k] = sqrt ? Math.Sqrt(variance) : variance;
        }
    }

    private void QuantileOf(List<StepSeries> members, StepSeries output, double[] phi)
    {
        var buffer = new double[members.Count];
        for (int k = 0; k < _steps; k++)
        {
            int n = 0;
            foreach (var s in members)
            {
                if (s.Present[k]) buffer[n++] = s.Values[k];
            }
            if (n == 0) continue;
            output.Present[k] = true;
            output.Values[k] = Quantile.Of(phi[k], buffer.AsSpan(0, n));
        }
    }

    /// <summary>
    /// <c>topk</c>, <c>bottomk</c>, <c>limitk</c>: per group and step, the selected input series keep
    /// their labels and value. Members are walked one at a time over all steps (sequential memory),
    /// each step keeping its current best k member indices ordered best first, so a value that does
    /// not beat a full step's worst costs one comparison. For an instant query the output is ordered
    /// as Prometheus orders it (per group, best first); range results are sorted by labels later.
    /// </summary>
    private List<StepSeries> SelectK(AggregateExpr a, List<(LabelSet Key, List<StepSeries> Members)> groups, double[] param)
    {
        bool top = a.Op == AggregateOp.Topk;
        bool limit = a.Op == AggregateOp.LimitK;
        var want = new int[_steps];
        int maxWant = 0;
        for (int k = 0; k < _steps; k++)
        {
            double pk = param[k];
            if (double.IsNaN(pk) || pk > long.MaxValue || pk < long.MinValue)
                throw new QueryException(ErrorType.Execution, $"Scalar value {GoValue(pk)} overflows int64");
            want[k] = (int)Math.Clamp((long)pk, 0, int.MaxValue);
        }
        var ordered = new List<StepSeries>();
        foreach (var (_, members) in groups)
        {
            maxWant = 0;
            for (int k = 0; k < _steps; k++) maxWant = Math.Max(maxWant, Math.Min(want[k], members.Count));
            if (maxWant == 0) continue;
            // chosen[k * maxWant + j], j < count[k]: member indices for step k, best first.
            var chosen = new int[_steps * maxWant];
            var count = new int[_steps];
            for (int i = 0; i < members.Count; i++)
            {
                var s = members[i];
                var p = s.Present;
                var v = s.Values;
                for (int k = 0; k < _steps; k++)
                {
                    if (!p[k]) continue;
                    int cap = Math.Min(want[k], members.Count);
                    int n = count[k];
                    int at = k * maxWant;
                    if (limit)
                    {
                        if (n < cap) chosen[at + count[k]++] = i;
                        continue;
                    }
                    double f = v[k];
                    int pos;
                    if (n < cap)
                    {
                        pos = n;
                        count[k] = n + 1;
                    }
                    else if (cap > 0 && Better(f, members[chosen[at + n - 1]].Values[k], top))
                    {
                        pos = n - 1;
                    }
                    else
                    {
                        continue;
                    }
                    // Insert at pos and move up past worse entries (ties keep the earlier member first).
                    while (pos > 0 && Better(f, members[chosen[at + pos - 1]].Values[k], top))
                    {
                        chosen[at + pos] = chosen[at + pos - 1];
                        pos--;
                    }
                    chosen[at + pos] = i;
                }
            }
            // Output rows in the order an instant query shows them: by rank at the (first) step.
            var rows = new StepSeries?[members.Count];
            for (int k = 0; k < _steps; k++)
            {
                int at = k * maxWant;
                for (int j = 0; j < count[k]; j++)
                {
                    int m = chosen[at + j];
                    var src = members[m];
                    if (rows[m] == null)
                    {
                        rows[m] = new StepSeries(src.Labels, _steps, src.DropName);
                        ordered.Add(rows[m]!);
                    }
                    rows[m]!.Present[k] = true;
                    rows[m]!.Values[k] = src.Values[k];
                }
            }
        }
        return ordered;
    }

    // NaN is never better than a number; ties keep the earlier series.
    private static bool Better(double f, double than, bool top) =>
        (top ? f > than : f < than) || (double.IsNaN(than) && !double.IsNaN(f));

    /// <summary>
    /// <c>limit_ratio(r, v)</c>: a series is kept when its label hash, mapped to [0, 1), is below r
    /// (or, for negative r, at least 1 + r), so r and r - 1 split a vector into complementary parts.
    /// </summary>
    private List<StepSeries> LimitRatio(AggregateExpr a, List<StepSeries> input, double[] param)
    {
        var result = new List<StepSeries>();
        var offsets = new double[input.Count];
        for (int i = 0; i < input.Count; i++) offsets[i] = LabelHash.Offset(input[i].Labels);
        var outputs = new StepSeries?[input.Count];
        for (int k = 0; k < _steps; k++)
        {
            double r = param[k];
            if (double.IsNaN(r)) throw new QueryException(ErrorType.Execution, $"Ratio value {GoValue(r)} is NaN");
            if (r == 0) continue;
            if (r < -1 || r > 1)
            {
                double clamped = r < -1 ? -1 : 1;
                _frame.Annotate(AnnotationLevel.Warning, $"ratio value should be between -1 and 1, got {GoValue(r)}, capping to {GoValue(clamped)}", a.Param!);
                r = clamped;
            }
            for (int i = 0; i < input.Count; i++)
            {
                var s = input[i];
                if (!s.Present[k]) continue;
                bool keep = (r >= 0 && offsets[i] < r) || (r < 0 && offsets[i] >= 1 + r);
                if (!keep) continue;
                if (outputs[i] == null)
                {
                    outputs[i] = new StepSeries(s.Labels, _steps, s.DropName);
                    result.Add(outputs[i]!);
                }
                outputs[i]!.Present[k] = true;
                outputs[i]!.Values[k] = s.Values[k];
            }
        }
        return result;
    }

    private List<StepSeries> CountValues(AggregateExpr a, List<(LabelSet Key, List<StepSeries> Members)> groups, string label)
    {
        if (label.Length == 0) throw new QueryException(ErrorType.Execution, $"invalid label name \"{label}\"");
        var outputs = new Dictionary<LabelSet, StepSeries>();
        var order = new List<StepSeries>();
        foreach (var (key, members) in groups)
        {
            foreach (var s in members)
            {
                for (int k = 0; k < _steps; k++)
                {
                    if (!s.Present[k]) continue;
                    var labels = LabelOps.Set(key, label, GoFormat(s.Values[k]));
                    if (!outputs.TryGetValue(labels, out var o))
                    {
                        o = new StepSeries(labels, _steps, dropName: false);
                        outputs.Add(labels, o);
                        order.Add(o);
                    }
                    o.Present[k] = true;
                    o.Values[k] += 1;
                }
            }
        }
        return order;
    }

    /// <summary>Go's <c>strconv.FormatFloat(f, 'f', -1, 64)</c> (count_values labels).</summary>
    internal static string GoFormat(double f) => GoText.FormatFloat(f);

    /// <summary>Go's <c>%v</c> for floats, as Prometheus's messages print them.</summary>
    internal static string GoValue(double f) => GoText.FormatG(f);
}
