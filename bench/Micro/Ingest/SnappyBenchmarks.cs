using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using IronSnappyCodec = IronSnappy.Snappy;
using StrataSnappy = Strata.Ingest.Snappy.Snappy;

namespace Strata.Bench.Ingest;

/// <summary>
/// Snappy block codec on a ~200 KB remote-write-shaped payload (fixed seed). Decode input is
/// IronSnappy's output, which has the same element mix as Go's encoder that Prometheus uses.
/// The MB/s column is decoded (uncompressed) bytes per second for both directions.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SnappyBenchmarks
{
    private const int PayloadSize = 200 * 1024;
    private const int Seed = 20240501;

    private static readonly Lazy<byte[]> Payload = new(() => RemoteWriteLikePayload(PayloadSize, Seed));

    private byte[] _payload = [];
    private byte[] _encoded = [];
    private byte[] _decodeBuffer = [];
    private byte[] _encodeBuffer = [];

    /// <summary>Decoded bytes processed per operation, for the MB/s column.</summary>
    public static int DecodedLength => Payload.Value.Length;

    [GlobalSetup]
    public void Setup()
    {
        _payload = Payload.Value;
        _encoded = IronSnappyCodec.Encode(_payload);
        _decodeBuffer = new byte[_payload.Length];
        _encodeBuffer = new byte[StrataSnappy.MaxEncodedLength(_payload.Length)];
        if (!StrataSnappy.TryDecode(_encoded, _decodeBuffer, out _, out string? error) || !_decodeBuffer.AsSpan().SequenceEqual(_payload))
        {
            throw new InvalidOperationException($"snappy benchmark setup: decode mismatch ({error})");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public int Decode_IronSnappy() => IronSnappyCodec.Decode(_encoded).Length;

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public int Decode_Strata()
    {
        StrataSnappy.TryDecode(_encoded, _decodeBuffer, out int written, out _);
        return written;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int Encode_IronSnappy() => IronSnappyCodec.Encode(_payload).Length;

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Encode_Strata() => StrataSnappy.Encode(_payload, _encodeBuffer);

    // Shaped like a Prometheus WriteRequest: per series 6-7 labels drawn from small pools (so
    // names and most values repeat), 1-3 samples of float64 + varint millisecond timestamp.
    private static byte[] RemoteWriteLikePayload(int approxSize, int seed)
    {
        var rnd = new Random(seed);
        var w = new List<byte>(approxSize + 1024);
        string[] metrics = ["http_requests_total", "http_request_duration_seconds_bucket", "process_cpu_seconds_total", "go_goroutines", "node_network_receive_bytes_total"];
        string[] jobs = ["api", "node-exporter", "kube-state-metrics", "ingester"];
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        string[] les = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];
        long ts = 1_714_564_800_000;
        var series = new List<byte>(512);
        var field = new List<byte>(128);
        while (w.Count < approxSize)
        {
            series.Clear();
            AddLabel(series, field, "__name__", metrics[rnd.Next(metrics.Length)]);
            AddLabel(series, field, "instance", $"10.0.{rnd.Next(4)}.{rnd.Next(256)}:9100");
            AddLabel(series, field, "job", jobs[rnd.Next(jobs.Length)]);
            AddLabel(series, field, "method", methods[rnd.Next(methods.Length)]);
            AddLabel(series, field, "namespace", "prod-eu-west-1");
            AddLabel(series, field, "pod", $"api-7d9f8b6c4-{rnd.Next(10_000):x4}");
            if (rnd.Next(3) == 0)
            {
                AddLabel(series, field, "le", les[rnd.Next(les.Length)]);
            }

            int samples = rnd.Next(1, 4);
            for (int i = 0; i < samples; i++)
            {
                field.Clear();
                field.Add(0x09); // Sample.value, fixed64
                double v = rnd.Next(4) == 0 ? rnd.NextDouble() * 1000 : rnd.Next(1_000_000);
                field.AddRange(BitConverter.GetBytes(v));
                field.Add(0x10); // Sample.timestamp, varint
                AddVarint(field, (ulong)(ts + (i * 15_000) + rnd.Next(20)));
                series.Add(0x12); // TimeSeries.samples
                AddVarint(series, (ulong)field.Count);
                series.AddRange(field);
            }

            w.Add(0x0a); // WriteRequest.timeseries
            AddVarint(w, (ulong)series.Count);
            w.AddRange(series);
            ts += 15_000;
        }

        return [.. w];

        static void AddLabel(List<byte> series, List<byte> field, string name, string value)
        {
            field.Clear();
            field.Add(0x0a);
            AddVarint(field, (ulong)name.Length);
            field.AddRange(Encoding.ASCII.GetBytes(name));
            field.Add(0x12);
            AddVarint(field, (ulong)value.Length);
            field.AddRange(Encoding.ASCII.GetBytes(value));
            series.Add(0x0a); // TimeSeries.labels
            AddVarint(series, (ulong)field.Count);
            series.AddRange(field);
        }

        static void AddVarint(List<byte> b, ulong v)
        {
            while (v >= 0x80)
            {
                b.Add((byte)(v | 0x80));
                v >>= 7;
            }

            b.Add((byte)v);
        }
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    private sealed class ThroughputColumn : IColumn
    {
        public string Id => nameof(ThroughputColumn);
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Uncompressed megabytes (1e6 bytes) per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
            => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return meanNs is > 0 ? (DecodedLength / meanNs.Value * 1e3).ToString("F0") : "-";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
