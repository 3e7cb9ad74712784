using Strata.Storage.Blocks;
using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Storage.Tsdb;

public sealed partial class Tsdb : ISeriesReader
{
    public long MinTime
    {
        get
        {
            var blocks = _blocks;
            long min = Head.MinTime;
            if (blocks.Length > 0) min = Math.Min(min, blocks[0].Block.Meta.MinTime);
            return min;
        }
    }

    public long MaxTime
    {
        get
        {
            var blocks = _blocks;
            long max = Head.MaxTime;
            foreach (var b in blocks) max = Math.Max(max, b.Block.Meta.MaxTime - 1);
            return max;
        }
    }

    /// <summary>
    /// Head and overlapping blocks merged by label set; a series' chunks come oldest block first and
    /// head last, so where they overlap the head's samples win (readers merge overlapping chunks).
    /// A block that fails to read (corruption) is logged, counted and left out; the rest is served.
    /// </summary>
    public List<SeriesChunks> Select(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt, bool sorted = true)
    {
        var parts = new List<List<SeriesChunks>>();
        var held = Acquire(mint, maxt);
        try
        {
            foreach (var h in held)
            {
                try
                {
                    parts.Add(h.Block.Select(matchers, mint, maxt, true));
                }
                catch (CorruptBlockException e)
                {
                    Interlocked.Increment(ref _corruptions);
                    Log.BlockReadFailed(_logger, h.Block.Meta.Ulid, e.Message);
                }
            }
        }
        finally
        {
            Release(held);
        }
        // Merging needs every part sorted; the head alone is sorted only when the caller asks.
        parts.Add(Head.Select(matchers, mint, maxt, sorted || parts.Count > 0));
        return parts.Count == 1 ? parts[0] : MergeSorted(parts);
    }

    private static List<SeriesChunks> MergeSorted(List<List<SeriesChunks>> parts)
    {
        int total = 0;
        foreach (var p in parts) total += p.Count;
        var result = new List<SeriesChunks>(total);
        var pos = new int[parts.Count];
        var chunks = new List<ChunkSnapshot>();
        while (true)
        {
            LabelSet? min = null;
            for (int i = 0; i < parts.Count; i++)
            {
                if (pos[i] < parts[i].Count && (min == null || parts[i][pos[i]].Labels.CompareTo(min) < 0)) min = parts[i][pos[i]].Labels;
            }
            if (min == null) break;
            chunks.Clear();
            SeriesChunks? only = null;
            int sources = 0;
            for (int i = 0; i < parts.Count; i++)
            {
                if (pos[i] < parts[i].Count && parts[i][pos[i]].Labels.Equals(min))
                {
                    only = parts[i][pos[i]];
                    chunks.AddRange(only.Chunks);
                    pos[i]++;
                    sources++;
                }
            }
            result.Add(sources == 1 ? only! : new SeriesChunks(min, [.. chunks]));
        }
        return result;
    }

    public List<LabelSet> SelectLabels(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt)
    {
        var seen = new HashSet<LabelSet>(Head.SelectLabels(matchers, mint, maxt));
        var held = Acquire(mint, maxt);
        try
        {
            foreach (var h in held)
            {
                try
                {
                    seen.UnionWith(h.Block.SelectLabels(matchers, mint, maxt));
                }
                catch (CorruptBlockException e)
                {
                    Interlocked.Increment(ref _corruptions);
                    Log.BlockReadFailed(_logger, h.Block.Meta.Ulid, e.Message);
                }
            }
        }
        finally
        {
            Release(held);
        }
        return [.. seen];
    }

    public string[] LabelNames() => Union(Head.LabelNames(), b => b.LabelNames());

    public string[] LabelValues(string name) => Union(Head.LabelValues(name), b => b.LabelValues(name));

    private string[] Union(string[] fromHead, Func<Block, string[]> fromBlock)
    {
        var held = Acquire(long.MinValue, long.MaxValue);
        if (held.Count == 0) return fromHead;
        var set = new HashSet<string>(fromHead, StringComparer.Ordinal);
        try
        {
            foreach (var h in held) set.UnionWith(fromBlock(h.Block));
        }
        finally
        {
            Release(held);
        }
        var result = set.ToArray();
        Array.Sort(result, Utf8Order.Instance);
        return result;
    }

    /// <summary>Blocks overlapping [mint, maxt], each held against closing until released.</summary>
    private List<BlockHandle> Acquire(long mint, long maxt)
    {
        var result = new List<BlockHandle>();
        foreach (var h in _blocks)
        {
            var m = h.Block.Meta;
            if (m.MaxTime <= mint || m.MinTime > maxt) continue;
            Interlocked.Increment(ref h.Readers);
            if (h.Retired)
            {
                Release(h);
                continue;
            }
            result.Add(h);
        }
        return result;
    }

    private void Release(List<BlockHandle> held)
    {
        foreach (var h in held) Release(h);
    }

    private void Release(BlockHandle h)
    {
        if (Interlocked.Decrement(ref h.Readers) == 0 && h.Retired) CloseRetired(h);
    }

    private void CloseRetired(BlockHandle h)
    {
        // Readers == 0 and retired: nobody can acquire it any more (it is out of the list).
        if (Interlocked.CompareExchange(ref h.Readers, int.MinValue, 0) != 0) return;
        h.Block.Dispose();
        if (h.DeleteOnClose) TryDeleteDirectory(h.Block.Directory);
    }
}
