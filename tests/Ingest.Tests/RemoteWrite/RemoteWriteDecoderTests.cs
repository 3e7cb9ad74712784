using Google.Protobuf;
using Strata.Ingest.RemoteWrite;
using Strata.Storage.Labels;
using Strata.TestSupport;

namespace Strata.Ingest.Tests.RemoteWrite;

public class RemoteWriteDecoderTests
{
    private static WriteBatch Load(byte[] raw)
    {
        var b = new WriteBatch { Buffer = raw, BufferLength = raw.Length };
        return b;
    }

    private static List<(string Labels, List<(long, ulong)> Samples)> Flatten(WriteBatch b)
    {
        var result = new List<(string, List<(long, ulong)>)>();
        for (int i = 0; i < b.SeriesCount; i++)
        {
            var s = b.Series[i];
            var samples = new List<(long, ulong)>();
            for (int k = 0; k < s.SampleCount; k++)
                samples.Add((b.Timestamps[s.SampleStart + k], BitConverter.DoubleToUInt64Bits(b.Values[s.SampleStart + k])));
            result.Add((b.Describe(s), samples));
        }
        return result;
    }

    private static readonly TestSeries[] Sample =
    [
        new([("__name__", "up"), ("instance", "a:9100"), ("job", "node")], [(1000, 1), (16000, 0)]),
        new([("__name__", "node_cpu_seconds_total"), ("cpu", "0"), ("mode", "idle")], [(-5, double.NaN), (0, BitConverter.UInt64BitsToDouble(0x7FF0000000000002)), (long.MaxValue, -1.5)]), // Google.Protobuf's C# encoder drops -0.0 as a default value
        new([("__name__", "ünïcödé"), ("ключ", "значение")], [(1, 2.5)]),
    ];

    [Fact]
    public void DecodesV1AndV2ToTheSameSeries()
    {
        var v1 = Load(WriteRequests.V1Message(Sample).ToByteArray());
        Assert.Null(RemoteWriteDecoder.DecodeV1(v1));
        var v2 = Load(WriteRequests.V2Message(Sample).ToByteArray());
        Assert.Null(RemoteWriteDecoder.DecodeV2(v2, []));
        var expected = Sample.Select(s => (
            "{" + string.Join(", ", s.Labels.Select(l => $"{l.Name}=\"{l.Value}\"")) + "}",
            s.Samples.Select(x => (x.T, BitConverter.DoubleToUInt64Bits(x.V))).ToList())).ToList();
        Assert.Equal(expected.Select(e => e.Item1), Flatten(v1).Select(e => e.Labels));
        Assert.Equal(expected.SelectMany(e => e.Item2), Flatten(v1).SelectMany(e => e.Samples));
        Assert.Equal(expected.Select(e => e.Item1), Flatten(v2).Select(e => e.Labels));
        Assert.Equal(expected.SelectMany(e => e.Item2), Flatten(v2).SelectMany(e => e.Samples));
    }

    [Fact]
    public void MetadataIsCollected()
    {
        var req = WriteRequests.V1Message([]);
        req.Metadata.Add(new TestSupport.Prompb.MetricMetadata { MetricFamilyName = "up", Help = "Target is up.", Type = TestSupport.Prompb.MetricMetadata.Types.MetricType.Gauge, Unit = "" });
        var b = Load(req.ToByteArray());
        Assert.Null(RemoteWriteDecoder.DecodeV1(b));
        Assert.Equal(new MetadataEntry("up", MetricType.Gauge, "Target is up.", ""), Assert.Single(b.Metadata));

        var v2 = WriteRequests.V2Message(Sample[..1]);
        v2.Symbols.Add("Target is up.");
        v2.Timeseries[0].Metadata = new TestSupport.WriteV2.Metadata { Type = TestSupport.WriteV2.Metadata.Types.MetricType.Gauge, HelpRef = (uint)v2.Symbols.Count - 1 };
        var b2 = Load(v2.ToByteArray());
        Assert.Null(RemoteWriteDecoder.DecodeV2(b2, []));
        Assert.Equal(new MetadataEntry("up", MetricType.Gauge, "Target is up.", ""), Assert.Single(b2.Metadata));
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        var raw = WriteRequests.V1Message(Sample[..1]).ToByteArray();
        // Append unknown fields of every wire type at the top level: 15 varint, 16 fixed64, 17 bytes, 18 fixed32.
        byte[] extra = [0x78, 0x05, 0x81, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x01, 0x02, 0xaa, 0xbb, 0x95, 0x01, 1, 2, 3, 4];
        var b = Load([.. raw, .. extra]);
        Assert.Null(RemoteWriteDecoder.DecodeV1(b));
        Assert.Equal(1, b.SeriesCount);
    }

