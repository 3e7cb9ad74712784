using System.Text.Json;
using Strata.Storage.Blocks;
using Strata.Storage.Head;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Storage.Tests.Blocks;

public class BlockRoundTripTests
{
    private const long Start = 10 * BlockTestData.Hour;
    private const long End = 12 * BlockTestData.Hour;

    /// <summary>Parses "a=x,b!=y,c=~re,d!~re" (values without commas).</summary>
    internal static List<LabelMatcher> Matchers(string spec)
    {
        var list = new List<LabelMatcher>();
        if (spec.Length == 0) return list;
        foreach (var part in spec.Split(','))
        {
            int i = part.IndexOfAny(['=', '!']);
            var rest = part.AsSpan(i);
            var (type, len) = rest.StartsWith("!=") ? (MatchType.NotEqual, 2)
                : rest.StartsWith("!~") ? (MatchType.NotRegex, 2)
                : rest.StartsWith("=~") ? (MatchType.Regex, 2)
                : (MatchType.Equal, 1);
            list.Add(new LabelMatcher(type, part[..i], part[(i + len)..]));
        }
        return list;
    }

    private static bool MatchesAll(LabelSet labels, List<LabelMatcher> matchers) =>
        matchers.TrueForAll(m => m.Matches(labels.Get(m.Name) ?? ""));

    public static readonly TheoryData<string> MatcherCases = new()
    {
        "job=api",
        "job!=api",
        "job=~a.*",
        "job!~a.*",
        "job=~api|db",
        "zone=",
        "zone!=",
        "zone=eu",
        "zone!=eu",
        "zone=~eu|us",
        "zone=~e.*",
        "zone!~eu",
        "zone=~",
        "zone=~.*",
        "zone=~.+",
        "__name__=m_total,job=db",
        "__name__=~m.*,instance=~host-[0-3]",
        "job=api,zone!=eu",
        "job=~api|db,instance!~host-1|host-2",
        "missing=x",
        "missing=",
        "missing!=x",
        "missing=~x|",
        "idx=0007",
        "idx=~00[1-2]9",
        "job=api,job=db",
        // One candidate against long lists: probed in place rather than merged.
        "idx=0007,job=db",
        "idx=0007,job=api",
        "idx=0008,job=~api|db",
        "idx=0008,zone!=eu",
        "idx=0016,zone!=eu",
        "idx=0016,zone!~e.*|u.*",
        "idx=0016,__name__!=m",
        "",
    };

    private static readonly Lazy<(TempDir Dir, List<TestSeries> Series, string BlockDir)> Shared = new(() =>
    {
        var dir = new TempDir();
        var series = BlockTestData.Generate(60, Start, End);
        var meta = BlockWriter.Write(dir.Path, Start, End, BlockTestData.ToChunks(series));
        return (dir, series, Path.Combine(dir.Path, meta.Ulid));
    });

    [Theory]
    [MemberData(nameof(MatcherCases))]
    public void Select_MatchesHeadSemantics_WithExactSamples(string spec)
    {
        var (_, series, blockDir) = Shared.Value;
        var matchers = Matchers(spec);
        var expected = series.Where(s => MatchesAll(s.Labels, matchers)).ToList();
        using var block = Block.Open(blockDir);

        var got = block.Select(matchers, long.MinValue, long.MaxValue);

        BlockTestData.AssertSeries(spec, expected, got);
        for (int i = 1; i < got.Count; i++) Assert.True(got[i - 1].Labels.CompareTo(got[i].Labels) < 0, $"{spec}: not sorted");
        var labels = block.SelectLabels(matchers, long.MinValue, long.MaxValue);
        Assert.Equal(expected.Select(s => s.Labels).ToHashSet(), labels.ToHashSet());
    }

