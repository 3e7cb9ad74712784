using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Strata.Ingest.RemoteWrite;
using Strata.Storage.Head;
using Strata.Storage.Metadata;
using Strata.Storage.Tsdb;
using Strata.TestSupport.Prompb;

namespace Strata.Bench.Ingest;

/// <summary>
/// The remote-write ingest path on a Kubernetes-like batch: 2000 series with 10 labels, one sample
/// each per request, as Prometheus sends them. <see cref="Decode"/> is protobuf decoding alone;
/// <see cref="IngestScrapes"/> is snappy + decode + validate + append for 60 scrapes (120k samples)
/// into a fresh head, reported per sample. Targets: decode ≤ 30 ns/sample with 0 B allocated;
/// full ingest ≤ 150 ns/sample on one core.
/// </summary>
[MemoryDiagnoser]
public class RemoteWriteBenchmarks
{
    private const int Series = 2000;
    private const int Scrapes = 60;
    private byte[] _raw = [];
    private byte[][] _bodies = [];
    private WriteBatch _batch = new();
    private RemoteWriteIngester _ingester = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var labels = new Label[Series][];
        for (int i = 0; i < Series; i++)
        {
            int pod = i / 10;
            labels[i] =
            [
                new() { Name = "__name__", Value = $"metric_{i % 10}_total" },
                new() { Name = "container", Value = "manager" },
                new() { Name = "github_run_id", Value = (9_000_000_000L + pod / 50).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new() { Name = "instance", Value = $"10.0.{pod / 250}.{pod % 250}:8080" },
                new() { Name = "job", Value = "kubernetes-pods" },
                new() { Name = "namespace", Value = $"test-ns-{pod % 40}" },
                new() { Name = "node", Value = $"node-{pod % 16}" },
                new() { Name = "pod", Value = $"worker-{pod:x6}-abc" },
                new() { Name = "vcluster_namespace", Value = $"vcluster-{pod / 50}" },
                new() { Name = "zone", Value = "eu-west-1a" },
            ];
        }
        long t0 = 1_700_000_000_000;
        var values = new double[Series];
        _bodies = new byte[Scrapes][];
        for (int k = 0; k < Scrapes; k++)
        {
            var req = new WriteRequest();
            for (int i = 0; i < Series; i++)
            {
                values[i] += rng.Next(0, 100);
                var ts = new TimeSeries();
                ts.Labels.Add(labels[i]);
                ts.Samples.Add(new Sample { Timestamp = t0 + k * 15_000L + rng.Next(-20, 20), Value = values[i] });
                req.Timeseries.Add(ts);
            }
            byte[] raw = req.ToByteArray();
            if (k == 0) _raw = raw;
            _bodies[k] = IronSnappy.Snappy.Encode(raw);
        }
        _batch = new WriteBatch { Buffer = _raw, BufferLength = _raw.Length };
    }

    [IterationSetup(Target = nameof(IngestScrapes))]
    public void FreshHead()
    {
        // The in-memory path only: the WAL has its own benchmark.
        var db = Tsdb.OpenAsync(new TsdbOptions { Path = Path.Combine(Path.GetTempPath(), "strata-bench-" + Guid.NewGuid().ToString("N")), WalEnabled = false }, startMaintenance: false).GetAwaiter().GetResult();
        _ingester = new RemoteWriteIngester(db, new MetadataStore(), new IngestOptions(), new FixedClock());
    }

    [Benchmark(OperationsPerInvoke = Series)]
    public int Decode()
    {
        _batch.Reset();
        RemoteWriteDecoder.DecodeV1(_batch);
        return _batch.SampleCount;
    }

    [Benchmark(OperationsPerInvoke = Series * Scrapes)]
    public int IngestScrapes()
    {
        int n = 0;
        foreach (var body in _bodies) n += _ingester.Ingest(body, RemoteWriteVersion.V1, out _).SamplesWritten;
        if (n != Series * Scrapes) throw new InvalidOperationException($"stored {n}");
        return n;
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    }
}
