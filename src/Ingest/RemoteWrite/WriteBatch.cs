using Strata.Storage.Labels;

namespace Strata.Ingest.RemoteWrite;

/// <summary>Why a series of a write request was not stored (validation happens before any append).</summary>
public enum SeriesRejection : byte
{
    None = 0,
    MissingMetricName,
    InvalidLabelName,
    InvalidUtf8,
    UnsortedLabels,
    DuplicateLabelName,
    TooManyLabels,
    LabelNameTooLong,
    LabelValueTooLong,
    InvalidSymbolReference,
    SamplesAndHistograms,
    Empty,
}

/// <summary>One decoded series: ranges into the batch's label and sample arrays.</summary>
public struct SeriesEntry
{
    public int LabelStart;
    public int LabelCount;
    public int SampleStart;
    public int SampleCount;
    public int Histograms;
    public int Exemplars;
    public SeriesRejection Rejection;
}

/// <summary>Metric metadata carried by a write request (v1 metadata entries or v2 per-series metadata).</summary>
public readonly record struct MetadataEntry(string Family, MetricType Type, string Help, string Unit);

/// <summary>Prometheus metric types as numbered in remote write (same numbers in 1.0 and 2.0).</summary>
public enum MetricType : byte
{
    Unknown = 0,
    Counter = 1,
    Gauge = 2,
    Histogram = 3,
    GaugeHistogram = 4,
    Summary = 5,
    Info = 6,
    StateSet = 7,
}

/// <summary>
/// A decoded remote-write request in struct-of-arrays form. Label strings stay as byte ranges of
/// <see cref="Buffer"/> (the decompressed body), so decoding allocates nothing per label or sample.
/// Instances are reused: <see cref="Reset"/> keeps the arrays.
/// </summary>
public sealed class WriteBatch
{
    public byte[] Buffer = [];
    public int BufferLength;
    public SeriesEntry[] Series = new SeriesEntry[64];
    public int SeriesCount;
    public Utf8Label[] Labels = new Utf8Label[512];
    public int LabelCount;
    public long[] Timestamps = new long[256];
    public double[] Values = new double[256];
    public int SampleCount;
    public readonly List<MetadataEntry> Metadata = [];

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, BufferLength);

    public void Reset()
    {
        SeriesCount = 0;
        LabelCount = 0;
        SampleCount = 0;
        Metadata.Clear();
    }

    public ReadOnlySpan<Utf8Label> LabelsOf(in SeriesEntry s) => Labels.AsSpan(s.LabelStart, s.LabelCount);

    internal ref SeriesEntry AddSeries()
    {
        if (SeriesCount == Series.Length) Array.Resize(ref Series, Series.Length * 2);
        ref var s = ref Series[SeriesCount++];
        s = default;
        s.LabelStart = LabelCount;
        s.SampleStart = SampleCount;
        return ref s;
    }

    internal void AddLabel(Utf8Label label)
    {
        if (LabelCount == Labels.Length) Array.Resize(ref Labels, Labels.Length * 2);
        Labels[LabelCount++] = label;
    }

    internal void AddSample(long t, double v)
    {
        if (SampleCount == Timestamps.Length)
        {
            Array.Resize(ref Timestamps, Timestamps.Length * 2);
            Array.Resize(ref Values, Values.Length * 2);
        }
        Timestamps[SampleCount] = t;
        Values[SampleCount] = v;
        SampleCount++;
    }

    /// <summary>Renders a series' labels for error messages (cold path).</summary>
    public string Describe(in SeriesEntry s)
    {
        var sb = new System.Text.StringBuilder("{");
        var buf = Bytes;
        var labels = LabelsOf(s);
        for (int i = 0; i < labels.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Utf8Labels.Decode(labels[i].Name(buf))).Append("=\"").Append(Utf8Labels.Decode(labels[i].Value(buf))).Append('"');
        }
        return sb.Append('}').ToString();
    }
}
