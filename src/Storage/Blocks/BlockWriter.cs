using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Storage.Blocks;

/// <summary>
/// Writes a Prometheus TSDB block (see FORMAT.md): chunks are streamed to segment files as series
/// arrive; labels and chunk metas are kept to write the index afterwards (its symbol table must come
/// first). Everything goes to <c>&lt;ulid&gt;.tmp-for-creation/</c>, is fsynced, and the directory is
/// renamed into place, so a block is either complete or absent after a crash.
/// </summary>
public static class BlockWriter
{
    public const string TmpForCreationSuffix = ".tmp-for-creation";

    /// <summary>
    /// Writes a block for [<paramref name="minTime"/>, <paramref name="maxTime"/>) (maxTime exclusive, as in
    /// meta.json). Series may come in any order (the index is written in Prometheus's label order) but
    /// each label set at most once; series without chunks are skipped. Chunks of a series must be in
    /// time order, not overlap and lie inside the block range.
    /// </summary>
    public static BlockMeta Write(string dataDir, long minTime, long maxTime, IEnumerable<SeriesChunks> seriesSortedByLabels,
        int compactionLevel = 1, IReadOnlyList<string>? sources = null) =>
        Write(dataDir, minTime, maxTime, seriesSortedByLabels, new BlockWriteOptions
        {
            CompactionLevel = compactionLevel,
            Sources = sources?.Select(static s => Ulid.Parse(s).ToString()).ToArray(),
        });

    internal static BlockMeta Write(string dataDir, long minTime, long maxTime, IEnumerable<SeriesChunks> series, BlockWriteOptions options)
    {
        if (maxTime <= minTime) throw new ArgumentException($"empty block range [{minTime}, {maxTime})");
        if (options.CompactionLevel < 1) throw new ArgumentOutOfRangeException(nameof(options), "compaction level must be at least 1");
        var ulid = Ulid.New();
        string final = Path.Combine(dataDir, ulid.ToString());
        string tmp = final + TmpForCreationSuffix;
        Directory.CreateDirectory(dataDir);
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        try
        {
            var meta = WriteContents(tmp, ulid, minTime, maxTime, series, options);
            FileSync.SyncDirectory(Path.Combine(tmp, "chunks"));
            FileSync.SyncDirectory(tmp);
            Directory.Move(tmp, final);
            FileSync.SyncDirectory(dataDir);
            return meta;
        }
        catch
        {
            // Leave nothing half-written behind; the original error is what the caller needs.
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            throw;
        }
    }

    private static BlockMeta WriteContents(string dir, Ulid ulid, long minTime, long maxTime, IEnumerable<SeriesChunks> input, BlockWriteOptions options)
    {
        var pending = new List<(LabelSet Labels, ChunkMeta[] Chunks)>();
        // Prometheus's head lists the empty string among its symbols (from the all-postings key ("", "")),
        // so every block it writes, and every block compacted from those, has "" as symbol 0. Kept for
        // byte-identical indexes.
        var symbols = new HashSet<string>(StringComparer.Ordinal) { "" };
        long numSamples = 0, numChunks = 0;
        using (var chunkWriter = new ChunkSegmentWriter(Path.Combine(dir, "chunks"), options.SegmentSize))
        {
            foreach (var s in input)
            {
                if (s.Chunks.Length == 0) continue;
                if (s.Labels.Count == 0) throw new ArgumentException("series without labels");
                var metas = new ChunkMeta[s.Chunks.Length];
                for (int i = 0; i < metas.Length; i++)
                {
                    var c = s.Chunks[i];
                    if (c.MinTime < minTime || c.MaxTime >= maxTime)
                        throw new ArgumentException($"series {s.Labels}: chunk [{c.MinTime}, {c.MaxTime}] outside block [{minTime}, {maxTime})");
                    if (c.MaxTime < c.MinTime || (i > 0 && c.MinTime <= s.Chunks[i - 1].MaxTime))
                        throw new ArgumentException($"series {s.Labels}: chunk {i} [{c.MinTime}, {c.MaxTime}] out of order or overlapping");
                    if (c.Length < XorChunk.HeaderSize || c.Count == 0)
                        throw new ArgumentException($"series {s.Labels}: chunk {i} is empty");
                    metas[i] = new ChunkMeta(c.MinTime, c.MaxTime, chunkWriter.Write(c.Bytes));
                    numSamples += c.Count;
                }
                numChunks += metas.Length;
                foreach (var l in s.Labels.AsSpan())
                {
                    symbols.Add(l.Name);
                    symbols.Add(l.Value);
                }
                pending.Add((s.Labels, metas));
            }
            chunkWriter.Finish();
        }
        // Callers sort with LabelSet.CompareTo (UTF-16 order); the index needs UTF-8 order. They agree
        // unless supplementary characters are involved, so this is normally a linear check.
        bool ordered = true;
        for (int i = 1; i < pending.Count && ordered; i++) ordered = Utf8Order.CompareLabels(pending[i - 1].Labels, pending[i].Labels) < 0;
        if (!ordered) pending.Sort(static (a, b) => Utf8Order.CompareLabels(a.Labels, b.Labels));

        var sortedSymbols = symbols.ToArray();
        Array.Sort(sortedSymbols, Utf8Order.Instance);
        using (var index = new IndexWriter(Path.Combine(dir, IndexFormat.FileName)))
        {
            index.AddSymbols(sortedSymbols);
            foreach (var (labels, metas) in pending) index.AddSeries(labels, metas);
            index.Finish();
        }

        FileSync.WriteFileAtomic(Path.Combine(dir, TombstonesFile.FileName), TombstonesFile.Encode(new Dictionary<long, TombstoneInterval[]>()));

        string[] sources = options.Sources is { Count: > 0 } src ? [.. src.Distinct().Order(StringComparer.Ordinal)] : [ulid.ToString()];
        var meta = new BlockMeta(ulid.ToString(), minTime, maxTime,
            new BlockStats(numSamples, pending.Count, numChunks),
            new BlockCompaction(options.CompactionLevel, sources, options.Parents ?? []));
        FileSync.WriteFileAtomic(Path.Combine(dir, BlockMeta.FileName), meta.ToJson());
        return meta;
    }
}

/// <summary>Knobs of <see cref="BlockWriter"/> beyond the public signature (compaction lineage, tests).</summary>
internal sealed record BlockWriteOptions
{
    public int CompactionLevel { get; init; } = 1;
    public IReadOnlyList<string>? Sources { get; init; }
    public IReadOnlyList<BlockDesc>? Parents { get; init; }

    /// <summary>Chunk segment size; Prometheus's default is 512 MiB. Tests lower it to exercise cutting.</summary>
    public long SegmentSize { get; init; } = ChunkSegment.DefaultSegmentSize;
}
