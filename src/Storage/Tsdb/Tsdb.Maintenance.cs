using System.Diagnostics;
using Strata.Storage.Blocks;

namespace Strata.Storage.Tsdb;

public sealed partial class Tsdb
{
    /// <summary>
    /// One round of background work: persist the head's oldest full block range, compact blocks,
    /// and apply retention. Safe to call at any time; rounds never overlap.
    /// </summary>
    public async Task MaintainAsync(CancellationToken ct = default)
    {
        await _maintenance.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            bool cut = false;
            while (!ct.IsCancellationRequested && CutBlock()) cut = true;
            if (cut && _wal != null) await CheckpointAsync().ConfigureAwait(false);
            while (!ct.IsCancellationRequested && CompactOnce())
            {
            }
            ApplyRetention();
        }
        finally
        {
            _maintenance.Release();
        }
    }

    /// <summary>
    /// Writes the oldest block range of the head once the head spans 1.5 ranges beyond its start
    /// (Prometheus's rule, which leaves half a range for late samples), then drops it from memory.
    /// </summary>
    private bool CutBlock()
    {
        long range = Options.Head.ChunkRangeMs;
        long headMin = Head.MinTime, headMax = Head.MaxTime;
        if (headMin == long.MaxValue || headMax == long.MinValue) return false;
        long start = FloorDiv(headMin, range) * range;
        long end = start + range;
        if (headMax < end + range / 2) return false;

        var sw = Stopwatch.StartNew();
        // From now on samples before `end` are out of bounds, so the export below is complete.
        lock (_appendLock) Head.SetMinValidTime(end);
        var series = Head.ExportRange(start, end);
        if (series.Count > 0)
        {
            var meta = BlockWriter.Write(Options.Path, start, end, series);
            AddBlock(Block.Open(Path.Combine(Options.Path, meta.Ulid)));
            Interlocked.Increment(ref _blocksWritten);
            Log.BlockWritten(_logger, meta.Ulid, start, end, series.Count, sw.ElapsedMilliseconds);
        }
        lock (_appendLock) Head.Truncate(end);
        return true;
    }

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        if (a % b != 0 && (a < 0) != (b < 0)) q--;
        return q;
    }

    private bool CompactOnce()
    {
        var metas = new List<BlockMeta>();
        foreach (var h in _blocks) metas.Add(h.Block.Meta);
        var plan = CompactionPlanner.Plan(metas, Options.Head.ChunkRangeMs, Options.MaxBlockDurationMs);
        if (plan.Count == 0) return false;
        var sw = Stopwatch.StartNew();
        var handles = new List<BlockHandle>();
        foreach (var h in _blocks)
        {
            if (plan.Any(m => m.Ulid == h.Block.Meta.Ulid)) handles.Add(h);
        }
        if (handles.Count < 2 && !(handles.Count == 1 && plan.Count == 1)) return false;
        var meta = BlockCompactor.Compact(Options.Path, handles.ConvertAll(h => h.Block));
        var merged = Block.Open(Path.Combine(Options.Path, meta.Ulid));
        ReplaceBlocks(handles, merged, "compacted");
        Interlocked.Increment(ref _compactions);
        Log.BlocksCompacted(_logger, handles.Count, meta.Ulid, sw.ElapsedMilliseconds);
        return true;
    }

    /// <summary>Deletes blocks past the time retention (wall clock) and, over the size limit, the oldest blocks.</summary>
    private void ApplyRetention()
    {
        long cutoff = _clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)Options.Retention.TotalMilliseconds;
        var expired = new List<BlockHandle>();
        foreach (var h in _blocks)
        {
            // As Prometheus: a block goes once its end is more than the retention behind (here: behind now).
            if (h.Block.Meta.MaxTime < cutoff) expired.Add(h);
        }
        if (expired.Count > 0) ReplaceBlocks(expired, null, "past retention time");

        if (Options.RetentionBytes <= 0) return;
        var blocks = _blocks;
        long total = WalSizeBytes;
        foreach (var h in blocks) total += h.Block.SizeBytes;
        var oversize = new List<BlockHandle>();
        for (int i = 0; i < blocks.Length && total > Options.RetentionBytes; i++)
        {
            oversize.Add(blocks[i]);
            total -= blocks[i].Block.SizeBytes;
        }
        if (oversize.Count > 0) ReplaceBlocks(oversize, null, "over retention size");
    }

    private void AddBlock(Block block)
    {
        lock (_blockListLock)
        {
            var list = new List<BlockHandle>(_blocks) { new(block) };
            list.Sort(static (a, b) => a.Block.Meta.MinTime.CompareTo(b.Block.Meta.MinTime));
            _blocks = [.. list];
        }
    }

    /// <summary>Swaps blocks out of the served list (and optionally one in); removed ones are deleted when their last reader leaves.</summary>
    private void ReplaceBlocks(List<BlockHandle> remove, Block? add, string reason)
    {
        lock (_blockListLock)
        {
            var list = new List<BlockHandle>(_blocks);
            list.RemoveAll(remove.Contains);
            if (add != null) list.Add(new BlockHandle(add));
            list.Sort(static (a, b) => a.Block.Meta.MinTime.CompareTo(b.Block.Meta.MinTime));
            _blocks = [.. list];
        }
        foreach (var h in remove)
        {
            h.DeleteOnClose = true;
            h.Retired = true;
            Interlocked.Increment(ref _blocksDeleted);
            Log.BlockDeleted(_logger, h.Block.Meta.Ulid, reason);
            if (Volatile.Read(ref h.Readers) == 0) CloseRetired(h);
        }
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            // Rename first so a crash mid-delete never leaves a half block that looks valid.
            string doomed = dir.TrimEnd(Path.DirectorySeparatorChar) + ".deleting";
            Directory.Move(dir, doomed);
            Directory.Delete(doomed, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
