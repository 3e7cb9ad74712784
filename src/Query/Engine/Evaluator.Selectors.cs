using Strata.Query.PromQL;
using Strata.Storage.Head;

namespace Strata.Query.Engine;

internal sealed partial class Evaluator
{
    /// <summary>
    /// An instant selector at every step: the newest sample in <c>(t - lookback, t]</c> unless it is a
    /// stale marker. Steps are ascending, so one forward pass of each series' iterator serves them all.
    /// With <c>@</c> every step sees the same pinned instant.
    /// </summary>
    private List<StepSeries> SelectVector(VectorSelector vs, bool keepSampleTimes)
    {
        if (vs.RangeModifier != null)
            throw new QueryException(ErrorType.BadData, $"the '{vs.RangeModifier}' modifier is not supported");
        long lookback = Ctx.LookbackMs;
        long offset = Duration(vs.Offset);
        bool pinned = vs.At != AtKind.None;
        long pinnedAt = AtTime(vs.At, vs.AtMs) - offset;
        long first = pinned ? pinnedAt : _start - offset;
        long last = pinned ? pinnedAt : _end - offset;

        var series = _frame.Storage.Select(vs.Matchers, first - lookback + 1, last, sorted: SortSelections);
        var result = new List<StepSeries>(series.Count);
        foreach (var s in series)
        {
            Ctx.CheckCancelled();
            var values = new double[_steps];
            var present = new bool[_steps];
            long[]? times = keepSampleTimes ? new long[_steps] : null;
            int n = 0;
            var it = s.Iterator();
            bool has = it.MoveNext();
            long lastT = long.MinValue;
            ulong lastBits = 0;
            bool any = false;
            for (int k = 0; k < _steps; k++)
            {
                long te = pinned ? pinnedAt : T(k) - offset;
                while (has && it.Timestamp <= te)
                {
                    lastT = it.Timestamp;
                    lastBits = it.ValueBits;
                    any = true;
                    has = it.MoveNext();
                }
                if (any && lastT > te - lookback && lastBits != PromQLEngine.StaleNaNBits)
                {
                    values[k] = BitConverter.UInt64BitsToDouble(lastBits);
                    present[k] = true;
                    if (times != null) times[k] = lastT;
                    n++;
                }
            }
            if (it.Failed) throw new QueryException(ErrorType.Internal, $"corrupt chunk in series {s.Labels}");
            if (n == 0) continue;
            Ctx.AddSamples(n);
            result.Add(new StepSeries(s.Labels, values, present, dropName: false) { SampleTimes = times });
        }
        return result;
    }

    /// <summary>
    /// Storage sorts series by labels only for instant queries, whose vector results keep input
    /// order as Prometheus's do; range results are sorted once at the end.
    /// </summary>
    private bool SortSelections => _frame.Step == 0;

    /// <summary>A range-vector argument: a matrix selector's raw samples or a subquery's points.</summary>
    private RangeInput EvalRange(Expr expr) => Unwrap(expr) switch
    {
        MatrixSelector ms => LoadRange(ms),
        SubqueryExpr sq => EvalSubquery(sq),
        var other => throw new QueryException(ErrorType.Internal, $"unexpected {other.GetType().Name} where a range vector was expected"),
    };

    /// <summary>Raw samples covering every step's window <c>(end - range, end]</c>; stale markers are left out.</summary>
    private RangeInput LoadRange(MatrixSelector ms)
    {
        var vs = ms.Selector;
        if (vs.RangeModifier != null)
            throw new QueryException(ErrorType.BadData, $"the '{vs.RangeModifier}' modifier is not supported");
        long range = PositiveDuration(ms.Range);
        long offset = Duration(vs.Offset);
        bool pinned = vs.At != AtKind.None;
        long pinnedAt = AtTime(vs.At, vs.AtMs);
        long lastEnd = (pinned ? pinnedAt : _end) - offset;
        long firstStart = (pinned ? pinnedAt : _start) - offset - range;

        var series = _frame.Storage.Select(vs.Matchers, firstStart + 1, lastEnd, sorted: SortSelections);
        return new RangeInput(series, firstStart + 1, lastEnd, Ctx, range, offset, pinned, pinnedAt);
    }


    /// <summary>
    /// Evaluates a subquery's inner expression on its own grid: steps are multiples of the subquery
    /// step (absolute alignment, as Prometheus does), covering the first window's start to the last
    /// window's end.
    /// </summary>
    private RangeInput EvalSubquery(SubqueryExpr sq)
    {
        long range = PositiveDuration(sq.Range);
        long offset = Duration(sq.Offset);
        long step = sq.Step.IsConstant && sq.Step.Milliseconds == 0 ? 60_000 : PositiveDuration(sq.Step);
        bool pinned = sq.At != AtKind.None;
        long pinnedAt = AtTime(sq.At, sq.AtMs);
        long childEnd = (pinned ? pinnedAt : _end) - offset;
        long lowest = (pinned ? pinnedAt : _start) - offset - range;
        long childStart = step * (lowest / step);
        if (childStart < lowest) childStart += step;

        var result = new List<RawSeries>();
        if (childStart <= childEnd)
        {
            var child = new Evaluator(_frame, childStart, childEnd, step);
            if ((long)child.Steps > Options.MaxSamples) throw TooManySamples();
            foreach (var s in child.EvalVector(sq.Inner))
            {
                int n = s.CountPresent();
                var t = new long[n];
                var v = new double[n];
                int j = 0;
                for (int k = 0; k < child.Steps; k++)
                {
                    if (!s.Present[k]) continue;
                    t[j] = childStart + k * step;
                    v[j] = s.Values[k];
                    j++;
                }
                result.Add(new RawSeries(s.Labels, t, v, n, s.DropName));
            }
        }
        return new RangeInput(result, range, offset, pinned, pinnedAt);
    }

    internal static QueryException TooManySamples() =>
        new(ErrorType.Execution, "query processing would load too many samples into memory in query execution");

    /// <summary>A range vector at the single instant of an instant query (the matrix result type).</summary>
    public MatrixResult EvalMatrixResult(Expr expr)
    {
        var input = EvalRange(expr);
        long end = input.WindowEnd(_start);
        long begin = end - input.Range;
        var list = new List<SeriesPoints>(input.Count);
        foreach (var s in input.Series())
        {
            int lo = LowerBound(s.T, s.Count, begin + 1);
            int hi = LowerBound(s.T, s.Count, end + 1);
            if (hi <= lo) continue;
            var labels = s.DropName ? LabelOps.WithoutName(s.Labels) : s.Labels;
            list.Add(new SeriesPoints(labels, s.T[lo..hi], s.V[lo..hi], hi - lo));
        }
        return new MatrixResult(list);
    }

    /// <summary>First index in the sorted prefix <c>t[..count]</c> whose value is ≥ <paramref name="atLeast"/>.</summary>
    private static int LowerBound(long[] t, int count, long atLeast)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < atLeast) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
