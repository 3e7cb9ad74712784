namespace Strata.Storage.Blocks;

/// <summary>
/// Chooses which blocks to compact next, with Prometheus's leveled strategy (<c>LeveledCompactor.Plan</c>
/// in tsdb/compact.go). A pure function of the block metas, so it is tested with tables.
/// </summary>
/// <remarks>
/// Order of preference: (1) blocks whose time ranges overlap (vertical compaction); (2) the first
/// group of adjacent blocks that lie in one aligned window of a larger range and either fill it or
/// end before the newest block starts, trying ranges from small to large; the newest block is never
/// part of such a group, so it stays available for piecewise backup for one block period; (3) a
/// single large block with more than 5 % of its series under tombstones, newest first.
/// One group per call: compact it, reload the metas, plan again.
/// </remarks>
public static class CompactionPlanner
{
    public const long Hour = 3_600_000;
    public const long DefaultMinBlockDuration = 2 * Hour;
    public const long MaxBlockDurationCap = 31 * 24 * Hour;

    /// <summary>
    /// Prometheus's maximum block duration: 10 % of the retention, capped at 31 days (31 days when
    /// there is no time retention), as cmd/prometheus derives <c>--storage.tsdb.max-block-duration</c>.
    /// </summary>
    public static long MaxBlockDuration(long retentionMs)
    {
        long max = MaxBlockDurationCap;
        if (retentionMs > 0 && retentionMs / 10 < max) max = retentionMs / 10;
        return max;
    }

    /// <summary>
    /// Prometheus's block ranges: min, ×3, ×9, ... (ten steps: 2h, 6h, 18h, 54h, 162h, ...), keeping those
    /// not above <paramref name="maxBlockDurationMs"/>; never fewer than the first.
    /// </summary>
    public static long[] BlockRanges(long minBlockDurationMs, long maxBlockDurationMs, int steps = 10)
    {
        if (minBlockDurationMs <= 0) throw new ArgumentOutOfRangeException(nameof(minBlockDurationMs));
        var ranges = new List<long>(steps) { minBlockDurationMs };
        long r = minBlockDurationMs;
        for (int i = 1; i < steps; i++)
        {
            r *= 3;
            if (r > maxBlockDurationMs) break;
            ranges.Add(r);
        }
        return [.. ranges];
    }

    /// <summary>The next group to compact, with ranges from <see cref="BlockRanges"/>.</summary>
    public static List<BlockMeta> Plan(IReadOnlyList<BlockMeta> metas, long minBlockDurationMs, long maxBlockDurationMs) =>
        Plan(metas, BlockRanges(minBlockDurationMs, maxBlockDurationMs));

    /// <summary>The next group of blocks to compact together (ascending by MinTime), or an empty list.</summary>
    public static List<BlockMeta> Plan(IReadOnlyList<BlockMeta> metas, IReadOnlyList<long> ranges)
    {
        if (metas.Count == 0) return [];
        var ds = metas.OrderBy(static m => m.MinTime).ThenBy(static m => m.Ulid, StringComparer.Ordinal).ToList();

        var overlapping = SelectOverlapping(ds);
        if (overlapping.Count > 0) return overlapping;

        // Leave the most recent block out: it was just cut from the head.
        ds.RemoveAt(ds.Count - 1);
        var group = SelectRange(ds, ranges);
        if (group.Count > 0) return group;

        // A big enough block with many tombstones is rewritten on its own.
        for (int i = ds.Count - 1; i >= 0; i--)
        {
            var m = ds[i];
            if (m.MaxTime - m.MinTime < ranges[ranges.Count / 2])
            {
                // Entirely deleted blocks are worth rewriting whatever their size.
                if (m.Stats.NumTombstones > 0 && m.Stats.NumTombstones >= m.Stats.NumSeries) return [m];
                break;
            }
            if ((double)m.Stats.NumTombstones / (m.Stats.NumSeries + 1) > 0.05) return [m];
        }
        return [];
    }

    /// <summary>The first run of blocks whose ranges overlap (input sorted by MinTime).</summary>
    internal static List<BlockMeta> SelectOverlapping(List<BlockMeta> ds)
    {
        var result = new List<BlockMeta>();
        if (ds.Count < 2) return result;
        long globalMax = ds[0].MaxTime;
        for (int i = 1; i < ds.Count; i++)
        {
            var d = ds[i];
            if (d.MinTime < globalMax)
            {
                if (result.Count == 0) result.Add(ds[i - 1]);
                result.Add(d);
            }
            else if (result.Count > 0)
            {
                break;
            }
            if (d.MaxTime > globalMax) globalMax = d.MaxTime;
        }
        return result;
    }

    private static List<BlockMeta> SelectRange(List<BlockMeta> ds, IReadOnlyList<long> ranges)
    {
        if (ranges.Count < 2 || ds.Count < 1) return [];
        long highTime = ds[^1].MinTime;
        for (int r = 1; r < ranges.Count; r++)
        {
            long iv = ranges[r];
            foreach (var p in SplitByRange(ds, iv))
            {
                if (p.Exists(static m => m.Compaction.Failed)) continue;
                long mint = p[0].MinTime;
                long maxt = p[^1].MaxTime;
                // The whole window is covered (gaps allowed), or nothing newer can still land in it.
                if ((maxt - mint == iv || maxt <= highTime) && p.Count > 1) return p;
            }
        }
        return [];
    }

    /// <summary>
    /// Groups consecutive blocks that fall into the same window [t0, t0 + tr) aligned to multiples of tr;
    /// a block that does not fit in a window (misaligned, or already as large) is in no group.
    /// </summary>
    internal static List<List<BlockMeta>> SplitByRange(List<BlockMeta> ds, long tr)
    {
        var groups = new List<List<BlockMeta>>();
        for (int i = 0; i < ds.Count;)
        {
            var m = ds[i];
            long t0 = m.MinTime >= 0 ? tr * (m.MinTime / tr) : tr * ((m.MinTime - tr + 1) / tr);
            if (m.MaxTime > t0 + tr)
            {
                i++;
                continue;
            }
            var group = new List<BlockMeta>();
            for (; i < ds.Count; i++)
            {
                if (ds[i].MinTime < t0 || ds[i].MaxTime > t0 + tr) break;
                group.Add(ds[i]);
            }
            if (group.Count > 0) groups.Add(group);
        }
        return groups;
    }
}