    [Fact]
    public void Select_SameResultAsHead()
    {
        var (_, series, blockDir) = Shared.Value;
        var head = new Strata.Storage.Head.Head();
        foreach (var s in series)
        {
            // The head takes UTF-8 label runs; build them from the test's label set.
            var bytes = new List<byte>();
            var runs = new List<Utf8Label>();
            foreach (var l in s.Labels.AsSpan())
            {
                var n = System.Text.Encoding.UTF8.GetBytes(l.Name);
                var v = System.Text.Encoding.UTF8.GetBytes(l.Value);
                runs.Add(new Utf8Label(bytes.Count, n.Length, bytes.Count + n.Length, v.Length));
                bytes.AddRange(n);
                bytes.AddRange(v);
            }
            var ms = head.GetOrCreate(bytes.ToArray(), runs.ToArray(), out _);
            foreach (var (t, v) in s.Samples) head.Append(ms, t, v);
        }
        using var block = Block.Open(blockDir);
        foreach (string spec in MatcherCases)
        {
            var m = Matchers(spec);
            var fromHead = head.Select(m, long.MinValue, long.MaxValue).Select(x => x.Labels.ToString()).ToList();
            var fromBlock = block.Select(m, long.MinValue, long.MaxValue).Select(x => x.Labels.ToString()).ToList();
            Assert.Equal(fromHead, fromBlock);
        }
    }

    public static readonly TheoryData<long, long> TimeRanges = new()
    {
        { Start, End },
        { Start + BlockTestData.Hour / 2, Start + BlockTestData.Hour / 2 + 1 },
        { Start + BlockTestData.Hour, End + BlockTestData.Hour },
        { End - 1, long.MaxValue },
        { long.MinValue, Start - 1 },
        { End + 1, long.MaxValue },
    };

    [Theory]
    [MemberData(nameof(TimeRanges))]
    public void Select_ReturnsExactlyTheChunksOverlappingTheRange(long mint, long maxt)
    {
        var (_, series, blockDir) = Shared.Value;
        using var block = Block.Open(blockDir);
        var got = block.Select([], mint, maxt).ToDictionary(s => s.Labels);
        int expectedSeries = 0;
        foreach (var s in series)
        {
            var want = s.ToChunks().Chunks.Where(c => c.MinTime <= maxt && c.MaxTime >= mint).ToArray();
            if (want.Length == 0)
            {
                Assert.False(got.ContainsKey(s.Labels), $"[{mint}, {maxt}] {s.Labels} has no chunk in range");
                continue;
            }
            expectedSeries++;
            var expectedSamples = BlockTestData.Decode(new SeriesChunks(s.Labels, want));
            BlockTestData.AssertSamples($"[{mint}, {maxt}] {s.Labels}", expectedSamples, BlockTestData.Decode(got[s.Labels]));
        }
        Assert.Equal(expectedSeries, got.Count);
        Assert.Equal(expectedSeries, block.SelectLabels([], mint, maxt).Count);
    }

