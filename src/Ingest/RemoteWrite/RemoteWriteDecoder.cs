using Strata.Ingest.Protobuf;
using Strata.Storage.Labels;

namespace Strata.Ingest.RemoteWrite;

/// <summary>
/// Decodes remote write 1.0 (<c>prometheus.WriteRequest</c>) and 2.0 (<c>io.prometheus.write.v2.Request</c>)
/// protobuf straight from the decompressed buffer into a <see cref="WriteBatch"/>. Field numbers are in
/// ../shared/spec/remote-write.md §2–3. Unknown fields are skipped; a structural error (truncated
/// varint, length past the end, wrong wire type) fails the whole request with a message.
/// </summary>
public static class RemoteWriteDecoder
{
    /// <summary>Decodes a v1 WriteRequest; returns null on success, else what is malformed.</summary>
    public static string? DecodeV1(WriteBatch batch)
    {
        var buf = batch.Bytes;
        var r = new ProtoReader(buf);
        while (r.NextField(out int field, out var wt))
        {
            if (field == 1 && r.Expect(wt, WireType.Len, "WriteRequest.timeseries"))
            {
                if (r.ReadLength(out int start, out int len)) DecodeSeriesV1(buf, start, start + len, batch, ref r);
            }
            else if (field == 3 && r.Expect(wt, WireType.Len, "WriteRequest.metadata"))
            {
                if (r.ReadLength(out int start, out int len)) DecodeMetadataV1(buf, start, start + len, batch, ref r);
            }
            else
            {
                r.Skip(wt);
            }
        }
        return r.Error;
    }

    private static void DecodeSeriesV1(ReadOnlySpan<byte> buf, int start, int end, WriteBatch batch, ref ProtoReader outer)
    {
        ref var series = ref batch.AddSeries();
        var r = new ProtoReader(buf, start, end);
        while (r.NextField(out int field, out var wt))
        {
            switch (field)
            {
                case 1 when r.Expect(wt, WireType.Len, "TimeSeries.labels"):
                    if (!r.ReadLength(out int ls, out int ll)) break;
                    var lr = new ProtoReader(buf, ls, ls + ll);
                    int nameStart = ls, nameLen = 0, valueStart = ls, valueLen = 0;
                    while (lr.NextField(out int lf, out var lwt))
                    {
                        if (lf == 1 && lr.Expect(lwt, WireType.Len, "Label.name")) lr.ReadLength(out nameStart, out nameLen);
                        else if (lf == 2 && lr.Expect(lwt, WireType.Len, "Label.value")) lr.ReadLength(out valueStart, out valueLen);
                        else lr.Skip(lwt);
                    }
                    if (lr.Failed)
                    {
                        r.Fail(lr.Error!);
                        break;
                    }
                    batch.AddLabel(new Utf8Label(nameStart, nameLen, valueStart, valueLen));
                    break;
                case 2 when r.Expect(wt, WireType.Len, "TimeSeries.samples"):
                    if (!r.ReadLength(out int ss, out int sl)) break;
                    var sr = new ProtoReader(buf, ss, ss + sl);
                    double value = 0;
                    long ts = 0;
                    while (sr.NextField(out int sf, out var swt))
                    {
                        if (sf == 1 && sr.Expect(swt, WireType.Fixed64, "Sample.value")) value = sr.ReadDouble();
                        else if (sf == 2 && sr.Expect(swt, WireType.Varint, "Sample.timestamp")) ts = (long)sr.ReadVarint();
                        else sr.Skip(swt);
                    }
                    if (sr.Failed)
                    {
                        r.Fail(sr.Error!);
                        break;
                    }
                    batch.AddSample(ts, value);
                    break;
                case 3 when r.Expect(wt, WireType.Len, "TimeSeries.exemplars"):
                    r.Skip(wt);
                    series.Exemplars++;
                    break;
                case 4 when r.Expect(wt, WireType.Len, "TimeSeries.histograms"):
                    r.Skip(wt);
                    series.Histograms++;
                    break;
                default:
                    if (!r.Failed) r.Skip(wt);
                    break;
            }
        }
        if (r.Failed) outer.Fail(r.Error!);
        series.LabelCount = batch.LabelCount - series.LabelStart;
        series.SampleCount = batch.SampleCount - series.SampleStart;
    }

