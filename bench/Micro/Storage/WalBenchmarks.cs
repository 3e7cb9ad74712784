using BenchmarkDotNet.Attributes;
using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Bench.Storage;

/// <summary>
/// WAL entry codec and replay on remote-write-shaped batches: 2000 samples over 2000 series (refs
/// 1000…2999), one timestamp per batch with millisecond jitter, values on a 0.01 grid; fixed seed.
/// Encode/Decode use OperationsPerInvoke = 2000, so Mean is per sample and Allocated is bytes per
/// sample. Replay reads a 200-entry log (400 000 samples) from a file through FasterLog, checks
/// frames and CRCs and decodes every sample; Mean is per sample too.
/// Run from bench/Micro: <c>dotnet run -c Release -- --filter '*WalBenchmarks*' --artifacts /tmp/bdn-wal</c>.
/// </summary>
[MemoryDiagnoser]
public class WalBenchmarks
{
    private const int Samples = 2000;
    private const int ReplayEntries = 200;
    private const int Seed = 20240611;

    private readonly EntryBuilder _builder = new(64 * 1024);
    private int[] _refs = [];
    private long[] _ts = [];
    private double[] _vs = [];
    private byte[] _entry = [];
    private string _dir = "";
    private WriteAheadLog? _wal;

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(Seed);
        _refs = new int[Samples];
        _ts = new long[Samples];
        _vs = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            _refs[i] = 1000 + i;
            _ts[i] = 1_714_564_800_000 + rnd.Next(0, 50);
            _vs[i] = Math.Round(rnd.NextDouble() * 1000, 2);
        }
        _entry = Encode().ToArray();

        _dir = Path.Combine(Path.GetTempPath(), "strata-walbench-" + Guid.NewGuid().ToString("N"));
        _wal = WriteAheadLog.Open(_dir);
        for (int i = 0; i < ReplayEntries; i++) _wal.Enqueue(_entry);
        _wal.CommitAsync().AsTask().GetAwaiter().GetResult();
        var check = new SampleSum();
        var r = _wal.Replay(0, ref check);
        if (!r.IsOk || check.Samples != (long)ReplayEntries * Samples) throw new InvalidOperationException($"wal benchmark setup: replay {r}, {check.Samples} samples");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
    }

    private ReadOnlySpan<byte> Encode()
    {
        var b = _builder;
        b.Reset();
        var refs = _refs;
        var ts = _ts;
        var vs = _vs;
        for (int i = 0; i < refs.Length; i++) b.AddSample(refs[i], ts[i], vs[i]);
        return b.Finish();
    }

    /// <summary>Fill an entry with 2000 samples and finish it (header + CRC-32C).</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public int EncodeEntry() => Encode().Length;

    /// <summary>Verify the CRC and decode 2000 samples from memory.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    public double DecodeEntry()
    {
        var h = new SampleSum();
        WalRecords.Decode(_entry, ref h);
        return h.Sum;
    }

    /// <summary>Replay the whole log (FasterLog scan, frame and entry CRCs, sequence) and decode every sample.</summary>
    [Benchmark(OperationsPerInvoke = ReplayEntries * Samples)]
    public double ReplayAndDecode()
    {
        var h = new SampleSum();
        _wal!.Replay(0, ref h);
        return h.Sum;
    }

    private struct SampleSum : IWalEntryHandler, IWalRecordHandler
    {
        public long Samples;
        public double Sum;

        public void OnEntry(long address, ReadOnlySpan<byte> entry) =>
            WalRecords.DecodeRecords(entry[WalRecords.HeaderSize..], WalRecords.HeaderSize, ref this);

        public readonly void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
        {
        }

        public void OnSample(int seriesRef, long timestamp, double value)
        {
            Samples++;
            Sum += value + seriesRef;
        }

        public readonly void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload)
        {
        }
    }
}
