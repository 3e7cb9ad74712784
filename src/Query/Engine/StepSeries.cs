using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>
/// One series of an instant-vector value, held densely over all steps of the evaluation: slot k is
/// the value at <c>start + k*interval</c> when <see cref="Present"/>[k] is set. Dense step arrays let
/// operators and functions run one loop per series over every step instead of one per step.
/// </summary>
/// <remarks>
/// Absent slots hold garbage and are ignored; kernels may compute over them, which keeps loops
/// branch-free. <see cref="DropName"/> implements delayed <c>__name__</c> removal: an operation that
/// would drop the metric name marks the series, and the name goes at the end of evaluation.
/// </remarks>
internal sealed class StepSeries
{
    public StepSeries(LabelSet labels, double[] values, bool[] present, bool dropName)
    {
        Labels = labels;
        Values = values;
        Present = present;
        DropName = dropName;
    }

    public StepSeries(LabelSet labels, int steps, bool dropName)
        : this(labels, new double[steps], new bool[steps], dropName)
    {
    }

    public LabelSet Labels { get; set; }
    public double[] Values { get; }
    public bool[] Present { get; }
    public bool DropName { get; set; }

    /// <summary>Sample timestamps per step, kept only when <c>timestamp()</c> asks for them (selector output).</summary>
    public long[]? SampleTimes { get; set; }

    public bool Any() => Array.IndexOf(Present, true) >= 0;

    public int CountPresent()
    {
        int n = 0;
        foreach (bool p in Present) n += p ? 1 : 0;
        return n;
    }

    /// <summary>The labels the user sees: without <c>__name__</c> when the name was dropped.</summary>
    public LabelSet VisibleLabels() => DropName ? LabelOps.WithoutName(Labels) : Labels;
}

/// <summary>
/// Samples of one series over a whole evaluation span, for range functions (stale markers removed).
/// The arrays may be longer than <see cref="Count"/>; from <see cref="RangeInput.Series"/> they are
/// reused for the next series, so consumers copy what they keep.
/// </summary>
internal readonly record struct RawSeries(LabelSet Labels, long[] T, double[] V, int Count, bool DropName);

/// <summary>
/// A range-vector argument: raw samples per series plus how each step's window is placed. For step
/// time t the window is <c>(end - Range, end]</c> with <c>end = (Pinned ? PinnedAt : t) - Offset</c>.
/// A matrix selector's series stay compressed until enumerated and are decoded one at a time into
/// shared buffers, so a range function over many series holds one series' samples, not all of them.
/// </summary>
internal sealed class RangeInput
{
    private readonly List<SeriesChunks>? _chunks;
    private readonly List<RawSeries>? _raw;
    private readonly long _from;
    private readonly long _to;
    private readonly EvalContext? _ctx;

    /// <summary>Series still in chunks; samples in [from, to] are decoded on enumeration.</summary>
    public RangeInput(List<SeriesChunks> chunks, long from, long to, EvalContext ctx, long range, long offset, bool pinned, long pinnedAt)
        : this(range, offset, pinned, pinnedAt)
    {
        _chunks = chunks;
        _from = from;
        _to = to;
        _ctx = ctx;
    }

    /// <summary>Series already materialised (a subquery's points).</summary>
    public RangeInput(List<RawSeries> raw, long range, long offset, bool pinned, long pinnedAt)
        : this(range, offset, pinned, pinnedAt) => _raw = raw;

    private RangeInput(long range, long offset, bool pinned, long pinnedAt)
    {
        Range = range;
        Offset = offset;
        Pinned = pinned;
        PinnedAt = pinnedAt;
    }

    public long Range { get; }
    public long Offset { get; }
    public bool Pinned { get; }
    public long PinnedAt { get; }

    public int Count => _chunks?.Count ?? _raw!.Count;

    public long WindowEnd(long stepTime) => (Pinned ? PinnedAt : stepTime) - Offset;

    /// <summary>Each series in turn; a yielded series' arrays are only valid until the next one.</summary>
    public IEnumerable<RawSeries> Series()
    {
        if (_raw != null)
        {
            foreach (var r in _raw) yield return r;
            yield break;
        }
        var t = new long[256];
        var v = new double[256];
        foreach (var s in _chunks!)
        {
            _ctx!.CheckCancelled();
            int capacity = 0;
            foreach (var c in s.Chunks) capacity += c.Count;
            if (t.Length < capacity)
            {
                t = new long[capacity];
                v = new double[capacity];
            }
            int n = 0;
            var it = s.Iterator();
            if (it.Seek(_from))
            {
                do
                {
                    if (it.Timestamp > _to) break;
                    if (it.ValueBits == PromQLEngine.StaleNaNBits) continue;
                    // Merged out-of-order chunks can hold more than the sum bound suggests only if
                    // they overlap; the merge de-duplicates, so n never exceeds capacity.
                    t[n] = it.Timestamp;
                    v[n] = it.Value;
                    n++;
                }
                while (it.MoveNext());
            }
            if (it.Failed) throw new QueryException(ErrorType.Internal, $"corrupt chunk in series {s.Labels}");
            _ctx.AddSamples(n);
            yield return new RawSeries(s.Labels, t, v, n, DropName: false);
        }
    }
}
