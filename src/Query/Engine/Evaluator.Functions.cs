using Strata.Query.Engine.Functions;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>A range-function kernel: one series, one window <c>(rangeStart, rangeEnd]</c>, samples already cut to it.</summary>
internal delegate bool WindowKernel(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long rangeStart, long rangeEnd, out double result);

internal sealed partial class Evaluator
{
    private double[] CallScalar(CallExpr c)
    {
        switch (c.Function.Name)
        {
            case "time":
            {
                var v = new double[_steps];
                for (int k = 0; k < _steps; k++) v[k] = T(k) / 1000.0;
                return v;
            }
            case "pi": return Fill(Math.PI);
            case "start": return Fill(_frame.Start / 1000.0);
            case "end": return Fill(_frame.End / 1000.0);
            case "step": return Fill(_frame.Step / 1000.0);
            case "range": return Fill((_frame.End - _frame.Start) / 1000.0);
            case "min_of":
            case "max_of":
            {
                var a = EvalScalar(c.Args[0]);
                var b = EvalScalar(c.Args[1]);
                for (int k = 0; k < _steps; k++) a[k] = c.Function.Name == "min_of" ? Math.Min(a[k], b[k]) : Math.Max(a[k], b[k]);
                return a;
            }
            case "scalar":
            {
                // The single element's value, or NaN when the vector has zero or several elements at that step.
                var vec = EvalVector(c.Args[0]);
                var v = new double[_steps];
                var n = new int[_steps];
                foreach (var s in vec)
                {
                    for (int k = 0; k < _steps; k++)
                    {
                        if (!s.Present[k]) continue;
                        n[k]++;
                        v[k] = s.Values[k];
                    }
                }
                for (int k = 0; k < _steps; k++)
                {
                    if (n[k] != 1) v[k] = double.NaN;
                }
                return v;
            }
            default:
                throw new QueryException(ErrorType.BadData, $"function \"{c.Function.Name}\" is not supported");
        }
    }

