using Strata.Storage.Blocks;
using Strata.Storage.Labels;

namespace Strata.Storage.Tests.Blocks;

/// <summary>Reads and reproduces a block written by Prometheus 2.42 (testdata/prometheus-2.42/README.md).</summary>
public class BlockFixtureTests
{
    private const string FixtureUlid = "01M80HD6F937Y8SPNSN15MW1ZQ";

    private static string FixtureDir => Path.Combine(BlockTestData.TestdataDir, "prometheus-2.42", FixtureUlid);

    /// <summary>The samples of source.om, recomputed with the formulas that generated it.</summary>
    private static List<TestSeries> Expected()
    {
        var a = Enumerable.Range(0, 300).Select(i => ((7200L + 15 * i) * 1000, i * 1.5)).ToArray();
        var b = Enumerable.Range(0, 300).Select(i => ((7200L + 15 * i) * 1000, i % 10 * 0.1)).ToArray();
        var temp = Enumerable.Range(0, 100).Select(i => ((7200L + 60 * i) * 1000, 20 + i / 8.0)).ToArray();
        return
        [
            new(LabelSet.From(("__name__", "fixture_requests"), ("instance", "a"), ("job", "fixture")), a),
            new(LabelSet.From(("__name__", "fixture_requests"), ("instance", "b"), ("job", "fixture")), b),
            new(LabelSet.From(("__name__", "fixture_temp"), ("room", "lab \"1\"")), temp),
        ];
    }

    [Fact]
    public void PrometheusBlock_OpensWithExactSamples()
    {
        using var block = Block.Open(FixtureDir);
        Assert.Equal(FixtureUlid, block.Meta.Ulid);
        Assert.Equal(7_200_000, block.Meta.MinTime);
        Assert.Equal(13_140_001, block.Meta.MaxTime);
        Assert.Equal(new BlockStats(700, 3, 7), block.Meta.Stats);
        Assert.Equal(1, block.Meta.Compaction.Level);
        Assert.Equal([FixtureUlid], block.Meta.Compaction.Sources);

        BlockTestData.AssertSeries("fixture", Expected(), block.Select([], long.MinValue, long.MaxValue));
        Assert.Equal(["__name__", "instance", "job", "room"], block.LabelNames());
        Assert.Equal(["fixture_requests", "fixture_temp"], block.LabelValues("__name__"));
        var lab = block.Select(BlockRoundTripTests.Matchers("room=~lab.*"), 7_300_000, 7_400_000);
        Assert.Equal("lab \"1\"", Assert.Single(lab).Labels.Get("room"));
        Assert.Empty(block.Tombstones);
    }

    [Fact]
    public void BlockWriter_ReproducesPrometheusBytes()
    {
        using var dir = new TempDir();
        using var block = Block.Open(FixtureDir);
        var meta = BlockWriter.Write(dir.Path, block.Meta.MinTime, block.Meta.MaxTime, block.AllSeries().ToList());
        foreach (var f in new[] { "index", "chunks/000001", "tombstones" })
        {
            var want = File.ReadAllBytes(Path.Combine(FixtureDir, f));
            var got = File.ReadAllBytes(Path.Combine(dir.Path, meta.Ulid, f));
            Assert.True(want.AsSpan().SequenceEqual(got), $"{f}: ours differ from Prometheus's at byte {want.AsSpan().CommonPrefixLength(got)}");
        }
        Assert.Equal(block.Meta.Stats, meta.Stats);
    }

    [Fact]
    public void BlockWriter_ProducesTheSameBytesFromFreshChunks()
    {
        // Chunks encoded by XorChunk (not copied from the fixture) give the same segment bytes as
        // Prometheus's appender, because both cut at 120 samples and encode identically.
        using var dir = new TempDir();
        var meta = BlockWriter.Write(dir.Path, 7_200_000, 13_140_001, BlockTestData.ToChunks(Expected()));
        foreach (var f in new[] { "index", "chunks/000001" })
        {
            var want = File.ReadAllBytes(Path.Combine(FixtureDir, f));
            var got = File.ReadAllBytes(Path.Combine(dir.Path, meta.Ulid, f));
            Assert.True(want.AsSpan().SequenceEqual(got), $"{f}: ours differ from Prometheus's at byte {want.AsSpan().CommonPrefixLength(got)}");
        }
    }
}
