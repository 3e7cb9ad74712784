using Strata.Query.PromQL;
using Strata.Storage;

namespace Strata.Query.Engine;

/// <summary>Settings shared by every evaluator of one query (the top level and its subqueries).</summary>
internal sealed class QueryFrame(ISeriesReader storage, EvalContext ctx, long start, long end, long step)
{
    public ISeriesReader Storage { get; } = storage;
    public EvalContext Ctx { get; } = ctx;
    /// <summary>Top-level query start and end (ms) for <c>@ start()</c>, <c>@ end()</c>, <c>start()</c>, <c>end()</c>, <c>range()</c>.</summary>
    public long Start { get; } = start;
    public long End { get; } = end;
    /// <summary>Top-level step (ms); 0 for instant queries.</summary>
    public long Step { get; } = step;
    public List<Annotation> Annotations { get; } = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public void Annotate(AnnotationLevel level, string message, Expr at)
    {
        string text = (level == AnnotationLevel.Warning ? "PromQL warning: " : "PromQL info: ") + message + $" (1:{at.Start + 1})";
        if (_seen.Add(text)) Annotations.Add(new Annotation(level, text));
    }
}

/// <summary>
/// Evaluates an expression over the steps <c>start, start+interval, … ≤ end</c> (one step for an
/// instant query). Every instant-vector value is a list of <see cref="StepSeries"/> holding all steps,
/// so each operator and function makes one pass per series; subqueries run a child evaluator over
/// their own step grid.
/// </summary>
internal sealed partial class Evaluator
{
    private readonly QueryFrame _frame;
    private readonly long _start;
    private readonly long _end;
    private readonly long _interval;
    private readonly int _steps;

    public Evaluator(QueryFrame frame, long start, long end, long interval)
    {
        _frame = frame;
        _start = start;
        _end = end;
        _interval = interval <= 0 ? 1 : interval;
        _steps = (int)((end - start) / _interval) + 1;
    }

    private EvalContext Ctx => _frame.Ctx;
    private EngineOptions Options => _frame.Ctx.Options;

    public int Steps => _steps;

    private long T(int k) => _start + k * _interval;

    private static Expr Unwrap(Expr e)
    {
        while (e is ParenExpr p) e = p.Inner;
        return e;
    }

    // ---- scalars ----

    /// <summary>A scalar expression as one value per step.</summary>
    public double[] EvalScalar(Expr expr)
    {
        switch (Unwrap(expr))
        {
            case NumberLiteral n:
                return Fill(n.Value);
            case StringLiteral:
                throw new QueryException(ErrorType.BadData, "unexpected string where a scalar was expected");
            case UnaryExpr u:
            {
                var v = EvalScalar(u.Inner);
                if (u.Negate)
                {
                    for (int i = 0; i < v.Length; i++) v[i] = -v[i];
                }
                return v;
            }
            case BinaryExpr b:
            {
                var l = EvalScalar(b.Lhs);
                var r = EvalScalar(b.Rhs);
                for (int i = 0; i < l.Length; i++) l[i] = ScalarArithmetic.Apply(b.Op, l[i], r[i], b.ReturnBool);
                return l;
            }
            case CallExpr c:
                return CallScalar(c);
            case var other:
                throw new QueryException(ErrorType.Internal, $"unexpected {other.GetType().Name} where a scalar was expected");
        }
    }

    private double[] Fill(double v)
    {
        var a = new double[_steps];
        Array.Fill(a, v);
        return a;
    }

    public string EvalString(Expr expr) => Unwrap(expr) switch
    {
        StringLiteral s => s.Value,
        var other => throw new QueryException(ErrorType.Internal, $"unexpected {other.GetType().Name} where a string was expected"),
    };

    // ---- durations ----

