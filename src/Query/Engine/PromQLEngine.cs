using Strata.Query.PromQL;
using Strata.Storage;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>
/// Evaluates PromQL over stored series (the head, blocks, or the database merging them). This first slice covers literals, scalar arithmetic and the
/// selector path (instant and range vector selectors with offset and @), which every later operator
/// and function builds on; anything else is reported as unsupported rather than guessed.
/// </summary>
/// <remarks>
/// Semantics (Prometheus 3): an instant selector at t takes the newest sample in (t - lookback, t];
/// a range selector covers (t - range, t]; a stale marker ends a series, so it is never returned and
/// hides older samples from the lookback. Thread-safe; concurrency is bounded by
/// <see cref="EngineOptions.MaxConcurrency"/>.
/// </remarks>
public sealed class PromQLEngine
{
    /// <summary>Prometheus's staleness marker: a signalling NaN with this exact bit pattern.</summary>
    public const ulong StaleNaNBits = 0x7FF0000000000002UL;

    private readonly ISeriesReader _storage;
    private readonly SemaphoreSlim _slots;

    public PromQLEngine(ISeriesReader storage, EngineOptions options)
    {
        options.Validate();
        _storage = storage;
        Options = options;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    public EngineOptions Options { get; }

    public static bool IsStale(double v) => BitConverter.DoubleToUInt64Bits(v) == StaleNaNBits;

    internal void Release() => _slots.Release();

    /// <summary>Evaluates <paramref name="expr"/> at one instant (ms).</summary>
    public QueryValue Instant(Expr expr, long time, QuerySettings settings, CancellationToken ct)
    {
        using var ctx = Begin(settings, ct);
        return expr.Kind switch
        {
            ValueKind.Scalar => new ScalarResult(time, EvalScalar(expr, ctx)),
            ValueKind.String => new StringResult(time, ((StringLiteral)Unwrap(expr)).Value),
            ValueKind.Matrix => EvalMatrixAt(Unwrap(expr), time, ctx),
            _ => ToVector(EvalSteps(expr, time, time, 1, ctx), time),
        };
    }

    /// <summary>Evaluates at start, start+step, ... ≤ end (ms); the result is always a matrix.</summary>
    public MatrixResult Range(Expr expr, long start, long end, long step, QuerySettings settings, CancellationToken ct)
    {
        if (expr.Kind is not (ValueKind.Scalar or ValueKind.Vector))
        {
            string kind = expr.Kind == ValueKind.Matrix ? "range vector" : "string";
            throw new QueryException(ErrorType.BadData, $"invalid expression type \"{kind}\" for range query, must be Scalar or instant Vector");
        }
        using var ctx = Begin(settings, ct);
        if (expr.Kind == ValueKind.Scalar)
        {
            double v = EvalScalar(expr, ctx);
            int n = (int)((end - start) / step) + 1;
            var ts = new long[n];
            var vs = new double[n];
            for (int i = 0; i < n; i++)
            {
                ts[i] = start + i * step;
                vs[i] = v;
            }
            return new MatrixResult([new SeriesPoints(LabelSet.Empty, ts, vs, n)]);
        }
        var result = EvalSteps(expr, start, end, step, ctx);
        result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        return new MatrixResult(result);
    }

    private EvalContext Begin(QuerySettings settings, CancellationToken ct)
    {
        var timeout = settings.Timeout is { } t && t < Options.Timeout ? t : Options.Timeout;
        if (!_slots.Wait(timeout, ct)) throw new QueryException(ErrorType.Timeout, "query timed out waiting for a free query slot");
        return new EvalContext(this, settings, timeout, ct);
    }

    private static Expr Unwrap(Expr e)
    {
        while (e is ParenExpr p) e = p.Inner;
        return e;
    }

    private double EvalScalar(Expr expr, EvalContext ctx)
    {
        switch (Unwrap(expr))
        {
            case NumberLiteral n:
                return n.Value;
            case UnaryExpr u:
                double x = EvalScalar(u.Inner, ctx);
                return u.Negate ? -x : x;
            case BinaryExpr b when b.Lhs.Kind == ValueKind.Scalar && b.Rhs.Kind == ValueKind.Scalar:
                return ScalarArithmetic.Apply(b.Op, EvalScalar(b.Lhs, ctx), EvalScalar(b.Rhs, ctx), b.ReturnBool);
            case var other:
                throw Unsupported(other);
        }
    }

    private static QueryException Unsupported(Expr e) =>
        new(ErrorType.Execution, $"expression type {e.GetType().Name} is not supported by this version of the engine yet");

    private static VectorResult ToVector(List<SeriesPoints> steps, long time)
    {
        var samples = new List<VectorSample>(steps.Count);
        foreach (var s in steps)
        {
            if (s.Count > 0) samples.Add(new VectorSample(s.Labels, time, s.Values[0]));
        }
        return new VectorResult(samples);
    }

    /// <summary>Evaluates an instant-vector expression at every step; series without points are dropped.</summary>
    private List<SeriesPoints> EvalSteps(Expr expr, long start, long end, long step, EvalContext ctx)
    {
        return Unwrap(expr) switch
        {
            VectorSelector vs => SelectSteps(vs, start, end, step, ctx),
            var other => throw Unsupported(other),
        };
    }

    /// <summary>
    /// The selector path: one pass over each matching series' samples for all steps. Steps are
    /// ascending, so the newest sample at or before each step is found by advancing one iterator.
    /// </summary>
    internal List<SeriesPoints> SelectSteps(VectorSelector vs, long start, long end, long step, EvalContext ctx)
    {
        long lookback = (long)Options.LookbackDelta.TotalMilliseconds;
        long offset = vs.Offset.Milliseconds;
        bool pinned = vs.At != AtKind.None;
        long pinnedTime = vs.At switch { AtKind.Start => start, AtKind.End => end, _ => vs.AtMs } - offset;
        long firstEval = pinned ? pinnedTime : start - offset;
        long lastEval = pinned ? pinnedTime : end - offset;

        var series = _storage.Select(vs.Matchers, firstEval - lookback + 1, lastEval);
        int steps = (int)((end - start) / step) + 1;
        var result = new List<SeriesPoints>(series.Count);
        foreach (var s in series)
        {
            ctx.CheckCancelled();
            var ts = new long[steps];
            var vals = new double[steps];
            int n = 0;
            var it = s.Iterator();
            bool has = it.MoveNext();
            long lastT = long.MinValue;
            ulong lastBits = 0;
            bool any = false;
            for (int k = 0; k < steps; k++)
            {
                long t = start + k * step;
                long te = pinned ? pinnedTime : t - offset;
                while (has && it.Timestamp <= te)
                {
                    lastT = it.Timestamp;
                    lastBits = BitConverter.DoubleToUInt64Bits(it.Value);
                    any = true;
                    has = it.MoveNext();
                }
                if (any && lastT > te - lookback && lastBits != StaleNaNBits)
                {
                    ts[n] = t;
                    vals[n] = BitConverter.UInt64BitsToDouble(lastBits);
                    n++;
                }
            }
            if (it.Failed) throw new QueryException(ErrorType.Internal, $"corrupt chunk in series {s.Labels}");
            if (n == 0) continue;
            ctx.AddSamples(n);
            result.Add(new SeriesPoints(s.Labels, ts, vals, n));
        }
        return result;
    }

    /// <summary>A range vector at one instant: raw samples in (t - range, t], stale markers left out.</summary>
    private MatrixResult EvalMatrixAt(Expr expr, long time, EvalContext ctx)
    {
        if (expr is not MatrixSelector ms) throw Unsupported(expr);
        var vs = ms.Selector;
        long te = vs.At switch { AtKind.None => time, AtKind.Start or AtKind.End => time, _ => vs.AtMs } - vs.Offset.Milliseconds;
        long range = ms.Range.Milliseconds;
        var series = _storage.Select(vs.Matchers, te - range + 1, te);
        var result = new List<SeriesPoints>(series.Count);
        foreach (var s in series)
        {
            ctx.CheckCancelled();
            var ts = new List<long>();
            var vals = new List<double>();
            var it = s.Iterator();
            if (it.Seek(te - range + 1))
            {
                do
                {
                    if (it.Timestamp > te) break;
                    if (BitConverter.DoubleToUInt64Bits(it.Value) == StaleNaNBits) continue;
                    ts.Add(it.Timestamp);
                    vals.Add(it.Value);
                }
                while (it.MoveNext());
            }
            if (it.Failed) throw new QueryException(ErrorType.Internal, $"corrupt chunk in series {s.Labels}");
            if (ts.Count == 0) continue;
            ctx.AddSamples(ts.Count);
            result.Add(new SeriesPoints(s.Labels, [.. ts], [.. vals], ts.Count));
        }
        return new MatrixResult(result);
    }
}

/// <summary>Per-request settings from the API (<c>timeout</c>, <c>lookback_delta</c> overrides).</summary>
public readonly record struct QuerySettings(TimeSpan? Timeout = null);

/// <summary>Per-query state: deadline, cancellation and the loaded-samples budget.</summary>
internal sealed class EvalContext : IDisposable
{
    private readonly PromQLEngine _engine;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _caller;
    private long _samples;

    public EvalContext(PromQLEngine engine, QuerySettings settings, TimeSpan timeout, CancellationToken caller)
    {
        _engine = engine;
        Settings = settings;
        _caller = caller;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _cts.CancelAfter(timeout);
    }

    public QuerySettings Settings { get; }

    public void CheckCancelled()
    {
        if (!_cts.IsCancellationRequested) return;
        if (_caller.IsCancellationRequested) throw new QueryException(ErrorType.Canceled, "query was canceled");
        throw new QueryException(ErrorType.Timeout, "query timed out in query execution");
    }

    public void AddSamples(long n)
    {
        _samples += n;
        if (_samples > _engine.Options.MaxSamples)
            throw new QueryException(ErrorType.Execution, "query processing would load too many samples into memory in query execution");
    }

    public void Dispose()
    {
        _cts.Dispose();
        _engine.Release();
    }
}