    [Fact]
    public void LabelNamesAndValues()
    {
        var (_, series, blockDir) = Shared.Value;
        using var block = Block.Open(blockDir);
        var names = series.SelectMany(s => s.Labels.AsSpan().ToArray()).Select(l => l.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names, block.LabelNames());
        foreach (var n in names)
        {
            var values = series.Select(s => s.Labels.Get(n)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(values, block.LabelValues(n));
        }
        Assert.Empty(block.LabelValues("missing"));
    }

    [Fact]
    public void Write_ProducesPrometheusLayoutAndMeta()
    {
        using var dir = new TempDir();
        var series = BlockTestData.Generate(10, Start, End);
        var meta = BlockWriter.Write(dir.Path, Start, End, BlockTestData.ToChunks(series));

        string blockDir = Path.Combine(dir.Path, meta.Ulid);
        Assert.Equal([meta.Ulid], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal(["chunks", "index", "meta.json", "tombstones"], Directory.GetFileSystemEntries(blockDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["000001"], Directory.GetFiles(Path.Combine(blockDir, "chunks")).Select(Path.GetFileName));
        Assert.Equal("0130BA300100000000", Convert.ToHexString(File.ReadAllBytes(Path.Combine(blockDir, "tombstones"))));

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(blockDir, "meta.json")));
        var root = json.RootElement;
        Assert.Equal(meta.Ulid, root.GetProperty("ulid").GetString());
        Assert.Equal(Start, root.GetProperty("minTime").GetInt64());
        Assert.Equal(End, root.GetProperty("maxTime").GetInt64());
        Assert.Equal(series.Sum(s => s.Samples.Length), root.GetProperty("stats").GetProperty("numSamples").GetInt64());
        Assert.Equal(series.Count, root.GetProperty("stats").GetProperty("numSeries").GetInt64());
        Assert.Equal(series.Sum(s => s.ToChunks().Chunks.Length), root.GetProperty("stats").GetProperty("numChunks").GetInt64());
        Assert.Equal(1, root.GetProperty("compaction").GetProperty("level").GetInt32());
        Assert.Equal(meta.Ulid, root.GetProperty("compaction").GetProperty("sources")[0].GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());

        using var block = Block.Open(blockDir);
        Assert.Equal(meta, block.Meta with { Compaction = meta.Compaction });
        Assert.Equal(meta.Compaction.Sources, block.Meta.Compaction.Sources);
        long size = new DirectoryInfo(blockDir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.Equal(size, block.SizeBytes);
    }

    [Fact]
    public void Write_AcceptsSeriesInAnyOrderAndSkipsEmptySeries()
    {
        using var dir = new TempDir();
        var series = BlockTestData.Generate(20, Start, End);
        var input = BlockTestData.ToChunks(series);
        input.Reverse();
        input.Add(new SeriesChunks(LabelSet.From(("__name__", "empty")), []));
        var meta = BlockWriter.Write(dir.Path, Start, End, input, compactionLevel: 3, sources: ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]);

        Assert.Equal(20, meta.Stats.NumSeries);
        Assert.Equal(3, meta.Compaction.Level);
        Assert.Equal(["01ARZ3NDEKTSV4RRFFQ69G5FAV"], meta.Compaction.Sources);
        using var block = Block.Open(Path.Combine(dir.Path, meta.Ulid));
        BlockTestData.AssertSeries("reversed input", series, block.Select([], long.MinValue, long.MaxValue));
    }

    public static readonly TheoryData<string> InvalidInputs = new() { "duplicate", "outside-range", "overlapping-chunks", "no-labels" };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Write_RejectsInvalidInputAndLeavesNothingBehind(string kind)
    {
        using var dir = new TempDir();
        var s = BlockTestData.Generate(2, Start, End);
        var c0 = s[0].ToChunks();
        List<SeriesChunks> input = kind switch
        {
            "duplicate" => [c0, c0],
            "outside-range" => [new TestSeries(s[0].Labels, [(End, 1.0)]).ToChunks()],
            "overlapping-chunks" => [new SeriesChunks(s[0].Labels, [c0.Chunks[0], c0.Chunks[0]])],
            _ => [new SeriesChunks(LabelSet.Empty, c0.Chunks)],
        };
        Assert.Throws<ArgumentException>(() => BlockWriter.Write(dir.Path, Start, End, input));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Write_CutsChunkSegments()
    {
        using var dir = new TempDir();
        var series = BlockTestData.Generate(30, Start, End);
        var meta = BlockWriter.Write(dir.Path, Start, End, BlockTestData.ToChunks(series), new BlockWriteOptions { SegmentSize = 4096 });
        string blockDir = Path.Combine(dir.Path, meta.Ulid);
        var segments = Directory.GetFiles(Path.Combine(blockDir, "chunks")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.True(segments.Length > 3, $"expected several segments, got {segments.Length}");
        Assert.Equal(segments.Select((_, i) => (i + 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), segments);
        foreach (var f in Directory.GetFiles(Path.Combine(blockDir, "chunks"))) Assert.True(new FileInfo(f).Length <= 4096, f);
        using var block = Block.Open(blockDir);
        BlockTestData.AssertSeries("segmented", series, block.Select([], long.MinValue, long.MaxValue));
    }

    [Fact]
    public void EmptyBlock_RoundTrips()
    {
        using var dir = new TempDir();
        var meta = BlockWriter.Write(dir.Path, Start, End, []);
        using var block = Block.Open(Path.Combine(dir.Path, meta.Ulid));
        Assert.Empty(block.Select([], long.MinValue, long.MaxValue));
        Assert.Empty(block.LabelNames());
        Assert.Equal(0, block.Meta.Stats.NumSeries);
    }

    [Fact]
    public void Tombstones_DropDeletedSamples()
    {
        using var dir = new TempDir();
        var series = BlockTestData.Generate(6, Start, End);
        var meta = BlockWriter.Write(dir.Path, Start, End, BlockTestData.ToChunks(series));
        string blockDir = Path.Combine(dir.Path, meta.Ulid);

        long cutFrom = Start + BlockTestData.Hour / 3, cutTo = Start + BlockTestData.Hour;
        long ref0, ref1;
        using (var b = Block.Open(blockDir))
        {
            ref0 = b.SeriesRef(series[0].Labels);
            ref1 = b.SeriesRef(series[1].Labels);
            Assert.True(ref0 > 0 && ref1 > 0);
            Assert.Equal(-1, b.SeriesRef(LabelSet.From(("__name__", "nope"))));
        }
        var tomb = new Dictionary<long, TombstoneInterval[]>
        {
            [ref0] = [new TombstoneInterval(cutFrom, cutTo)],
            [ref1] = [new TombstoneInterval(long.MinValue, long.MaxValue)],
        };
        File.WriteAllBytes(Path.Combine(blockDir, "tombstones"), TombstonesFile.Encode(tomb));

        using var block = Block.Open(blockDir);
        Assert.Equal(2, block.Tombstones.Count);
        var expected = new List<TestSeries>(series);
        expected[0] = series[0] with { Samples = [.. series[0].Samples.Where(x => x.T < cutFrom || x.T > cutTo)] };
        expected.RemoveAt(1);
        BlockTestData.AssertSeries("tombstoned", expected, block.Select([], long.MinValue, long.MaxValue));
        Assert.DoesNotContain(series[1].Labels, block.SelectLabels([], long.MinValue, long.MaxValue));
        // Only the deleted window is asked for: series 0 has nothing left there.
        var inHole = block.Select([], cutFrom + 60_000, cutTo - 60_000);
        Assert.DoesNotContain(inHole, s => s.Labels.Equals(series[0].Labels));
    }

    [Fact]
    public async Task ConcurrentReaders_AndDisposeWaitsForThem()
    {
        var (_, series, blockDir) = Shared.Value;
        var block = Block.Open(blockDir);
        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (int k = 0; k < 20; k++)
            {
                var m = Matchers(i % 2 == 0 ? "job=api" : "zone!=eu");
                var got = block.Select(m, long.MinValue, long.MaxValue);
                BlockTestData.AssertSeries("concurrent", series.Where(s => MatchesAll(s.Labels, m)).ToList(), got);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        block.Dispose();
        Assert.Throws<ObjectDisposedException>(() => block.Select([], 0, 1));
        block.Dispose();
    }

    [Fact]
    public void BlockMeta_JsonRoundTrips()
    {
        var meta = new BlockMeta("01ARZ3NDEKTSV4RRFFQ69G5FAV", -5, 7200000, new BlockStats(10, 2, 3, 1),
            new BlockCompaction(2, ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "01BX5ZZKBKACTAV9WEVGEMMVRZ"],
                [new BlockDesc("01ARZ3NDEKTSV4RRFFQ69G5FAV", -5, 10), new BlockDesc("01BX5ZZKBKACTAV9WEVGEMMVRZ", 10, 7200000)], Failed: true));
        var back = BlockMeta.Parse(meta.ToJson(), "meta.json");
        Assert.Equal(meta.ToJson(), back.ToJson());
        Assert.Equal(meta.Compaction.Parents, back.Compaction.Parents);
        Assert.True(back.Compaction.Failed);
        Assert.Throws<CorruptBlockException>(() => BlockMeta.Parse("{\"ulid\": 5}"u8, "meta.json"));
    }
}
