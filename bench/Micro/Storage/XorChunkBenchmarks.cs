using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Strata.Storage.Chunks;

namespace Strata.Bench.Storage;

/// <summary>
/// Appending 120 samples to a fresh XOR chunk and iterating a full 120-sample chunk (Prometheus's
/// chunk size), on scrape-shaped data: 15s interval with millisecond jitter, fixed seed.
/// OperationsPerInvoke = 120, so Mean is nanoseconds per sample and Allocated is bytes per sample.
/// The B/sample column is the encoded chunk size divided by the sample count.
/// Run: <c>dotnet run -c Release --project bench/Micro -- --filter '*XorChunk*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BytesPerSampleConfig))]
public class XorChunkBenchmarks
{
    public const int SamplesPerChunk = 120;
    private const int Seed = 20240611;

    public enum DataShape
    {
        /// <summary>Integer counter (requests_total): increments of 0..40, some scrapes unchanged.</summary>
        Counter,
        /// <summary>Gauge (temperature, queue length): random walk on a 0.01 grid.</summary>
        Gauge,
        /// <summary>Float counter (cpu_seconds_total): increments with full mantissas.</summary>
        FloatCounter,
    }

    [Params(DataShape.Counter, DataShape.Gauge, DataShape.FloatCounter)]
    public DataShape Shape { get; set; }

    private long[] _timestamps = [];
    private double[] _values = [];
    private ChunkSnapshot _chunk;

    [GlobalSetup]
    public void Setup()
    {
        (_timestamps, _values) = Generate(Shape);
        var chunk = new XorChunk();
        for (int i = 0; i < SamplesPerChunk; i++) chunk.Append(_timestamps[i], _values[i]);
        _chunk = chunk.Seal();

        var it = new XorIterator(_chunk);
        for (int i = 0; i < SamplesPerChunk; i++)
        {
            if (!it.MoveNext() || it.Timestamp != _timestamps[i] || BitConverter.DoubleToUInt64Bits(it.Value) != BitConverter.DoubleToUInt64Bits(_values[i]))
                throw new InvalidOperationException($"xor benchmark setup: round trip mismatch at sample {i}");
        }
    }

    /// <summary>Includes allocating the chunk (and one regrowth for the denser shapes), as the head does per cut.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerChunk)]
    public int Append()
    {
        var chunk = new XorChunk();
        long[] ts = _timestamps;
        double[] vs = _values;
        for (int i = 0; i < ts.Length; i++) chunk.Append(ts[i], vs[i]);
        return chunk.Length;
    }

    [Benchmark(OperationsPerInvoke = SamplesPerChunk)]
    public double Iterate()
    {
        var it = new XorIterator(_chunk);
        long t = 0;
        double sum = 0;
        while (it.MoveNext())
        {
            t ^= it.Timestamp;
            sum += it.Value;
        }
        return sum + t;
    }

    public static (long[] Timestamps, double[] Values) Generate(DataShape shape)
    {
        var rnd = new Random(Seed + (int)shape);
        var ts = new long[SamplesPerChunk];
        var vs = new double[SamplesPerChunk];
        long t = 1_714_564_800_000;
        double v = shape switch { DataShape.Counter => 1_234_567, DataShape.Gauge => 42.17, _ => 8_812.34 };
        for (int i = 0; i < SamplesPerChunk; i++)
        {
            // Scrapes land within a few ms of the 15s grid; the grid position itself does not drift.
            ts[i] = t + (i * 15_000L) + rnd.Next(-5, 6);
            vs[i] = v;
            v = shape switch
            {
                DataShape.Counter => v + (rnd.Next(5) == 0 ? 0 : rnd.Next(1, 41)),
                DataShape.Gauge => Math.Round(v + ((rnd.NextDouble() - 0.5) * 0.5), 2),
                _ => v + (rnd.NextDouble() * 0.6),
            };
        }
        return (ts, vs);
    }

    private sealed class BytesPerSampleConfig : ManualConfig
    {
        public BytesPerSampleConfig() => AddColumn(new BytesPerSampleColumn());
    }

    private sealed class BytesPerSampleColumn : IColumn
    {
        public string Id => nameof(BytesPerSampleColumn);
        public string ColumnName => "B/sample";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Encoded chunk bytes (with the 2-byte header) per sample";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
            => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Parameters[nameof(Shape)] is not DataShape shape) return "-";
            var (ts, vs) = Generate(shape);
            var chunk = new XorChunk();
            for (int i = 0; i < ts.Length; i++) chunk.Append(ts[i], vs[i]);
            return ((double)chunk.Length / ts.Length).ToString("F2", CultureInfo.InvariantCulture);
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public bool IsAvailable(Summary summary) => true;
    }
}
