using Strata.Storage.Blocks;

namespace Strata.Storage.Tests.Blocks;

/// <summary>
/// The planner against the cases of Prometheus's TestLeveledCompactor_plan and
/// TestRangeWithFailedCompactionWontGetSelected (tsdb/compact_test.go), with its ranges 20, 60, 180,
/// 540, 1620. Blocks are written "name:min-max" or "name:min-max:series/tombstones".
/// </summary>
public class CompactionPlannerTests
{
    private static readonly long[] Ranges = [20, 60, 180, 540, 1620];

    private static BlockMeta Meta(string spec, bool failed = false)
    {
        var parts = spec.Split(':');
        var range = parts[1].Split('-');
        long series = 0, tombstones = 0;
        if (parts.Length > 2)
        {
            var st = parts[2].Split('/');
            series = long.Parse(st[0], System.Globalization.CultureInfo.InvariantCulture);
            tombstones = long.Parse(st[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        // The name goes into the ULID's random part so that results can be mapped back to it.
        var ulid = new Ulid(ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)).ToString();
        return new BlockMeta(ulid, long.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture),
            new BlockStats(0, series, 0, tombstones), new BlockCompaction(1, [ulid], [], Failed: failed));
    }

    private static string Names(IEnumerable<BlockMeta> metas) =>
        string.Join(",", metas.Select(m => ((ulong)Ulid.Parse(m.Ulid).Value).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static readonly TheoryData<string, string, string> PlanCases = new()
    {
        { "outside range", "1:0-20", "" },
        { "wait for four blocks of size 20", "1:0-20 2:20-40", "" },
        { "three, but the fresh one is ignored", "1:0-20 2:20-40 3:40-60", "" },
        { "block to fill the parent range appeared", "1:0-20 2:20-40 3:40-60 4:60-80", "1,2,3" },
        { "next parent range appeared after a gap; fresh ignored", "1:0-20 2:20-40 3:60-80", "" },
        { "gap will not be filled any more: compact the two", "1:0-20 2:20-40 3:60-80 4:80-100", "1,2" },
        { "20, 20, 20, 60, 60; 5 is fresh", "1:0-20 2:20-40 3:40-60 4:60-120 5:120-180", "1,2,3" },
        { "20, 60, 20, 60, 240: compact 20 + 60 + 60", "2:20-40 4:60-120 5:960-980 6:120-180 7:720-960", "2,4,6" },
        { "large block with tombstones, no fresh block", "1:0-540:10/3", "" },
        { "large block with tombstones once a fresh one appears", "1:0-540:10/3 2:540-560", "1" },
        { "small blocks keep their tombstones", "1:0-60:10/3 2:60-80", "" },
        { "zero series and tombstones: no compaction loop", "1:0-540:0/0 2:540-560", "" },
        { "fresh block is the newest by time, not by ULID", "5:0-360 6:540-560 7:360-420 8:420-540", "7,8" },
        { "overlapping 1", "1:0-20 2:19-40 3:40-60", "1,2" },
        { "overlapping 2", "1:0-20 2:20-40 3:30-50", "2,3" },
        { "overlapping 3", "1:0-20 2:10-40 3:30-50", "1,2,3" },
        { "overlapping 4", "5:0-360 6:340-560 7:360-420 8:420-540", "5,6,7,8" },
        { "overlapping 5: first run only", "1:0-10 2:9-20 3:30-40 4:39-50", "1,2" },
        { "fully deleted small block", "1:0-20:4/4 2:20-40", "1" },
        { "empty input", "", "" },
    };

    [Theory]
    [MemberData(nameof(PlanCases))]
    public void Plan_MatchesPrometheus(string name, string blocks, string expected)
    {
        var metas = blocks.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => Meta(s)).ToList();
        var plan = CompactionPlanner.Plan(metas, Ranges);
        Assert.True(expected == Names(plan), $"{name}: expected [{expected}], got [{Names(plan)}]");
    }

    public static readonly TheoryData<string> FailedCases = new()
    {
        "1:0-20 2:20-40 3:40-60 4:60-80",
        "1:0-20 2:20-40 3:60-80 4:80-100",
        "1:0-20 2:20-40 3:40-60 4:60-120 5:120-180 6:180-200",
    };

    [Theory]
    [MemberData(nameof(FailedCases))]
    public void Plan_SkipsRangesWithAFailedCompaction(string blocks)
    {
        var metas = blocks.Split(' ').Select((s, i) => Meta(s, failed: i == 1)).ToList();
        Assert.Empty(CompactionPlanner.Plan(metas, [20, 60, 240, 720, 2160]));
    }

    private const long H = CompactionPlanner.Hour;

    public static readonly TheoryData<long, long[]> RangeCases = new()
    {
        { 0, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H] },              // 31 d cap
        { 15 * 24 * H, [2 * H, 6 * H, 18 * H] },                               // 10 % of 15 d = 36 h
        { 365 * 24 * H, [2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H] },  // 36.5 d, capped at 31 d
        { 10 * H, [2 * H] },                                                   // below the smallest range
        { 60 * H, [2 * H, 6 * H] },
    };

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void BlockRanges_AreLeveledAndCapped(long retention, long[] expected)
    {
        Assert.Equal(expected, CompactionPlanner.BlockRanges(2 * H, CompactionPlanner.MaxBlockDuration(retention)));
    }

    [Fact]
    public void Plan_WithDurations_UsesDerivedRanges()
    {
        // Four 2 h blocks: the first three fill a 6 h range; the fourth is the fresh one.
        var metas = Enumerable.Range(0, 4).Select(i => Meta($"{i + 1}:{i * 2 * H}-{(i + 1) * 2 * H}")).ToList();
        Assert.Equal("1,2,3", Names(CompactionPlanner.Plan(metas, 2 * H, 31 * 24 * H)));
        // With only one range there is nothing to level into.
        Assert.Empty(CompactionPlanner.Plan(metas, 2 * H, 2 * H));
    }
}