    private static void DecodeMetadataV1(ReadOnlySpan<byte> buf, int start, int end, WriteBatch batch, ref ProtoReader outer)
    {
        var r = new ProtoReader(buf, start, end);
        var type = MetricType.Unknown;
        string family = "", help = "", unit = "";
        while (r.NextField(out int field, out var wt))
        {
            if (field == 1 && r.Expect(wt, WireType.Varint, "MetricMetadata.type")) type = ToType(r.ReadVarint());
            else if (field == 2 && r.Expect(wt, WireType.Len, "MetricMetadata.metric_family_name") && r.ReadLength(out int s, out int l)) family = Utf8Labels.Decode(buf.Slice(s, l));
            else if (field == 4 && r.Expect(wt, WireType.Len, "MetricMetadata.help") && r.ReadLength(out s, out l)) help = Utf8Labels.Decode(buf.Slice(s, l));
            else if (field == 5 && r.Expect(wt, WireType.Len, "MetricMetadata.unit") && r.ReadLength(out s, out l)) unit = Utf8Labels.Decode(buf.Slice(s, l));
            else if (!r.Failed) r.Skip(wt);
        }
        if (r.Failed) outer.Fail(r.Error!);
        else if (family.Length > 0) batch.Metadata.Add(new MetadataEntry(family, type, help, unit));
    }

    private static MetricType ToType(ulong v) => v <= 7 ? (MetricType)v : MetricType.Unknown;

    /// <summary>
    /// Decodes a v2 Request. Symbols are collected first (they may appear after the series in the
    /// stream), then series resolve their label references against them.
    /// </summary>
    public static string? DecodeV2(WriteBatch batch, List<(int Start, int Length)> symbols)
    {
        var buf = batch.Bytes;
        symbols.Clear();
        var r = new ProtoReader(buf);
        while (r.NextField(out int field, out var wt))
        {
            if (field == 4 && r.Expect(wt, WireType.Len, "Request.symbols"))
            {
                if (r.ReadLength(out int s, out int l)) symbols.Add((s, l));
            }
            else
            {
                r.Skip(wt);
            }
        }
        if (r.Failed) return r.Error;
        if (symbols.Count > 0 && symbols[0].Length != 0) return "symbols[0] must be the empty string";

        r = new ProtoReader(buf);
        while (r.NextField(out int field, out var wt))
        {
            if (field == 5 && r.Expect(wt, WireType.Len, "Request.timeseries"))
            {
                if (r.ReadLength(out int start, out int len)) DecodeSeriesV2(buf, start, start + len, batch, symbols, ref r);
            }
            else
            {
                r.Skip(wt);
            }
        }
        return r.Error;
    }

