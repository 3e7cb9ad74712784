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

/// <summary>Samples of one series over a whole evaluation span, for range functions (stale markers removed).</summary>
internal readonly record struct RawSeries(LabelSet Labels, long[] T, double[] V, int Count, bool DropName);

/// <summary>
/// A range-vector argument: raw samples per series plus how each step's window is placed. For step
/// time t the window is <c>(end - Range, end]</c> with <c>end = (Pinned ? PinnedAt : t) - Offset</c>.
/// </summary>
internal sealed class RangeInput(List<RawSeries> series, long range, long offset, bool pinned, long pinnedAt)
{
    public List<RawSeries> Series { get; } = series;
    public long Range { get; } = range;
    public long Offset { get; } = offset;
    public bool Pinned { get; } = pinned;
    public long PinnedAt { get; } = pinnedAt;

    public long WindowEnd(long stepTime) => (Pinned ? PinnedAt : stepTime) - Offset;
}