    /// <summary>A duration operand in milliseconds; expressions use the top-level step and range.</summary>
    private long Duration(DurationValue d)
    {
        if (d.IsConstant) return d.Milliseconds;
        double seconds = DurationSeconds(d.Expression!);
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > long.MaxValue / 1000.0)
            throw new QueryException(ErrorType.Execution, $"duration expression evaluates to an invalid value: {seconds}");
        return (long)(seconds * 1000);
    }

    private double DurationSeconds(Expr e) => Unwrap(e) switch
    {
        NumberLiteral n => n.Value,
        UnaryExpr u => u.Negate ? -DurationSeconds(u.Inner) : DurationSeconds(u.Inner),
        BinaryExpr b => ScalarArithmetic.Apply(b.Op, DurationSeconds(b.Lhs), DurationSeconds(b.Rhs), returnBool: false),
        DurationFunction { Name: "step" } => _frame.Step / 1000.0,
        DurationFunction { Name: "range" } => (_frame.End - _frame.Start) / 1000.0,
        DurationFunction { Name: "min_of" } f => Math.Min(DurationSeconds(f.Args[0]), DurationSeconds(f.Args[1])),
        DurationFunction { Name: "max_of" } f => Math.Max(DurationSeconds(f.Args[0]), DurationSeconds(f.Args[1])),
        var other => throw new QueryException(ErrorType.BadData, $"unsupported expression in a duration: {other.GetType().Name}"),
    };

    private long PositiveDuration(DurationValue d)
    {
        long ms = Duration(d);
        if (ms <= 0 && !d.IsConstant) throw new QueryException(ErrorType.Execution, "duration must be greater than 0");
        return ms;
    }

    private long AtTime(AtKind kind, long atMs) => kind switch
    {
        AtKind.Start => _frame.Start,
        AtKind.End => _frame.End,
        _ => atMs,
    };

    // ---- vectors ----

    /// <summary>An instant-vector expression over all steps.</summary>
    public List<StepSeries> EvalVector(Expr expr)
    {
        Ctx.CheckCancelled();
        switch (Unwrap(expr))
        {
            case VectorSelector vs:
                return SelectVector(vs, keepSampleTimes: false);
            case UnaryExpr u:
            {
                var v = EvalVector(u.Inner);
                if (!u.Negate) return v;
                foreach (var s in v)
                {
                    var vals = s.Values;
                    for (int i = 0; i < vals.Length; i++) vals[i] = -vals[i];
                    s.DropName = true;
                }
                return v;
            }
            case BinaryExpr b:
                return EvalBinary(b);
            case AggregateExpr a:
                return EvalAggregate(a);
            case CallExpr c:
                return CallVector(c);
            case var other:
                throw new QueryException(ErrorType.Internal, $"unexpected {other.GetType().Name} where an instant vector was expected");
        }
    }

    /// <summary>
    /// The end of delayed name removal: flagged series lose <c>__name__</c>, and series that now share
    /// a label set merge (they may cover different steps; the same step twice is an error).
    /// </summary>
    public List<StepSeries> Finish(List<StepSeries> rows)
    {
        foreach (var r in rows)
        {
            if (!r.DropName) continue;
            r.Labels = LabelOps.WithoutName(r.Labels);
            r.DropName = false;
        }
        return MergeSameLabels(rows);
    }

    /// <summary>
    /// Merges rows that carry the same label set (e.g. both sides of <c>or</c>) into one series; two
    /// rows present at the same step is Prometheus's "same labelset" error.
    /// </summary>
    private List<StepSeries> MergeSameLabels(List<StepSeries> rows)
    {
        if (rows.Count < 2) return rows;
        var index = new Dictionary<(Storage.Labels.LabelSet, bool), int>(rows.Count);
        List<StepSeries>? merged = null;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            if (!index.TryGetValue((r.Labels, r.DropName), out int at))
            {
                index.Add((r.Labels, r.DropName), merged?.Count ?? i);
                merged?.Add(r);
                continue;
            }
            merged ??= rows.GetRange(0, i);
            var into = merged[at];
            for (int k = 0; k < _steps; k++)
            {
                if (!r.Present[k]) continue;
                if (into.Present[k]) throw new QueryException(ErrorType.Execution, "vector cannot contain metrics with the same labelset");
                into.Present[k] = true;
                into.Values[k] = r.Values[k];
            }
        }
        return merged ?? rows;
    }
}
