using System.Globalization;
using BenchmarkDotNet.Attributes;
using Strata.Storage.Blocks;
using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Bench.Storage;

/// <summary>
/// Persisted blocks: selecting one series out of 100k through the memory-mapped index (postings
/// lookup, series record, one CRC-checked chunk copy), and writing a 10k-series block (chunks,
/// index, fsyncs and the rename). Series look like node-exporter's: job/instance/cpu/mode labels,
/// one 120-sample chunk each, fixed seed.
/// Run: <c>dotnet run -c Release --project bench/Micro -- --filter '*BlockBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class BlockBenchmarks
{
    private const int Seed = 20240611;
    private const int SelectSeries = 100_000;
    private const int WriteSeries = 10_000;
    private const long BlockStart = 1_714_564_800_000;
    private const long BlockEnd = BlockStart + 2 * 3_600_000;

    private string _root = "";
    private Block? _block;
    private List<SeriesChunks> _writeInput = [];
    private LabelMatcher[] _oneSeries = [];
    private LabelMatcher[] _oneSeriesRegex = [];

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "strata-block-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        var big = Generate(SelectSeries);
        var meta = BlockWriter.Write(Path.Combine(_root, "select"), BlockStart, BlockEnd, big);
        _block = Block.Open(Path.Combine(_root, "select", meta.Ulid));
        _writeInput = Generate(WriteSeries);

        _oneSeries =
        [
            new LabelMatcher(MatchType.Equal, "__name__", "node_cpu_seconds_total"),
            new LabelMatcher(MatchType.Equal, "instance", "host-04321:9100"),
            new LabelMatcher(MatchType.Equal, "mode", "idle"),
            new LabelMatcher(MatchType.Equal, "cpu", "1"),
        ];
        _oneSeriesRegex =
        [
            new LabelMatcher(MatchType.Equal, "__name__", "node_cpu_seconds_total"),
            new LabelMatcher(MatchType.Regex, "instance", "host-04321:.*"),
            new LabelMatcher(MatchType.NotEqual, "mode", "user"),
            new LabelMatcher(MatchType.Equal, "cpu", "0"),
        ];
        if (_block.Select(_oneSeries, long.MinValue, long.MaxValue).Count != 1)
            throw new InvalidOperationException("block benchmark setup: the selector should match exactly one series");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _block?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>100k series: 12 500 instances × 2 cpus × 4 modes.</summary>
    private static List<SeriesChunks> Generate(int count)
    {
        var rnd = new Random(Seed);
        string[] modes = ["idle", "system", "user", "iowait"];
        var result = new List<SeriesChunks>(count);
        for (int i = 0; i < count; i++)
        {
            var labels = LabelSet.From(
                ("__name__", "node_cpu_seconds_total"),
                ("cpu", (i / 4 % 2).ToString(CultureInfo.InvariantCulture)),
                ("instance", "host-" + (i / 8).ToString("D5", CultureInfo.InvariantCulture) + ":9100"),
                ("job", "node"),
                ("mode", modes[i % 4]));
            var chunk = new XorChunk();
            double v = rnd.Next(1_000_000);
            for (int k = 0; k < 120; k++)
            {
                chunk.Append(BlockStart + 10 + k * 15_000L + rnd.Next(-5, 6), v);
                v += rnd.NextDouble() * 15;
            }
            result.Add(new SeriesChunks(labels, [chunk.Seal()]));
        }
        result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        return result;
    }

    [Benchmark]
    public int SelectOneOf100k() => _block!.Select(_oneSeries, long.MinValue, long.MaxValue).Count;

    /// <summary>A regex over 12 500 instance values and a negative matcher (postings union and subtraction); 3 series.</summary>
    [Benchmark]
    public int SelectOneOf100kRegex() => _block!.Select(_oneSeriesRegex, long.MinValue, long.MaxValue).Count;

    /// <summary>Includes fsyncs of every file and directory, as a real head cut pays them.</summary>
    [Benchmark]
    public long Write10kSeries()
    {
        string dir = Path.Combine(_root, "write");
        var meta = BlockWriter.Write(dir, BlockStart, BlockEnd, _writeInput);
        Directory.Delete(Path.Combine(dir, meta.Ulid), recursive: true);
        return meta.Stats.NumSamples;
    }
}
