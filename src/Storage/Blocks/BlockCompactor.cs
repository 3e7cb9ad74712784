using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Labels;

namespace Strata.Storage.Blocks;

/// <summary>
/// Merges blocks into one (Prometheus's <c>LeveledCompactor.Compact</c>, including vertical
/// compaction of overlapping blocks). Series are merged by label set in index order, streaming: one
/// series per input is in memory at a time. Deleted samples (tombstones) are dropped.
/// </summary>
public static class BlockCompactor
{
    /// <summary>Samples per re-encoded chunk, as Prometheus cuts them.</summary>
    public const int SamplesPerChunk = 120;

    /// <summary>
    /// Writes the merge of <paramref name="blocks"/> as a new block in <paramref name="dataDir"/> and returns
    /// its meta. Time range: the union of the inputs; level: max(level) + 1; sources: the union;
    /// parents: the inputs. Chunks of one series that overlap in time (from overlapping blocks) are
    /// decoded and re-encoded into chunks of at most 120 samples; when two blocks hold a sample at the
    /// same timestamp, the value from the block later in <paramref name="blocks"/> wins. The inputs
    /// are left in place; deleting them is the caller's decision.
    /// </summary>
    public static BlockMeta Compact(string dataDir, IReadOnlyList<Block> blocks)
    {
        if (blocks.Count == 0) throw new ArgumentException("nothing to compact", nameof(blocks));
        long minTime = long.MaxValue, maxTime = long.MinValue;
        int level = 0;
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        var parents = new List<BlockDesc>(blocks.Count);
        foreach (var b in blocks)
        {
            minTime = Math.Min(minTime, b.Meta.MinTime);
            maxTime = Math.Max(maxTime, b.Meta.MaxTime);
            level = Math.Max(level, b.Meta.Compaction.Level);
            foreach (var s in b.Meta.Compaction.Sources) sources.Add(s);
            if (b.Meta.Compaction.Sources.Count == 0) sources.Add(b.Meta.Ulid);
            parents.Add(new BlockDesc(b.Meta.Ulid, b.Meta.MinTime, b.Meta.MaxTime));
        }
        return BlockWriter.Write(dataDir, minTime, maxTime, Merge(blocks), new BlockWriteOptions
        {
            CompactionLevel = level + 1,
            Sources = [.. sources],
            Parents = parents,
        });
    }

    /// <summary>K-way merge of the inputs' series streams by label set (UTF-8 order, the index order).</summary>
    private static IEnumerable<SeriesChunks> Merge(IReadOnlyList<Block> blocks)
    {
        var its = new IEnumerator<SeriesChunks>?[blocks.Count];
        try
        {
            for (int i = 0; i < blocks.Count; i++)
            {
                var it = blocks[i].AllSeries().GetEnumerator();
                its[i] = it.MoveNext() ? it : Done(it);
            }
            var group = new List<(int Block, ChunkSnapshot[] Chunks)>();
            while (true)
            {
                LabelSet? min = null;
                foreach (var it in its)
                {
                    if (it != null && (min == null || Utf8Order.CompareLabels(it.Current.Labels, min) < 0)) min = it.Current.Labels;
                }
                if (min == null) yield break;
                group.Clear();
                for (int i = 0; i < its.Length; i++)
                {
                    var it = its[i];
                    if (it == null || !it.Current.Labels.Equals(min)) continue;
                    group.Add((i, it.Current.Chunks));
                    if (!it.MoveNext()) its[i] = Done(it);
                }
                var merged = MergeChunks(group, blocks);
                if (merged.Length > 0) yield return new SeriesChunks(min, merged);
            }
        }
        finally
        {
            foreach (var it in its) it?.Dispose();
        }
    }

    private static IEnumerator<SeriesChunks>? Done(IEnumerator<SeriesChunks> it)
    {
        it.Dispose();
        return null;
    }

    /// <summary>
    /// One series' chunks from several blocks, in time order. Runs of chunks that overlap in time are
    /// decoded, deduplicated by timestamp (the later block wins) and re-encoded; chunks that overlap
    /// nothing are passed through as they are.
    /// </summary>
    internal static ChunkSnapshot[] MergeChunks(List<(int Block, ChunkSnapshot[] Chunks)> group, IReadOnlyList<Block>? blocks = null)
    {
        if (group.Count == 1) return group[0].Chunks;
        var all = new List<(int Block, ChunkSnapshot Chunk)>();
        foreach (var (b, chunks) in group)
        {
            foreach (var c in chunks) all.Add((b, c));
        }
        all.Sort(static (x, y) =>
        {
            int c = x.Chunk.MinTime.CompareTo(y.Chunk.MinTime);
            return c != 0 ? c : x.Block.CompareTo(y.Block);
        });
        var result = new List<ChunkSnapshot>(all.Count);
        for (int i = 0; i < all.Count;)
        {
            int j = i + 1;
            long runMax = all[i].Chunk.MaxTime;
            while (j < all.Count && all[j].Chunk.MinTime <= runMax)
            {
                runMax = Math.Max(runMax, all[j].Chunk.MaxTime);
                j++;
            }
            if (j == i + 1) result.Add(all[i].Chunk);
            else Reencode(all, i, j, result, blocks);
            i = j;
        }
        return [.. result];
    }

    private static void Reencode(List<(int Block, ChunkSnapshot Chunk)> all, int from, int to, List<ChunkSnapshot> result, IReadOnlyList<Block>? blocks)
    {
        var samples = new List<(long T, ulong V, int Block)>();
        for (int k = from; k < to; k++)
        {
            var it = new XorIterator(all[k].Chunk);
            while (it.MoveNext()) samples.Add((it.Timestamp, it.ValueBits, all[k].Block));
            if (it.Failed)
            {
                string where = blocks != null ? blocks[all[k].Block].Directory : $"input {all[k].Block}";
                throw new CorruptBlockException(where, 0, $"XOR stream of the chunk [{all[k].Chunk.MinTime}, {all[k].Chunk.MaxTime}] ends before its sample count");
            }
        }
        samples.Sort(static (x, y) =>
        {
            int c = x.T.CompareTo(y.T);
            return c != 0 ? c : x.Block.CompareTo(y.Block);
        });
        XorChunk? chunk = null;
        for (int k = 0; k < samples.Count; k++)
        {
            // Equal timestamps are adjacent with the later block last: keep only the last of each run.
            if (k + 1 < samples.Count && samples[k + 1].T == samples[k].T) continue;
            if (chunk == null || chunk.Count == BlockCompactor.SamplesPerChunk)
            {
                if (chunk != null) result.Add(chunk.Seal());
                chunk = new XorChunk();
            }
            chunk.Append(samples[k].T, BitConverter.UInt64BitsToDouble(samples[k].V));
        }
        if (chunk != null) result.Add(chunk.Seal());
    }
}
