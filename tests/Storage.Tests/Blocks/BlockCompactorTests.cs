using Strata.Storage.Blocks;
using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Tests.Blocks;

public class BlockCompactorTests
{
    private const long H = BlockTestData.Hour;

    /// <summary>The expected result of merging series sets: union by label set, later set wins on equal timestamps.</summary>
    internal static List<TestSeries> ExpectedMerge(params List<TestSeries>[] inputs)
    {
        var byLabels = new Dictionary<LabelSet, SortedDictionary<long, double>>();
        foreach (var input in inputs)
        {
            foreach (var s in input)
            {
                if (!byLabels.TryGetValue(s.Labels, out var samples)) byLabels[s.Labels] = samples = [];
                foreach (var (t, v) in s.Samples) samples[t] = v;
            }
        }
        return [.. byLabels.Select(kv => new TestSeries(kv.Key, [.. kv.Value.Select(x => (x.Key, x.Value))])).OrderBy(s => s.Labels)];
    }

    private static Block WriteBlock(string dataDir, long min, long max, List<TestSeries> series, int perChunk = 120) =>
        Block.Open(Path.Combine(dataDir, BlockWriter.Write(dataDir, min, max, BlockTestData.ToChunks(series, perChunk)).Ulid));

    [Fact]
    public void AdjacentBlocks_MergeIntoOneWithAllSamples()
    {
        using var dir = new TempDir();
        // 40 series in the first window, 30 in the second; they share 20 label sets.
        var a = BlockTestData.Generate(40, 0, 2 * H, seed: 1);
        var b = BlockTestData.Generate(50, 2 * H, 4 * H, seed: 2).Where(s => int.Parse(s.Labels.Get("idx")!, System.Globalization.CultureInfo.InvariantCulture) >= 20).ToList();
        using var ba = WriteBlock(dir.Path, 0, 2 * H, a);
        using var bb = WriteBlock(dir.Path, 2 * H, 4 * H, b);

        var meta = BlockCompactor.Compact(dir.Path, [ba, bb]);

        using var merged = Block.Open(Path.Combine(dir.Path, meta.Ulid));
        var expected = ExpectedMerge(a, b);
        BlockTestData.AssertSeries("adjacent", expected, merged.Select([], long.MinValue, long.MaxValue));
        Assert.Equal(0, meta.MinTime);
        Assert.Equal(4 * H, meta.MaxTime);
        Assert.Equal(2, meta.Compaction.Level);
        Assert.Equal(new[] { ba.Meta.Ulid, bb.Meta.Ulid }.Order(StringComparer.Ordinal), meta.Compaction.Sources);
        Assert.Equal([new BlockDesc(ba.Meta.Ulid, 0, 2 * H), new BlockDesc(bb.Meta.Ulid, 2 * H, 4 * H)], meta.Compaction.Parents);
        Assert.Equal(expected.Count, meta.Stats.NumSeries);
        Assert.Equal(expected.Sum(s => s.Samples.Length), meta.Stats.NumSamples);
        // Nothing overlapped, so every chunk was copied as it was.
        Assert.Equal(ba.Meta.Stats.NumChunks + bb.Meta.Stats.NumChunks, meta.Stats.NumChunks);
        Assert.Equal(merged.Meta, meta with { Compaction = merged.Meta.Compaction });
    }

    [Fact]
    public void OverlappingBlocks_MergeChunksAndDropDuplicates_LaterBlockWins()
    {
        using var dir = new TempDir();
        // Block A: 0..2h every 15 s. Block B: 1h..3h on the same 15 s grid (duplicates in the overlap,
        // with different values) plus samples in between (7.5 s offsets).
        var labels = LabelSet.From(("__name__", "up"), ("job", "x"));
        var other = LabelSet.From(("__name__", "up"), ("job", "y"));
        var a = new List<TestSeries>
        {
            new(labels, [.. Enumerable.Range(0, 480).Select(i => (i * 15_000L, (double)i))]),
            new(other, [.. Enumerable.Range(0, 10).Select(i => (i * 15_000L, -1.0))]),
        };
        var b = new List<TestSeries>
        {
            new(labels, [.. Enumerable.Range(240, 480).SelectMany(i => new[] { (i * 15_000L, 1000.0 + i), (i * 15_000L + 7_500, 0.5 + i) })]),
        };
        using var ba = WriteBlock(dir.Path, 0, 2 * H, a);
        using var bb = WriteBlock(dir.Path, H, 3 * H, b, perChunk: 100);

        var meta = BlockCompactor.Compact(dir.Path, [ba, bb]);

        using var merged = Block.Open(Path.Combine(dir.Path, meta.Ulid));
        var expected = ExpectedMerge(a, b);
        var got = merged.Select([], long.MinValue, long.MaxValue);
        BlockTestData.AssertSeries("overlapping", expected, got);
        Assert.Equal(1000.0 + 300, BlockTestData.Decode(got[0]).Single(s => s.T == 300 * 15_000L).V);
        foreach (var s in got)
        {
            for (int i = 0; i < s.Chunks.Length; i++)
            {
                Assert.InRange(s.Chunks[i].Count, 1, BlockCompactor.SamplesPerChunk);
                if (i > 0) Assert.True(s.Chunks[i].MinTime > s.Chunks[i - 1].MaxTime, "chunks overlap after compaction");
            }
        }
        Assert.Equal(0, meta.MinTime);
        Assert.Equal(3 * H, meta.MaxTime);

        // The reverse order makes A the later block: its values win on the shared timestamps.
        var meta2 = BlockCompactor.Compact(dir.Path, [bb, ba]);
        using var merged2 = Block.Open(Path.Combine(dir.Path, meta2.Ulid));
        BlockTestData.AssertSeries("overlapping, reversed", ExpectedMerge(b, a), merged2.Select([], long.MinValue, long.MaxValue));
    }