    private List<StepSeries> CallVector(CallExpr c)
    {
        string name = c.Function.Name;
        switch (name)
        {
            case "rate": return CounterFunction(c, EvalRange(c.Args[0]), isRate: true);
            case "increase": return CounterFunction(c, EvalRange(c.Args[0]), isRate: false);
            case "delta": return RangeFunction(c, EvalRange(c.Args[0]), RangeFunctions.Delta, dropName: true);
            case "irate": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.Irate(ts, vs, out r), dropName: true);
            case "idelta": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.Idelta(ts, vs, out r), dropName: true);
            case "deriv": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.Deriv(ts, vs, out r), dropName: true);
            case "resets": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.Resets(ts, vs, out r), dropName: true);
            case "changes": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.Changes(ts, vs, out r), dropName: true);
            case "avg_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (_, vs, _, _, out r) => RangeFunctions.AvgOverTime(vs, out r), dropName: true);
            case "sum_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (_, vs, _, _, out r) => RangeFunctions.SumOverTime(vs, out r), dropName: true);
            case "min_over_time": return SlidingExtremum(EvalRange(c.Args[0]), max: false);
            case "max_over_time": return SlidingExtremum(EvalRange(c.Args[0]), max: true);
            case "count_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (_, vs, _, _, out r) => RangeFunctions.CountOverTime(vs, out r), dropName: true);
            case "stddev_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (_, vs, _, _, out r) => RangeFunctions.StddevOverTime(vs, out r), dropName: true);
            case "stdvar_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (_, vs, _, _, out r) => RangeFunctions.StdvarOverTime(vs, out r), dropName: true);
            case "present_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (_, vs, _, _, out r) => RangeFunctions.PresentOverTime(vs, out r), dropName: true);
            case "last_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.LastOverTime(ts, vs, out r), dropName: false);
            case "first_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.FirstOverTime(ts, vs, out r), dropName: false);
            case "ts_of_min_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.TsOfMinOverTime(ts, vs, out r), dropName: true);
            case "ts_of_max_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.TsOfMaxOverTime(ts, vs, out r), dropName: true);
            case "ts_of_last_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.TsOfLastOverTime(ts, vs, out r), dropName: true);
            case "ts_of_first_over_time": return RangeFunction(c, EvalRange(c.Args[0]), static (ts, vs, _, _, out r) => RangeFunctions.TsOfFirstOverTime(ts, vs, out r), dropName: true);
            case "mad_over_time": return MadOverTime(c);
            case "quantile_over_time": return QuantileOverTime(c);
            case "predict_linear": return PredictLinear(c);
            case "double_exponential_smoothing": return Smoothing(c);
            case "absent_over_time": return AbsentOverTime(c);
            case "absent": return Absent(c);
            case "info": return Info(c);
            case "vector":
            {
                var v = EvalScalar(c.Args[0]);
                var present = new bool[_steps];
                Array.Fill(present, true);
                return [new StepSeries(LabelSet.Empty, v, present, dropName: false)];
            }
            case "timestamp": return Timestamp(c);
            case "label_replace": return LabelReplace(c);
            case "label_join": return LabelJoin(c);
            case "sort":
            case "sort_desc":
            case "sort_by_label":
            case "sort_by_label_desc":
                return Sort(c);
            case "histogram_quantile": return HistogramQuantile(c);
            case "histogram_count":
            case "histogram_sum":
            case "histogram_avg":
            case "histogram_stddev":
            case "histogram_stdvar":
            case "histogram_fraction":
                // These read native histograms only; float samples produce no output.
                foreach (var a in c.Args)
                {
                    if (a.Kind == ValueKind.Vector) EvalVector(a);
                }
                return [];
            case "clamp": return Clamp(c, EvalScalar(c.Args[1]), EvalScalar(c.Args[2]));
            case "clamp_min": return Clamp(c, EvalScalar(c.Args[1]), null);
            case "clamp_max": return Clamp(c, null, EvalScalar(c.Args[1]));
            case "round": return Round(c);
            case "day_of_month":
            case "day_of_week":
            case "day_of_year":
            case "days_in_month":
            case "hour":
            case "minute":
            case "month":
            case "year":
                return Calendar(c);
            default:
            {
                if (c.Args.Count == 1 && c.Args[0].Kind == ValueKind.Vector && MathFunctions.IsElementwise(name))
                {
                    var vec = EvalVector(c.Args[0]);
                    foreach (var s in vec)
                    {
                        MathFunctions.Apply(name, s.Values);
                        s.DropName = true;
                    }
                    return vec;
                }
                throw new QueryException(ErrorType.BadData, $"function \"{name}\" is not supported");
            }
        }
    }

    /// <summary>
    /// Drives a window kernel over every series and step. Windows only move forward as steps
    /// advance, so each series is walked once with two indices (first sample in the window, first past it).
    /// </summary>
    private List<StepSeries> RangeFunction(CallExpr c, RangeInput input, WindowKernel kernel, bool dropName, bool counterCheck = false)
    {
        var result = new List<StepSeries>(input.Count);
        foreach (var s in input.Series())
        {
            Ctx.CheckCancelled();
            var output = new StepSeries(s.Labels, _steps, dropName || s.DropName);
            var ts = s.T.AsSpan(0, s.Count);
            var vs = s.V.AsSpan(0, s.Count);
            int lo = 0, hi = 0;
            bool any = false;
            for (int k = 0; k < _steps; k++)
            {
                long end = input.WindowEnd(T(k));
                long begin = end - input.Range;
                while (hi < ts.Length && ts[hi] <= end) hi++;
                while (lo < hi && ts[lo] <= begin) lo++;
                if (lo >= hi) continue;
                if (!kernel(ts[lo..hi], vs[lo..hi], begin, end, out double r)) continue;
                output.Values[k] = r;
                output.Present[k] = true;
                any = true;
            }
            if (!any) continue;
            if (counterCheck) CheckCounterName(s.Labels, c.Args[0]);
            result.Add(output);
        }
        return result;
    }

    /// <summary>
    /// <c>rate</c> and <c>increase</c>. Consecutive windows overlap almost entirely, so instead of
    /// scanning every window for counter drops, drops are counted once per series as a prefix sum;
    /// a window without one takes the scan-free kernel (same arithmetic, same result).
    /// </summary>
    private List<StepSeries> CounterFunction(CallExpr c, RangeInput input, bool isRate)
    {
        var result = new List<StepSeries>(input.Count);
        int[] drops = [];
        foreach (var s in input.Series())
        {
            Ctx.CheckCancelled();
            var ts = s.T.AsSpan(0, s.Count);
            var vs = s.V.AsSpan(0, s.Count);
            if (drops.Length < vs.Length) drops = new int[Math.Max(vs.Length, 256)];
            // drops[i] = number of i' ≤ i with vs[i'] < vs[i' - 1].
            int d = 0;
            for (int i = 0; i < vs.Length; i++)
            {
                if (i > 0 && vs[i] < vs[i - 1]) d++;
                drops[i] = d;
            }
            StepSeries? output = null;
            int lo = 0, hi = 0;
            for (int k = 0; k < _steps; k++)
            {
                long end = input.WindowEnd(T(k));
                long begin = end - input.Range;
                while (hi < ts.Length && ts[hi] <= end) hi++;
                while (lo < hi && ts[lo] <= begin) lo++;
                if (hi - lo < 2) continue;
                bool ok = drops[hi - 1] == drops[lo]
                    ? RangeFunctions.CounterWithoutResets(ts[lo..hi], vs[lo..hi], begin, end, isRate, out double r)
                    : isRate ? RangeFunctions.Rate(ts[lo..hi], vs[lo..hi], begin, end, out r) : RangeFunctions.Increase(ts[lo..hi], vs[lo..hi], begin, end, out r);
                if (!ok) continue;
                output ??= new StepSeries(s.Labels, _steps, dropName: true);
                output.Values[k] = r;
                output.Present[k] = true;
            }
            if (output == null) continue;
            CheckCounterName(s.Labels, c.Args[0]);
            result.Add(output);
        }
        return result;
    }

    /// <summary>
    /// <c>max_over_time</c> / <c>min_over_time</c> with a monotonic deque: windows only move
    /// forward, so each sample enters and leaves the deque once and a step costs O(1) instead of a
    /// scan of its window. The extremum is the same value either way; a series holding NaN takes
    /// the per-window kernel, which applies Prometheus's NaN rule.
    /// </summary>
    private List<StepSeries> SlidingExtremum(RangeInput input, bool max)
    {
        var result = new List<StepSeries>(input.Count);
        int[] dq = [];
        foreach (var s in input.Series())
        {
            Ctx.CheckCancelled();
            var ts = s.T.AsSpan(0, s.Count);
            var vs = s.V.AsSpan(0, s.Count);
            bool hasNaN = HasNaN(vs);
            if (dq.Length < vs.Length) dq = new int[Math.Max(vs.Length, 256)];
            StepSeries? output = null;
            int lo = 0, hi = 0, head = 0, tail = 0;
            for (int k = 0; k < _steps; k++)
            {
                long end = input.WindowEnd(T(k));
                long begin = end - input.Range;
                while (hi < ts.Length && ts[hi] <= end)
                {
                    if (!hasNaN)
                    {
                        double v = vs[hi];
                        while (tail > head && (max ? vs[dq[tail - 1]] <= v : vs[dq[tail - 1]] >= v)) tail--;
                        dq[tail++] = hi;
                    }
                    hi++;
                }
                while (lo < hi && ts[lo] <= begin) lo++;
                if (lo >= hi) continue;
                double r;
                if (hasNaN)
                {
                    if (!(max ? RangeFunctions.MaxOverTime(vs[lo..hi], out r) : RangeFunctions.MinOverTime(vs[lo..hi], out r))) continue;
                }
                else
                {
                    while (dq[head] < lo) head++;
                    r = vs[dq[head]];
                }
                output ??= new StepSeries(s.Labels, _steps, dropName: true);
                output.Values[k] = r;
                output.Present[k] = true;
            }
            if (output != null) result.Add(output);
        }
        return result;
    }

    private static bool HasNaN(ReadOnlySpan<double> vs)
    {
        foreach (double v in vs)
        {
            if (double.IsNaN(v)) return true;
        }
        return false;
    }

    private void CheckCounterName(LabelSet labels, Expr at)
    {
        string metric = labels.MetricNameOrEmpty;
        if (metric.EndsWith("_total", StringComparison.Ordinal) || metric.EndsWith("_sum", StringComparison.Ordinal) ||
            metric.EndsWith("_count", StringComparison.Ordinal) || metric.EndsWith("_bucket", StringComparison.Ordinal))
            return;
        _frame.Annotate(AnnotationLevel.Info, $"metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"{metric}\"", at);
    }

    private List<StepSeries> QuantileOverTime(CallExpr c)
    {
        var phi = EvalScalar(c.Args[0]);
        var input = EvalRange(c.Args[1]);
        foreach (double q in phi)
        {
            if (double.IsNaN(q) || q < 0 || q > 1)
                _frame.Annotate(AnnotationLevel.Warning, $"quantile value should be between 0 and 1, got {GoValue(q)}", c.Args[0]);
        }
        double[] scratch = [];
        return [.. WindowsPerStep(input, dropName: true, (vs, k) =>
        {
            if (scratch.Length < vs.Length) scratch = new double[vs.Length];
            return (RangeFunctions.QuantileOverTime(phi[k], vs, scratch, out double r), r);
        })];
    }

    private List<StepSeries> MadOverTime(CallExpr c)
    {
        var input = EvalRange(c.Args[0]);
        double[] scratch = [];
        return [.. WindowsPerStep(input, dropName: true, (vs, _) =>
        {
            if (scratch.Length < vs.Length) scratch = new double[vs.Length];
            return (RangeFunctions.MadOverTime(vs, scratch, out double r), r);
        })];
    }

    private List<StepSeries> Smoothing(CallExpr c)
    {
        var input = EvalRange(c.Args[0]);
        var sf = EvalScalar(c.Args[1]);
        var tf = EvalScalar(c.Args[2]);
        for (int k = 0; k < _steps; k++)
        {
            if (!(sf[k] > 0 && sf[k] < 1)) throw new QueryException(ErrorType.Execution, $"invalid smoothing factor. Expected: 0 < sf < 1, got: {GoValue(sf[k])}");
            if (!(tf[k] > 0 && tf[k] < 1)) throw new QueryException(ErrorType.Execution, $"invalid trend factor. Expected: 0 < tf < 1, got: {GoValue(tf[k])}");
        }
        return [.. WindowsPerStep(input, dropName: true, (vs, k) => (RangeFunctions.DoubleExponentialSmoothing(vs, sf[k], tf[k], out double r), r))];
    }

    private List<StepSeries> PredictLinear(CallExpr c)
    {
        var input = EvalRange(c.Args[0]);
        var duration = EvalScalar(c.Args[1]);
        var result = new List<StepSeries>(input.Count);
        foreach (var s in input.Series())
        {
            var output = new StepSeries(s.Labels, _steps, dropName: true);
            ForEachWindow(input, s, (ts, vs, k) =>
            {
                if (RangeFunctions.PredictLinear(ts, vs, T(k), duration[k], out double r))
                {
                    output.Values[k] = r;
                    output.Present[k] = true;
                }
            });
            if (output.Any()) result.Add(output);
        }
        return result;
    }

    private delegate (bool Ok, double Value) StepKernel(ReadOnlySpan<double> vs, int step);

    private delegate void WindowAction(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, int step);

    private IEnumerable<StepSeries> WindowsPerStep(RangeInput input, bool dropName, StepKernel kernel)
    {
        foreach (var s in input.Series())
        {
            var output = new StepSeries(s.Labels, _steps, dropName || s.DropName);
            ForEachWindow(input, s, (_, vs, k) =>
            {
                var (ok, r) = kernel(vs, k);
                if (!ok) return;
                output.Values[k] = r;
                output.Present[k] = true;
            });
            if (output.Any()) yield return output;
        }
    }

    /// <summary>Calls <paramref name="action"/> for every step whose window holds at least one sample.</summary>
    private void ForEachWindow(RangeInput input, RawSeries s, WindowAction action)
    {
        var ts = s.T.AsSpan(0, s.Count);
        var vs = s.V.AsSpan(0, s.Count);
        int lo = 0, hi = 0;
        for (int k = 0; k < _steps; k++)
        {
            long end = input.WindowEnd(T(k));
            long begin = end - input.Range;
            while (hi < ts.Length && ts[hi] <= end) hi++;
            while (lo < hi && ts[lo] <= begin) lo++;
            if (lo < hi) action(ts[lo..hi], vs[lo..hi], k);
        }
    }

    /// <summary><c>absent_over_time(m)</c>: 1 at steps where no series has a sample in the window.</summary>
    private List<StepSeries> AbsentOverTime(CallExpr c)
    {
        var input = EvalRange(c.Args[0]);
        var seen = new bool[_steps];
        foreach (var s in input.Series())
        {
            ForEachWindow(input, s, (_, _, k) => seen[k] = true);
        }
        var matchers = Unwrap(c.Args[0]) is MatrixSelector ms ? ms.Selector.Matchers : null;
        return AbsentResult(seen, matchers);
    }

    private List<StepSeries> Absent(CallExpr c)
    {
        var vec = EvalVector(c.Args[0]);
        var seen = new bool[_steps];
        foreach (var s in vec)
        {
            for (int k = 0; k < _steps; k++) seen[k] |= s.Present[k];
        }
        var matchers = Unwrap(c.Args[0]) is VectorSelector vs ? vs.Matchers : null;
        return AbsentResult(seen, matchers);
    }

    /// <summary>
    /// The series <c>absent</c> returns: labels from the selector's equality matchers (except the
    /// name, and except names matched more than once), value 1.
    /// </summary>
    private List<StepSeries> AbsentResult(bool[] seen, IReadOnlyList<Storage.Index.LabelMatcher>? matchers)
    {
        var output = new StepSeries(LabelSet.Empty, _steps, dropName: false);
        for (int k = 0; k < _steps; k++)
        {
            if (seen[k]) continue;
            output.Present[k] = true;
            output.Values[k] = 1;
        }
        if (!output.Any()) return [];
        if (matchers != null)
        {
            // Equality matchers give labels, except the name and any label named by more than one matcher.
            var labels = new List<Label>();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var m in matchers) counts[m.Name] = counts.GetValueOrDefault(m.Name) + 1;
            foreach (var m in matchers)
            {
                if (m.Name == LabelSet.MetricName || m.Type != Storage.Index.MatchType.Equal || counts[m.Name] > 1) continue;
                labels.Add(new Label(m.Name, m.Value));
            }
            output.Labels = LabelSet.From(labels);
        }
        return [output];
    }

    private List<StepSeries> Timestamp(CallExpr c)
    {
        if (Unwrap(c.Args[0]) is VectorSelector vs)
        {
            var vec = SelectVector(vs, keepSampleTimes: true);
            foreach (var s in vec)
            {
                for (int k = 0; k < _steps; k++) s.Values[k] = s.SampleTimes![k] / 1000.0;
                s.SampleTimes = null;
                s.DropName = true;
            }
            return vec;
        }
        var other = EvalVector(c.Args[0]);
        foreach (var s in other)
        {
            for (int k = 0; k < _steps; k++) s.Values[k] = T(k) / 1000.0;
            s.DropName = true;
        }
        return other;
    }

    private List<StepSeries> Clamp(CallExpr c, double[]? min, double[]? max)
    {
        var vec = EvalVector(c.Args[0]);
        var result = new List<StepSeries>(vec.Count);
        foreach (var s in vec)
        {
            for (int k = 0; k < _steps; k++)
            {
                if (!s.Present[k]) continue;
                double lo = min?[k] ?? double.NegativeInfinity;
                double hi = max?[k] ?? double.PositiveInfinity;
                // clamp with min > max returns nothing; bounds follow Go's math.Max/Min (an infinite bound beats NaN).
                if (min != null && max != null && lo > hi)
                {
                    s.Present[k] = false;
                    continue;
                }
                s.Values[k] = GoMath.Max(lo, GoMath.Min(hi, s.Values[k]));
            }
            s.DropName = true;
            if (s.Any()) result.Add(s);
        }
        return result;
    }

    private List<StepSeries> Round(CallExpr c)
    {
        var vec = EvalVector(c.Args[0]);
        var to = c.Args.Count > 1 ? EvalScalar(c.Args[1]) : Fill(1);
        foreach (var s in vec)
        {
            for (int k = 0; k < _steps; k++)
            {
                // Rounding to the nearest multiple of `to`, halves up; dividing by the inverse keeps
                // results such as round(x, 0.1) free of binary noise.
                double inverse = 1.0 / to[k];
                s.Values[k] = Math.Floor(s.Values[k] * inverse + 0.5) / inverse;
            }
            s.DropName = true;
        }
        return vec;
    }

    private List<StepSeries> Calendar(CallExpr c)
    {
        List<StepSeries> vec;
        if (c.Args.Count == 0)
        {
            var v = new double[_steps];
            var p = new bool[_steps];
            for (int k = 0; k < _steps; k++)
            {
                v[k] = T(k) / 1000.0;
                p[k] = true;
            }
            vec = [new StepSeries(LabelSet.Empty, v, p, dropName: false)];
        }
        else
        {
            vec = EvalVector(c.Args[0]);
        }
        foreach (var s in vec)
        {
            CalendarFunctions.Apply(c.Function.Name, s.Values);
            s.DropName = true;
        }
        return vec;
    }
}
