namespace Strata.Query.Tests.Conformance;

internal enum SlotKind : byte
{
    /// <summary><c>_</c>: no sample at that time.</summary>
    Empty,
    Float,
    /// <summary>A native-histogram literal; we keep its text only, since nothing here stores or returns histograms.</summary>
    Histogram,
}

/// <summary>One expanded slot of a series-value list. Stale markers are floats with the stale-NaN bits.</summary>
internal readonly record struct Slot(SlotKind Kind, double Value, string? HistogramText = null)
{
    public static readonly Slot Empty = new(SlotKind.Empty, 0);
    public static Slot Float(double v) => new(SlotKind.Float, v);
    public static Slot Histogram(string text) => new(SlotKind.Histogram, 0, text);

    public override string ToString() => Kind switch
    {
        SlotKind.Empty => "_",
        SlotKind.Histogram => HistogramText!,
        _ => FloatValues.Format(Value),
    };
}
