using System.Buffers.Binary;
using Strata.Storage.Blocks;

namespace Strata.Storage.Tests.Blocks;

public class BlockCorruptionTests
{
    private const long Start = 0;
    private const long End = 2 * BlockTestData.Hour;

    private static (TempDir Dir, List<TestSeries> Series, string BlockDir) NewBlock(int count = 8)
    {
        var dir = new TempDir();
        var series = BlockTestData.Generate(count, Start, End, seed: 7);
        var meta = BlockWriter.Write(dir.Path, Start, End, BlockTestData.ToChunks(series));
        return (dir, series, Path.Combine(dir.Path, meta.Ulid));
    }

    [Fact]
    public void CorruptChunkByte_FailsThatSeriesOnly()
    {
        var (dir, series, blockDir) = NewBlock();
        using var _ = dir;
        var victim = series[3];
        // The first chunk of the victim: find its reference via the index, then flip a data byte.
        ulong chunkRef;
        using (var b = Block.Open(blockDir))
        {
            long r = b.SeriesRef(victim.Labels);
            using var index = IndexReader.Open(Path.Combine(blockDir, "index"));
            var metas = new List<ChunkMeta>();
            index.ReadSeries((int)r, metas);
            chunkRef = metas[0].Ref;
        }
        string segment = Path.Combine(blockDir, "chunks", "000001");
        var bytes = File.ReadAllBytes(segment);
        int off = (int)(chunkRef & 0xFFFFFFFF);
        bytes[off + 12] ^= 0x10; // past the length varint (≤ 5 bytes), the encoding byte and the sample count: chunk data
        File.WriteAllBytes(segment, bytes);

        using var block = Block.Open(blockDir);
        var ex = Assert.Throws<CorruptBlockException>(() => block.Select(BlockRoundTripTests.Matchers("idx=" + victim.Labels.Get("idx")), long.MinValue, long.MaxValue));
        Assert.Equal(segment, ex.FilePath);
        Assert.Equal(off, ex.Offset);
        Assert.Contains("checksum", ex.Reason, StringComparison.Ordinal);

        // Every other series still reads, exactly.
        foreach (var s in series.Where(s => s != victim))
        {
            var got = block.Select(BlockRoundTripTests.Matchers("idx=" + s.Labels.Get("idx")), long.MinValue, long.MaxValue);
            BlockTestData.AssertSeries(s.Labels.ToString(), [s], got);
        }
        // Labels come from the index alone, so they are still listed.
        Assert.Equal(series.Count, block.SelectLabels([], long.MinValue, long.MaxValue).Count);
    }

    public static readonly TheoryData<int> TruncatedLengths = new() { 0, 1, 4, 5, 40, 57, -1, -4, -52, -53, -100 };

    [Theory]
    [MemberData(nameof(TruncatedLengths))]
    public void TruncatedIndex_FailsAtOpen(int length)
    {
        var (dir, _, blockDir) = NewBlock();
        using var _ = dir;
        string index = Path.Combine(blockDir, "index");
        var bytes = File.ReadAllBytes(index);
        int keep = length >= 0 ? length : bytes.Length + length;
        File.WriteAllBytes(index, bytes[..keep]);

        var ex = Assert.Throws<CorruptBlockException>(() => Block.Open(blockDir));
        Assert.Equal(index, ex.FilePath);
    }

    public static readonly TheoryData<string, int, byte> DamagedHeaders = new()
    {
        { "index", 0, 0xFF },        // magic
        { "index", 4, 1 },           // v1
        { "index", 4, 3 },           // unknown version
        { "chunks/000001", 0, 0 },   // magic
        { "chunks/000001", 4, 2 },   // version
        { "tombstones", 0, 0 },      // magic
        { "tombstones", 4, 9 },      // version
    };

    [Theory]
    [MemberData(nameof(DamagedHeaders))]
    public void DamagedHeader_FailsAtOpen(string file, int offset, byte value)
    {
        var (dir, _, blockDir) = NewBlock();
        using var _ = dir;
        string path = Path.Combine(blockDir, file);
        var bytes = File.ReadAllBytes(path);
        bytes[offset] = value;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CorruptBlockException>(() => Block.Open(blockDir));
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void MissingOrInvalidMeta_FailsAtOpen()
    {
        var (dir, _, blockDir) = NewBlock();
        using var _ = dir;
        string meta = Path.Combine(blockDir, "meta.json");
        File.WriteAllText(meta, "{\"ulid\":\"not-a-ulid\",\"minTime\":0,\"maxTime\":1,\"version\":1}");
        Assert.Throws<CorruptBlockException>(() => Block.Open(blockDir));
        File.Delete(meta);
        Assert.Throws<CorruptBlockException>(() => Block.Open(blockDir));
    }

    /// <summary>
    /// Every single-byte change anywhere in the index either is detected (CorruptBlockException, at
    /// Open or on read) or lands in bytes the reader never uses (padding, label indices) and changes
    /// nothing: no other exception type, no wrong answer.
    /// </summary>
    [Fact]
    public void EveryIndexByteFlip_IsDetectedOrHarmless()
    {
        var (dir, series, blockDir) = NewBlock(count: 4);
        using var _ = dir;
        string index = Path.Combine(blockDir, "index");
        var original = File.ReadAllBytes(index);
        int detected = 0, harmless = 0;
        for (int i = 0; i < original.Length; i++)
        {
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0x5A;
            File.WriteAllBytes(index, bytes);
            try
            {
                using var block = Block.Open(blockDir);
                var got = block.Select([], long.MinValue, long.MaxValue);
                BlockTestData.AssertSeries($"flip at {i}", series, got);
                Assert.Equal(series.Select(s => s.Labels.Get("idx")).Order(StringComparer.Ordinal), block.LabelValues("idx"));
                harmless++;
            }
            catch (CorruptBlockException)
            {
                detected++;
            }
        }
        File.WriteAllBytes(index, original);
        Assert.True(detected > original.Length / 2, $"only {detected} of {original.Length} flips detected ({harmless} harmless)");
    }

    [Fact]
    public void TombstonesChecksumMismatch_FailsAtOpen()
    {
        var (dir, _, blockDir) = NewBlock();
        using var _ = dir;
        string path = Path.Combine(blockDir, "tombstones");
        var bytes = TombstonesFile.Encode(new Dictionary<long, TombstoneInterval[]> { [1] = [new TombstoneInterval(0, 10)] });
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bytes.Length - 4), 0xDEADBEEF);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CorruptBlockException>(() => Block.Open(blockDir));
        Assert.Contains("checksum", ex.Reason, StringComparison.Ordinal);
    }
}