    [Fact]
    public void EveryTruncationFailsCleanlyOrYieldsAPrefix()
    {
        foreach (var raw in new[] { WriteRequests.V1Message(Sample).ToByteArray(), WriteRequests.V2Message(Sample).ToByteArray() })
        {
            bool v2 = raw.SequenceEqual(WriteRequests.V2Message(Sample).ToByteArray());
            for (int n = 0; n < raw.Length; n++)
            {
                var b = Load(raw[..n]);
                string? error = v2 ? RemoteWriteDecoder.DecodeV2(b, []) : RemoteWriteDecoder.DecodeV1(b);
                if (error == null) Assert.True(b.SeriesCount <= Sample.Length, $"prefix {n}");
            }
        }
    }

    [Fact]
    public void RandomCorruptionNeverThrows()
    {
        var rng = new Random(7);
        var raw = WriteRequests.V1Message(Sample).ToByteArray();
        for (int i = 0; i < 5000; i++)
        {
            var copy = (byte[])raw.Clone();
            for (int k = 0; k < 3; k++) copy[rng.Next(copy.Length)] = (byte)rng.Next(256);
            RemoteWriteDecoder.DecodeV1(Load(copy));
            RemoteWriteDecoder.DecodeV2(Load(copy), []);
        }
    }

    [Fact]
    public void UnpackedLabelRefsAreAccepted()
    {
        // TimeSeries{labels_refs: 1, 2 (unpacked varints), samples{value=1, ts=5}}; symbols "", "__name__", "m".
        byte[] series = [0x08, 0x01, 0x08, 0x02, 0x12, 0x0b, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x05];
        byte[] raw = [0x22, 0x00, 0x22, 0x08, .. "__name__"u8, 0x22, 0x01, (byte)'m', 0x2a, (byte)series.Length, .. series];
        var b = Load(raw);
        Assert.Null(RemoteWriteDecoder.DecodeV2(b, []));
        Assert.Equal("{__name__=\"m\"}", b.Describe(b.Series[0]));
        Assert.Equal(5, b.Timestamps[0]);
        Assert.Equal(1.0, b.Values[0]);
    }

    public static TheoryData<string, (string, string)[], SeriesRejection> ValidationCases => new()
    {
        { "ok", [("__name__", "m"), ("a", "1")], SeriesRejection.None },
        { "empty value dropped", [("__name__", "m"), ("a", ""), ("b", "1")], SeriesRejection.None },
        { "no name", [("a", "1")], SeriesRejection.MissingMetricName },
        { "empty name value", [("__name__", ""), ("a", "1")], SeriesRejection.MissingMetricName },
        { "unsorted", [("__name__", "m"), ("b", "1"), ("a", "1")], SeriesRejection.UnsortedLabels },
        { "duplicate", [("__name__", "m"), ("a", "1"), ("a", "2")], SeriesRejection.DuplicateLabelName },
        { "empty label name", [("", "x"), ("__name__", "m")], SeriesRejection.InvalidLabelName },
        { "utf8 names allowed", [("__name__", "my.metric"), ("service.name", "x")], SeriesRejection.None },
        { "too many", [("__name__", "m"), ("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")], SeriesRejection.TooManyLabels },
        { "name too long", [("__name__", "m"), (new string('n', 17), "1")], SeriesRejection.LabelNameTooLong },
        { "value too long", [("__name__", "m"), ("a", new string('v', 33))], SeriesRejection.LabelValueTooLong },
    };

    [Theory]
    [MemberData(nameof(ValidationCases))]
    public void ValidatesSeries(string what, (string, string)[] labels, SeriesRejection expected)
    {
        var b = Load(WriteRequests.V1Message([new TestSeries(labels, [(1, 1)])]).ToByteArray());
        Assert.Null(RemoteWriteDecoder.DecodeV1(b));
        var options = new IngestOptions { MaxLabelNamesPerSeries = 4, MaxLabelNameLength = 16, MaxLabelValueLength = 32 };
        Assert.True(expected == SeriesValidator.Validate(b, ref b.Series[0], options), what);
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        var req = WriteRequests.V1Message([new TestSeries([("__name__", "m"), ("a", "x")], [(1, 1)])]);
        var raw = req.ToByteArray();
        int idx = Array.LastIndexOf(raw, (byte)'x');
        raw[idx] = 0xff;
        var b = Load(raw);
        Assert.Null(RemoteWriteDecoder.DecodeV1(b));
        Assert.Equal(SeriesRejection.InvalidUtf8, SeriesValidator.Validate(b, ref b.Series[0], new IngestOptions()));
    }

    [Fact]
    public void SeriesKeyOfUtf8LabelsEqualsKeyOfLabelSet()
    {
        var b = Load(WriteRequests.V1Message(Sample).ToByteArray());
        Assert.Null(RemoteWriteDecoder.DecodeV1(b));
        for (int i = 0; i < Sample.Length; i++)
        {
            var set = new LabelSet([.. Sample[i].Labels.Select(l => new Label(l.Name, l.Value))]);
            var labels = b.LabelsOf(b.Series[i]);
            var key = new byte[SeriesKey.Size(labels)];
            Assert.Equal(key.Length, SeriesKey.Write(b.Bytes, labels, key));
            Assert.Equal(SeriesKey.Of(set), key);
        }
    }
}
