using Strata.Storage.Wal;
using static Strata.Storage.Tests.Wal.WalEntries;

namespace Strata.Storage.Tests.Wal;

/// <summary>
/// Damage to the committed part of the log, as a crash mid-write, a lost write or a bad disk would
/// leave it: replay returns the good prefix, reports the tear and cuts the log so appends continue
/// after the last good entry.
/// </summary>
public class WalTornTailTests
{
    /// <summary>A closed log of <paramref name="count"/> entries; returns their addresses and bytes, and the tail.</summary>
    private static async Task<(List<(long Address, byte[] Entry)> Written, long Tail)> BuildAsync(string dir, int count, int extraSamples = 2)
    {
        var written = new List<(long, byte[])>();
        await using var wal = WriteAheadLog.Open(dir, SmallPages);
        for (int i = 0; i < count; i++)
        {
            var e = Make(1, i, extraSamples + i % 3);
            written.Add((wal.Enqueue(e), e));
        }
        await wal.CommitAsync();
        return (written, wal.TailAddress);
    }

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static void Restore(string dir, Dictionary<string, byte[]> files)
    {
        foreach (var f in Directory.GetFiles(dir)) File.Delete(f);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(dir, name), bytes);
    }

    private static string Segment(string dir, long address) => Path.Combine(dir, "wal." + (address >> SmallPages.SegmentSizeBits));

    private static long FileOffset(long address) => address & ((1L << SmallPages.SegmentSizeBits) - 1);

    /// <summary>Opens the damaged log, checks replay stops at <paramref name="tornAt"/>, appends, reopens and checks again.</summary>
    private static async Task CheckTornAsync(string dir, List<(long Address, byte[] Entry)> written, int good, long tornAt, string what)
    {
        var expected = written.Take(good).ToList();
        byte[] extra = Make(9, 9);
        long extraAddress;
        await using (var wal = WriteAheadLog.Open(dir, SmallPages))
        {
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.Status == WalReplayStatus.TornTail, $"{what}: replay reported {r.Status}");
            Assert.True(tornAt == r.TornAt, $"{what}: torn at {r.TornAt}, expected {tornAt} ({r.Reason})");
            Assert.False(string.IsNullOrEmpty(r.Reason));
            Assert.True(good == replayed.Count, $"{what}: {replayed.Count} entries, expected {good} ({r.Reason})");
            Assert.Equal(expected.Select(e => e.Address), replayed.Select(e => e.Address));
            Assert.All(replayed.Zip(expected), p => Assert.True(p.First.Entry.AsSpan().SequenceEqual(p.Second.Entry)));
            Assert.Equal(tornAt, wal.TailAddress);

            extraAddress = wal.Enqueue(extra);
            Assert.Equal(tornAt, extraAddress);
            await wal.CommitAsync();
        }
        await using (var wal = WriteAheadLog.Open(dir, SmallPages))
        {
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, $"{what}: after the cut and an append, replay reported {r.Reason} at {r.TornAt}");
            Assert.Equal([.. expected.Select(e => e.Address), extraAddress], replayed.Select(e => e.Address));
            Assert.True(replayed[^1].Entry.AsSpan().SequenceEqual(extra));
        }
    }

    [Fact]
    public async Task SegmentCutAtEveryOffsetOfTheLastEntry()
    {
        using var dir = new TempDir();
        var (written, tail) = await BuildAsync(dir.Path, 40);
        var pristine = Snapshot(dir.Path);
        long last = written[^1].Address;
        string segment = Segment(dir.Path, last);
        // Up to the end of the frame: FasterLog's 4-byte alignment padding after it carries nothing.
        long frameEnd = last + 4 + FrameSize + written[^1].Entry.Length;
        Assert.True(frameEnd <= tail);
        for (long cut = last; cut < frameEnd; cut++)
        {
            Restore(dir.Path, pristine);
            using (var f = new FileStream(segment, FileMode.Open)) f.SetLength(FileOffset(cut));
            await CheckTornAsync(dir.Path, written, written.Count - 1, last, $"cut at {cut}");
        }
    }

    [Fact]
    public async Task ByteOverwrittenAtEveryOffsetOfTheLastEntry()
    {
        using var dir = new TempDir();
        var (written, tail) = await BuildAsync(dir.Path, 40);
        var pristine = Snapshot(dir.Path);
        long last = written[^1].Address;
        string segment = Segment(dir.Path, last);
        long frameEnd = last + 4 + FrameSize + written[^1].Entry.Length;
        for (long at = last; at < tail; at++)
        {
            var files = pristine.ToDictionary(p => p.Key, p => (byte[])p.Value.Clone());
            var seg = files[Path.GetFileName(segment)];
            if (FileOffset(at) >= seg.Length) continue;
            // FasterLog pads entries to 4 bytes; damage there is harmless and not detected.
            if (at >= frameEnd) continue;
            seg[FileOffset(at)] ^= 0x5A;
            Restore(dir.Path, files);
            await CheckTornAsync(dir.Path, written, written.Count - 1, last, $"byte at {at}");
        }
    }

    private const int FrameSize = 12;

    [Fact]
    public async Task CorruptEntryInTheMiddleCutsEverythingAfterIt()
    {
        using var dir = new TempDir();
        var (written, _) = await BuildAsync(dir.Path, 200, extraSamples: 10);
        int bad = 120;
        long address = written[bad].Address;
        string segment = Segment(dir.Path, address);
        var seg = File.ReadAllBytes(segment);
        seg[FileOffset(address) + 4 + FrameSize + 20] ^= 0xFF; // inside the entry's records
        File.WriteAllBytes(segment, seg);
        await CheckTornAsync(dir.Path, written, bad, address, "middle entry");
    }

    [Fact]
    public async Task ZeroedPageIsReportedNotSkipped()
    {
        // A lost write reads back as zeros, which FasterLog treats as page padding and skips silently.
        using var dir = new TempDir();
        var (written, _) = await BuildAsync(dir.Path, 300, extraSamples: 10);
        long pageSize = 1L << SmallPages.PageSizeBits;
        int victim = written.FindIndex(e => e.Address >= 3 * pageSize);
        long pageStart = written[victim].Address & ~(pageSize - 1);
        int firstLost = written.FindIndex(e => e.Address >= pageStart);
        string segment = Segment(dir.Path, pageStart);
        var seg = File.ReadAllBytes(segment);
        Array.Clear(seg, (int)FileOffset(pageStart), (int)pageSize);
        File.WriteAllBytes(segment, seg);
        // The first entry on the zeroed page may have started on the previous page only if it
        // straddled it, which FasterLog never does: the tear is at the page start or the end of the
        // last entry before it.
        long tornAt = written[firstLost - 1].Address + 4 + ((FrameSize + written[firstLost - 1].Entry.Length + 3) & ~3);
        await CheckTornAsync(dir.Path, written, firstLost, tornAt, "zeroed page");
    }

    [Fact]
    public async Task ReplayFromACheckpointAddressFindsTheTearAndKeepsTheSequence()
    {
        // The bad entry is the first one read: replay learns its predecessor's sequence number by
        // reading from the beginning, so entries appended after the cut follow on without a gap.
        using var dir = new TempDir();
        var (written, _) = await BuildAsync(dir.Path, 50);
        long address = written[30].Address;
        string segment = Segment(dir.Path, address);
        var seg = File.ReadAllBytes(segment);
        seg[FileOffset(address) + 4 + 3] ^= 0x01; // the frame's sequence number
        File.WriteAllBytes(segment, seg);
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var r = wal.Replay(address, (_, _) => Assert.Fail("no entry should be delivered"));
            Assert.Equal(WalReplayStatus.TornTail, r.Status);
            Assert.Equal(address, r.TornAt);
            wal.Enqueue(Make(9, 9));
            await wal.CommitAsync();
        }
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var all = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            Assert.Equal(31, all.Count);
        }
    }

    [Fact]
    public async Task DamagedCommitSlotFallsBackToThePreviousCommit()
    {
        using var dir = new TempDir();
        List<(long, byte[])> first;
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            first = [];
            for (int i = 0; i < 5; i++)
            {
                var e = Make(1, i);
                first.Add((wal.Enqueue(e), e));
            }
            await wal.CommitAsync();
            var e2 = Make(1, 5);
            wal.Enqueue(e2);
            await wal.CommitAsync();
        }
        // Find the newest slot (the one whose commit number is larger) and tear it.
        var commit = File.ReadAllBytes(Path.Combine(dir.Path, "commit"));
        long n0 = BitConverter.ToInt64(commit, 8), n1 = BitConverter.ToInt64(commit, 4096 + 8);
        int newest = n0 > n1 ? 0 : 4096;
        commit[newest + 30] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(dir.Path, "commit"), commit);
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            Assert.True(replayed.Count is 5 or 6, $"{replayed.Count} entries");
            Assert.Equal(first.Select(e => e.Item1), replayed.Take(5).Select(e => e.Address));
        }
    }
}