    [Fact]
    public void Compaction_RaisesLevel_UnionsSources_AndAppliesTombstones()
    {
        using var dir = new TempDir();
        var a = BlockTestData.Generate(5, 0, 2 * H, seed: 3);
        var b = BlockTestData.Generate(5, 2 * H, 4 * H, seed: 4);
        var c = BlockTestData.Generate(5, 4 * H, 6 * H, seed: 5);
        string ab;
        using (var ba = WriteBlock(dir.Path, 0, 2 * H, a))
        using (var bb = WriteBlock(dir.Path, 2 * H, 4 * H, b))
        {
            ab = BlockCompactor.Compact(dir.Path, [ba, bb]).Ulid;
        }
        using var bab = Block.Open(Path.Combine(dir.Path, ab));
        using var bc0 = WriteBlock(dir.Path, 4 * H, 6 * H, c);
        string cDir = bc0.Directory;
        long victimRef = bc0.SeriesRef(c[0].Labels);
        bc0.Dispose();
        File.WriteAllBytes(Path.Combine(cDir, "tombstones"), TombstonesFile.Encode(new Dictionary<long, TombstoneInterval[]> { [victimRef] = [new TombstoneInterval(0, 5 * H)] }));
        using var bc = Block.Open(cDir);

        var meta = BlockCompactor.Compact(dir.Path, [bab, bc]);

        Assert.Equal(3, meta.Compaction.Level);
        Assert.Equal(3, meta.Compaction.Sources.Count);
        Assert.Equal(bab.Meta.Compaction.Sources.Append(bc.Meta.Ulid).Order(StringComparer.Ordinal), meta.Compaction.Sources);
        using var merged = Block.Open(Path.Combine(dir.Path, meta.Ulid));
        var cAfter = c.Select((s, i) => i == 0 ? s with { Samples = [.. s.Samples.Where(x => x.T > 5 * H)] } : s).ToList();
        BlockTestData.AssertSeries("three windows", ExpectedMerge(a, b, cAfter), merged.Select([], long.MinValue, long.MaxValue));
    }

    public static readonly TheoryData<string, string, string, string> MergeCases = new()
    {
        // name, chunks of block 0, chunks of block 1 (chunks separated by '|', samples "t=v"), expected samples
        { "disjoint", "1=1 2=2|10=10", "20=20", "1=1 2=2 10=10 20=20" },
        { "interleaved", "1=1 3=3 5=5", "2=20 4=40", "1=1 2=20 3=3 4=40 5=5" },
        { "duplicates: later block wins", "1=1 2=2 3=3", "2=200 3=300 4=400", "1=1 2=200 3=300 4=400" },
        { "identical chunks", "1=1 2=2|10=10 20=20", "10=10 20=20", "1=1 2=2 10=10 20=20" },
        { "one chunk bridging two", "1=1 2=2|5=5 6=6", "2=7 5=8", "1=1 2=7 5=8 6=6" },
        { "NaN and -0 survive", "1=NaN 2=-0", "3=1", "1=NaN 2=-0 3=1" },
    };

    private static ChunkSnapshot[] Chunks(string spec) =>
        [.. spec.Split('|').Select(c =>
        {
            var x = new XorChunk();
            foreach (var (t, v) in Samples(c)) x.Append(t, v);
            return x.Seal();
        })];

    private static (long T, double V)[] Samples(string spec) =>
        [.. spec.Split(' ').Select(p => p.Split('=')).Select(p => (long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))];

    [Theory]
    [MemberData(nameof(MergeCases))]
    public void MergeChunks(string name, string block0, string block1, string expected)
    {
        var merged = BlockCompactor.MergeChunks([(0, Chunks(block0)), (1, Chunks(block1))]);
        var s = new Strata.Storage.Head.SeriesChunks(LabelSet.Empty, merged);
        BlockTestData.AssertSamples(name, Samples(expected), BlockTestData.Decode(s));
        for (int i = 1; i < merged.Length; i++) Assert.True(merged[i].MinTime > merged[i - 1].MaxTime, $"{name}: chunks overlap");
    }

    [Fact]
    public void MergeChunks_CutsAt120Samples()
    {
        var c0 = Chunks(string.Join(" ", Enumerable.Range(0, 300).Select(i => $"{2 * i}={i}")));
        var c1 = Chunks(string.Join(" ", Enumerable.Range(0, 300).Select(i => $"{2 * i + 1}={i}")));
        var merged = BlockCompactor.MergeChunks([(0, c0), (1, c1)]);
        Assert.Equal([120, 120, 120, 120, 120], merged.Select(c => c.Count));
    }
}