    private static void DecodeSeriesV2(ReadOnlySpan<byte> buf, int start, int end, WriteBatch batch, List<(int Start, int Length)> symbols, ref ProtoReader outer)
    {
        ref var series = ref batch.AddSeries();
        var r = new ProtoReader(buf, start, end);
        int pendingName = -1;
        int metaType = -1, helpRef = 0, unitRef = 0;
        bool badRef = false;
        while (r.NextField(out int field, out var wt))
        {
            switch (field)
            {
                case 1:
                    // labels_refs: packed (Len) or one varint per element.
                    if (wt == WireType.Len)
                    {
                        if (!r.ReadLength(out int ps, out int pl)) break;
                        var pr = new ProtoReader(buf, ps, ps + pl);
                        while (pr.HasMore) AddRef((uint)pr.ReadVarint(), batch, symbols, ref pendingName, ref badRef);
                        if (pr.Failed) r.Fail(pr.Error!);
                    }
                    else if (r.Expect(wt, WireType.Varint, "TimeSeries.labels_refs"))
                    {
                        AddRef((uint)r.ReadVarint(), batch, symbols, ref pendingName, ref badRef);
                    }
                    break;
                case 2 when r.Expect(wt, WireType.Len, "TimeSeries.samples"):
                    if (!r.ReadLength(out int ss, out int sl)) break;
                    var sr = new ProtoReader(buf, ss, ss + sl);
                    double value = 0;
                    long ts = 0;
                    while (sr.NextField(out int sf, out var swt))
                    {
                        if (sf == 1 && sr.Expect(swt, WireType.Fixed64, "Sample.value")) value = sr.ReadDouble();
                        else if (sf == 2 && sr.Expect(swt, WireType.Varint, "Sample.timestamp")) ts = (long)sr.ReadVarint();
                        else sr.Skip(swt);
                    }
                    if (sr.Failed)
                    {
                        r.Fail(sr.Error!);
                        break;
                    }
                    batch.AddSample(ts, value);
                    break;
                case 3 when r.Expect(wt, WireType.Len, "TimeSeries.histograms"):
                    r.Skip(wt);
                    series.Histograms++;
                    break;
                case 4 when r.Expect(wt, WireType.Len, "TimeSeries.exemplars"):
                    r.Skip(wt);
                    series.Exemplars++;
                    break;
                case 5 when r.Expect(wt, WireType.Len, "TimeSeries.metadata"):
                    if (!r.ReadLength(out int ms, out int ml)) break;
                    var mr = new ProtoReader(buf, ms, ms + ml);
                    metaType = 0;
                    while (mr.NextField(out int mf, out var mwt))
                    {
                        if (mf == 1 && mr.Expect(mwt, WireType.Varint, "Metadata.type")) metaType = (int)Math.Min(mr.ReadVarint(), 255);
                        else if (mf == 3 && mr.Expect(mwt, WireType.Varint, "Metadata.help_ref")) helpRef = (int)Math.Min(mr.ReadVarint(), int.MaxValue);
                        else if (mf == 4 && mr.Expect(mwt, WireType.Varint, "Metadata.unit_ref")) unitRef = (int)Math.Min(mr.ReadVarint(), int.MaxValue);
                        else mr.Skip(mwt);
                    }
                    if (mr.Failed) r.Fail(mr.Error!);
                    break;
                default:
                    if (!r.Failed) r.Skip(wt);
                    break;
            }
        }
        if (r.Failed) outer.Fail(r.Error!);
        series.LabelCount = batch.LabelCount - series.LabelStart;
        series.SampleCount = batch.SampleCount - series.SampleStart;
        if (badRef || pendingName >= 0)
        {
            series.Rejection = SeriesRejection.InvalidSymbolReference;
            return;
        }
        if (series.SampleCount > 0 && series.Histograms > 0) series.Rejection = SeriesRejection.SamplesAndHistograms;
        else if (series.SampleCount == 0 && series.Histograms == 0) series.Rejection = SeriesRejection.Empty;

        if (metaType > 0 && helpRef < symbols.Count && unitRef < symbols.Count)
        {
            // The family name is the metric name (suffixes such as _total are kept as sent).
            var labels = batch.LabelsOf(series);
            foreach (var l in labels)
            {
                if (l.Name(buf).SequenceEqual("__name__"u8))
                {
                    var (hs, hl) = symbols[helpRef];
                    var (us, ul) = symbols[unitRef];
                    batch.Metadata.Add(new MetadataEntry(
                        Utf8Labels.Decode(l.Value(buf)), ToType((ulong)metaType),
                        Utf8Labels.Decode(buf.Slice(hs, hl)), Utf8Labels.Decode(buf.Slice(us, ul))));
                    break;
                }
            }
        }
    }

    private static void AddRef(uint reference, WriteBatch batch, List<(int Start, int Length)> symbols, ref int pendingName, ref bool badRef)
    {
        if (reference >= symbols.Count)
        {
            badRef = true;
            return;
        }
        if (pendingName < 0)
        {
            pendingName = (int)reference;
            return;
        }
        var (ns, nl) = symbols[pendingName];
        var (vs, vl) = symbols[(int)reference];
        batch.AddLabel(new Utf8Label(ns, nl, vs, vl));
        pendingName = -1;
    }
}
