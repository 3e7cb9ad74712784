using System.Buffers.Binary;
using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Storage.Blocks;

public sealed partial class Block
{
    /// <summary>
    /// Series matching all matchers with their chunks overlapping [mint, maxt] (both inclusive), with
    /// the same matcher semantics as <c>Head.Select</c>; series without such chunks are left out.
    /// Chunk bytes are copied out of the map (and CRC-checked), so the result outlives the block.
    /// Chunks touched by a tombstone are re-encoded without the deleted samples.
    /// </summary>
    public List<SeriesChunks> Select(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt, bool sorted = true)
    {
        using var lease = Acquire();
        int[] refs = SelectRefs(matchers);
        var result = new List<SeriesChunks>(Math.Min(refs.Length, 1024));
        var metas = new List<ChunkMeta>();
        var chunks = new List<ChunkSnapshot>();
        foreach (int r in refs)
        {
            var labels = _index.ReadSeries(r, metas);
            ReadChunks(r, metas, mint, maxt, chunks);
            if (chunks.Count == 0) continue;
            result.Add(new SeriesChunks(labels, [.. chunks]));
        }
        if (sorted) SortIfNeeded(result, static (a, b) => a.Labels.CompareTo(b.Labels));
        return result;
    }

    /// <summary>Label sets of matching series that have samples in [mint, maxt] (index order).</summary>
    public List<LabelSet> SelectLabels(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt)
    {
        using var lease = Acquire();
        int[] refs = SelectRefs(matchers);
        var result = new List<LabelSet>(Math.Min(refs.Length, 1024));
        var metas = new List<ChunkMeta>();
        var chunks = new List<ChunkSnapshot>();
        foreach (int r in refs)
        {
            var labels = _index.ReadSeries(r, metas);
            bool any;
            if (_tombstones.ContainsKey(r))
            {
                // Deletions may empty a chunk; only decoding tells.
                ReadChunks(r, metas, mint, maxt, chunks);
                any = chunks.Count > 0;
            }
            else
            {
                any = false;
                foreach (var m in metas)
                {
                    if (m.MinTime <= maxt && m.MaxTime >= mint)
                    {
                        any = true;
                        break;
                    }
                }
            }
            if (any) result.Add(labels);
        }
        return result;
    }

    /// <summary>Every series with all its chunks, in index order, read lazily (compaction input).</summary>
    internal IEnumerable<SeriesChunks> AllSeries()
    {
        using var lease = Acquire();
        int[] refs = _index.AllPostings();
        var metas = new List<ChunkMeta>();
        var chunks = new List<ChunkSnapshot>();
        foreach (int r in refs)
        {
            var labels = _index.ReadSeries(r, metas);
            ReadChunks(r, metas, long.MinValue, long.MaxValue, chunks);
            if (chunks.Count == 0) continue;
            yield return new SeriesChunks(labels, [.. chunks]);
        }
    }

    private static void SortIfNeeded<T>(List<T> list, Comparison<T> cmp)
    {
        for (int i = 1; i < list.Count; i++)
        {
            if (cmp(list[i - 1], list[i]) > 0)
            {
                list.Sort(cmp);
                return;
            }
        }
    }

    private void ReadChunks(int seriesRef, List<ChunkMeta> metas, long mint, long maxt, List<ChunkSnapshot> into)
    {
        into.Clear();
        _tombstones.TryGetValue(seriesRef, out var deleted);
        foreach (var m in metas)
        {
            if (m.MinTime > maxt || m.MaxTime < mint) continue;
            byte[] data = _chunks.Read(m.Ref);
            int count = BinaryPrimitives.ReadUInt16BigEndian(data);
            var chunk = new ChunkSnapshot(data, data.Length, count, m.MinTime, m.MaxTime);
            if (deleted != null)
            {
                var kept = WithoutDeleted(chunk, deleted, m.Ref);
                if (kept is not { } k || k.MinTime > maxt || k.MaxTime < mint) continue;
                chunk = k;
            }
            into.Add(chunk);
        }
    }

