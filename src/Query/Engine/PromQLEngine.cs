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
        var frame = new QueryFrame(_storage, ctx, time, time, 0);
        var ev = new Evaluator(frame, time, time, 0);
        QueryValue result = expr.Kind switch
        {
            ValueKind.Scalar => new ScalarResult(time, ev.EvalScalar(expr)[0]),
            ValueKind.String => new StringResult(time, ev.EvalString(expr)),
            ValueKind.Matrix => CheckUnique(ev.EvalMatrixResult(expr)),
            _ => ToVector(ev.Finish(ev.EvalVector(expr)), time),
        };
        result.Annotations = frame.Annotations;
        result.Stats = ctx.Stats();
        return result;
    }

    /// <summary>Evaluates at start, start+step, ... ≤ end (ms); the result is always a matrix.</summary>
    public MatrixResult Range(Expr expr, long start, long end, long step, QuerySettings settings, CancellationToken ct)
    {
        if (expr.Kind is not (ValueKind.Scalar or ValueKind.Vector))
        {
            string kind = expr.Kind == ValueKind.Matrix ? "range vector" : "string";
            throw new QueryException(ErrorType.BadData, $"invalid expression type \"{kind}\" for range query, must be Scalar or instant Vector");
        }
        if (step <= 0) throw new QueryException(ErrorType.BadData, "zero or negative query resolution step widths are not accepted. Try a positive integer");
        using var ctx = Begin(settings, ct);
        var frame = new QueryFrame(_storage, ctx, start, end, step);
        var ev = new Evaluator(frame, start, end, step);
        List<SeriesPoints> series;
        if (expr.Kind == ValueKind.Scalar)
        {
            var v = ev.EvalScalar(expr);
            var ts = new long[v.Length];
            for (int i = 0; i < ts.Length; i++) ts[i] = start + i * step;
            series = [new SeriesPoints(LabelSet.Empty, ts, v, v.Length)];
        }
        else
        {
            var rows = ev.Finish(ev.EvalVector(expr));
            series = new List<SeriesPoints>(rows.Count);
            foreach (var r in rows)
            {
                int n = r.CountPresent();
                if (n == 0) continue;
                var ts = new long[n];
                var vs = new double[n];
                int j = 0;
                for (int k = 0; k < ev.Steps; k++)
                {
                    if (!r.Present[k]) continue;
                    ts[j] = start + k * step;
                    vs[j] = r.Values[k];
                    j++;
                }
                series.Add(new SeriesPoints(r.VisibleLabels(), ts, vs, n));
            }
            series.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
            for (int i = 1; i < series.Count; i++)
            {
                if (series[i].Labels.Equals(series[i - 1].Labels)) throw SameLabelset();
            }
        }
        return new MatrixResult(series) { Annotations = frame.Annotations, Stats = ctx.Stats() };
    }

    private EvalContext Begin(QuerySettings settings, CancellationToken ct)
    {
        var timeout = settings.Timeout is { } t && t < Options.Timeout ? t : Options.Timeout;
        long queued = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!_slots.Wait(timeout, ct)) throw new QueryException(ErrorType.Timeout, "query timed out waiting for a free query slot");
        return new EvalContext(this, settings, timeout, ct, System.Diagnostics.Stopwatch.GetElapsedTime(queued));
    }

    private static QueryException SameLabelset() => new(ErrorType.Execution, "vector cannot contain metrics with the same labelset");

    private static VectorResult ToVector(List<StepSeries> rows, long time)
    {
        var samples = new List<VectorSample>(rows.Count);
        var seen = new HashSet<LabelSet>();
        foreach (var r in rows)
        {
            if (!r.Present[0]) continue;
            var labels = r.VisibleLabels();
            if (!seen.Add(labels)) throw SameLabelset();
            samples.Add(new VectorSample(labels, time, r.Values[0]));
        }
        return new VectorResult(samples);
    }

    private static MatrixResult CheckUnique(MatrixResult m)
    {
        var seen = new HashSet<LabelSet>();
        foreach (var s in m.Series)
        {
            if (!seen.Add(s.Labels)) throw SameLabelset();
        }
        return m;
    }
}

/// <summary>Per-request settings from the API (<c>timeout</c>, <c>lookback_delta</c> overrides).</summary>
public readonly record struct QuerySettings(TimeSpan? Timeout = null, TimeSpan? LookbackDelta = null);

/// <summary>Per-query state: deadline, cancellation and the loaded-samples budget.</summary>
internal sealed class EvalContext : IDisposable
{
    private readonly PromQLEngine _engine;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _caller;
    private long _samples;

    private readonly TimeSpan _queueTime;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    public EvalContext(PromQLEngine engine, QuerySettings settings, TimeSpan timeout, CancellationToken caller, TimeSpan queueTime)
    {
        _queueTime = queueTime;
        _engine = engine;
        Settings = settings;
        _caller = caller;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _cts.CancelAfter(timeout);
    }

    public QuerySettings Settings { get; }

    public EngineOptions Options => _engine.Options;

    /// <summary>The lookback delta for this query: the request's override or the engine default.</summary>
    public long LookbackMs => (long)(Settings.LookbackDelta ?? _engine.Options.LookbackDelta).TotalMilliseconds;

    public QueryStats Stats() => new(_samples, _queueTime, System.Diagnostics.Stopwatch.GetElapsedTime(_started));

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