    /// <summary>The chunk without samples inside <paramref name="deleted"/>, re-encoded if any were removed; null if none remain.</summary>
    private ChunkSnapshot? WithoutDeleted(ChunkSnapshot chunk, TombstoneInterval[] deleted, ulong chunkRef)
    {
        bool touched = false;
        foreach (var iv in deleted)
        {
            if (iv.Overlaps(chunk.MinTime, chunk.MaxTime))
            {
                touched = true;
                break;
            }
        }
        if (!touched) return chunk;
        var it = new XorIterator(chunk);
        var kept = new XorChunk(chunk.Length);
        while (it.MoveNext())
        {
            long t = it.Timestamp;
            bool drop = false;
            foreach (var iv in deleted)
            {
                if (iv.Contains(t))
                {
                    drop = true;
                    break;
                }
            }
            if (!drop) kept.Append(t, it.Value);
        }
        if (it.Failed)
        {
            // The CRC matched, so the writer produced a malformed stream.
            var (path, offset) = _chunks.Locate(chunkRef);
            throw new CorruptBlockException(path, offset, "XOR stream ends before its sample count (found while applying tombstones)");
        }
        return kept.Count == 0 ? null : kept.Seal();
    }

    /// <summary>
    /// Series refs matching all matchers, ascending — the algorithm of <see cref="PostingsIndex.Select"/>
    /// over the on-disk postings: matchers that reject the empty string intersect, the others subtract
    /// the series whose value they reject (so series lacking the label stay selected). The smallest
    /// positive matcher is materialised first; longer lists are then probed in place.
    /// </summary>
    private int[] SelectRefs(IReadOnlyList<LabelMatcher> matchers)
    {
        var positive = new List<(List<PostingsView> Views, long Total)>();
        var negative = new List<List<PostingsView>>();
        foreach (var m in matchers)
        {
            var views = new List<PostingsView>();
            if (m.MatchesEmpty)
            {
                if (m.Type == MatchType.Regex && m.Value is ".*" or ".*?") continue;
                _index.ViewsMatching(m.Name, v => !m.Matches(v), views);
                negative.Add(views);
            }
            else
            {
                ViewsFor(m, views);
                long total = 0;
                foreach (var v in views) total += v.Count;
                positive.Add((views, total));
            }
        }
        int[] result;
        if (positive.Count == 0)
        {
            result = _index.AllPostings();
        }
        else
        {
            positive.Sort(static (a, b) => a.Total.CompareTo(b.Total));
            result = _index.Union(positive[0].Views);
            for (int i = 1; i < positive.Count && result.Length > 0; i++) result = Apply(result, positive[i].Views, intersect: true);
        }
        foreach (var n in negative)
        {
            if (result.Length == 0) break;
            result = Apply(result, n, intersect: false);
        }
        return result;
    }

    // Probing in place costs |result| · |views| binary searches; a merge costs reading every list once.
    // Probe when the lists are few and together much longer than the candidates.
    private int[] Apply(int[] result, List<PostingsView> views, bool intersect)
    {
        if (views.Count == 0) return intersect ? [] : result;
        long total = 0;
        foreach (var v in views) total += v.Count;
        if (views.Count <= 8 && total > 8L * result.Length) return _index.Filter(result, views, keepIfFound: intersect);
        var other = _index.Union(views);
        return intersect ? Postings.Intersect(result, other) : Postings.Subtract(result, other);
    }

    private void ViewsFor(LabelMatcher m, List<PostingsView> into)
    {
        if (m.Type == MatchType.Equal)
        {
            var v = _index.View(m.Name, m.Value);
            if (v.Count > 0) into.Add(v);
            return;
        }
        var set = m.SetMatches;
        if (set != null)
        {
            foreach (var value in set)
            {
                var v = _index.View(m.Name, value);
                if (v.Count > 0) into.Add(v);
            }
            return;
        }
        _index.ViewsMatching(m.Name, m.Matches, into);
    }
}
