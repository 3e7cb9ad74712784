using Strata.Storage.Wal;
using static Strata.Storage.Tests.Wal.WalEntries;

namespace Strata.Storage.Tests.Wal;

public class WriteAheadLogTests
{
    private static async Task<List<(long Address, byte[] Entry)>> WriteAsync(WriteAheadLog wal, int writer, int from, int count, int extraSamples = 0)
    {
        var written = new List<(long, byte[])>();
        for (int i = from; i < from + count; i++)
        {
            var e = Make(writer, i, extraSamples);
            written.Add((wal.Enqueue(e), e));
        }
        await wal.CommitAsync();
        return written;
    }

    private static void AssertSame(List<(long Address, byte[] Entry)> expected, List<(long Address, byte[] Entry)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Address, actual[i].Address);
            Assert.True(expected[i].Entry.AsSpan().SequenceEqual(actual[i].Entry), $"entry {i} differs");
        }
    }

    [Fact]
    public async Task ReopenAfterCleanCloseReplaysCommittedEntriesInOrder()
    {
        using var dir = new TempDir();
        List<(long, byte[])> written;
        long tail;
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var r0 = wal.Replay(0, (_, _) => Assert.Fail("new log has entries"));
            Assert.True(r0.IsOk);
            written = await WriteAsync(wal, 1, 0, 300, extraSamples: 3);
            Assert.Equal(wal.TailAddress, wal.CommittedAddress);
            tail = wal.TailAddress;
        }
        Assert.True(File.Exists(Path.Combine(dir.Path, "wal.0")), string.Join(", ", Directory.GetFiles(dir.Path)));
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.Equal(tail, wal.TailAddress);
            Assert.Equal(tail, wal.CommittedAddress);
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            Assert.Equal(300, r.Entries);
            Assert.Equal(tail, r.EndAddress);
            AssertSame(written, replayed);

            // Appends continue after the replayed entries, and replay from an entry's address starts there.
            var more = await WriteAsync(wal, 1, 300, 10);
            var fromMiddle = ReplayAll(wal, written[150].Item1, out r);
            Assert.True(r.IsOk, r.Reason);
            AssertSame([.. written.Skip(150), .. more], fromMiddle);
            var fromTail = ReplayAll(wal, wal.TailAddress, out r);
            Assert.True(r.IsOk);
            Assert.Empty(fromTail);
        }
    }

    [Fact]
    public async Task UncommittedEntriesAreGoneAfterAnUncleanStop()
    {
        using var dir = new TempDir();
        var copy = dir.Sub("copy");
        var wal = WriteAheadLog.Open(dir.Sub("live"), SmallPages with { IdleCommitInterval = TimeSpan.FromHours(1) });
        try
        {
            var committed = await WriteAsync(wal, 1, 0, 50);
            // Enqueued but never committed: enough to fill and flush a few pages past the commit.
            for (int i = 50; i < 400; i++) wal.Enqueue(Make(1, i, 5));
            CopyLog(dir.Sub("live"), copy);

            await using var reopened = WriteAheadLog.Open(copy, SmallPages);
            var replayed = ReplayAll(reopened, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            AssertSame(committed, replayed);

            // The page after the commit point held flushed but uncommitted entries. New entries that
            // leave padding at the end of that page must not read those leftovers back.
            var added = new List<(long, byte[])>();
            for (int i = 0; i < 60; i++)
            {
                var e = Make(2, i, extraSamples: 7 + i % 13);
                added.Add((reopened.Enqueue(e), e));
                await reopened.CommitAsync();
            }
            replayed = ReplayAll(reopened, 0, out r);
            Assert.True(r.IsOk, r.Reason);
            AssertSame([.. committed, .. added], replayed);
        }
        finally
        {
            await wal.DisposeAsync();
        }
    }

    [Fact]
    public async Task LeftoversAfterTheCommitPointNeverBecomePagePadding()
    {
        // The worst case for leftovers: the commit point lies in the last sector of a page, whose
        // uncommitted rest FasterLog flushed and reloads on recovery. The next entry does not fit in
        // the page; the rest becomes padding, which must read as zeros.
        using var dir = new TempDir();
        long pageSize = 1L << SmallPages.PageSizeBits;
        var wal = WriteAheadLog.Open(dir.Sub("live"), SmallPages with { IdleCommitInterval = TimeSpan.FromHours(1) });
        try
        {
            var committed = new List<(long, byte[])>();
            for (int i = 0; (wal.TailAddress & (pageSize - 1)) < pageSize - 300 || committed.Count < 10; i++)
            {
                var e = Make(1, i);
                committed.Add((wal.Enqueue(e), e));
            }
            await wal.CommitAsync();
            for (int i = 0; i < 200; i++) wal.Enqueue(Make(3, i));
            await Task.Delay(200);
            CopyLog(dir.Sub("live"), dir.Sub("copy"));

            await using (var reopened = WriteAheadLog.Open(dir.Sub("copy"), SmallPages))
            {
                Assert.True(reopened.Replay(0, (_, _) => { }).IsOk);
                var big = Make(2, 0, extraSamples: 40);
                committed.Add((reopened.Enqueue(big), big));
                Assert.Equal(0, committed[^1].Item1 & (pageSize - 1));
                await reopened.CommitAsync();
            }
            await using (var reopened = WriteAheadLog.Open(dir.Sub("copy"), SmallPages))
            {
                var replayed = ReplayAll(reopened, 0, out var r);
                Assert.True(r.IsOk, $"{r.Reason} at {r.TornAt}");
                AssertSame(committed, replayed);
            }
        }
        finally
        {
            await wal.DisposeAsync();
        }
    }

    [Fact]
    public async Task CopyTakenWhileWritersRunHoldsEveryAcknowledgedEntry()
    {
        using var dir = new TempDir();
        string live = dir.Sub("live"), copy = dir.Sub("copy");
        var acked = new System.Collections.Concurrent.ConcurrentDictionary<(int, long), bool>();
        using var stop = new CancellationTokenSource();
        await using (var wal = WriteAheadLog.Open(live, SmallPages))
        {
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (long n = 0; !stop.IsCancellationRequested; n++)
                {
                    long a = wal.Enqueue(Make(w, n, 2));
                    await wal.WaitForCommitAsync(a);
                    acked[(w, n)] = true;
                }
            })).ToArray();
            for (int i = 0; i < 1000 && acked.Count < 50; i++) await Task.Delay(10);
            var ackedBeforeCopy = acked.Keys.ToHashSet();
            CopyLog(live, copy);
            await Task.Delay(100);
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            await using var reopened = WriteAheadLog.Open(copy, SmallPages);
            var seen = new HashSet<(int, long)>();
            var next = new Dictionary<int, long>();
            var r = reopened.Replay(0, (_, e) =>
            {
                var id = Identify(e);
                Assert.Equal(next.GetValueOrDefault(id.Writer), id.N); // each writer's entries in order
                next[id.Writer] = id.N + 1;
                seen.Add(id);
            });
            Assert.True(r.IsOk, r.Reason);
            Assert.Superset(ackedBeforeCopy, seen);
            Assert.True(ackedBeforeCopy.Count >= 50, $"only {ackedBeforeCopy.Count} writes were acknowledged");
        }
    }

    /// <summary>
    /// Copies a live log as a crash would leave it: the commit file first, then the segments (which
    /// only grow past what the commit covers).
    /// </summary>
    private static void CopyLog(string from, string to)
    {
        Directory.CreateDirectory(to);
        File.Copy(Path.Combine(from, "commit"), Path.Combine(to, "commit"));
        foreach (var f in Directory.GetFiles(from, "wal.*"))
        {
            
            using var src = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var dst = File.Create(Path.Combine(to, Path.GetFileName(f)));
            src.CopyTo(dst);
        }
    }

    [Fact]
    public async Task ConcurrentWritersAllCommittedEntriesReplay()
    {
        using var dir = new TempDir();
        const int Writers = 8, PerWriter = 250;
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (int n = 0; n < PerWriter; n++)
                {
                    long a = wal.Enqueue(Make(w, n, n % 5));
                    await wal.WaitForCommitAsync(a);
                    Assert.True(wal.CommittedAddress > a);
                }
            })).ToArray();
            await Task.WhenAll(tasks);
            Assert.True(wal.Commits < Writers * PerWriter, $"{wal.Commits} commits for {Writers * PerWriter} entries: no grouping");
        }
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var next = new int[Writers];
            var r = wal.Replay(0, (_, e) =>
            {
                var (w, n) = Identify(e);
                Assert.Equal(next[w], n);
                next[w]++;
            });
            Assert.True(r.IsOk, r.Reason);
            Assert.Equal(Writers * PerWriter, r.Entries);
            Assert.All(next, n => Assert.Equal(PerWriter, n));
        }
    }

    [Fact]
    public async Task WaitForTailAddressCompletesWhenNothingFollows()
    {
        using var dir = new TempDir();
        await using var wal = WriteAheadLog.Open(dir.Path, SmallPages);
        await wal.WaitForCommitAsync(wal.TailAddress).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        wal.Enqueue(Make(1, 1));
        long tail = wal.TailAddress;
        await wal.WaitForCommitAsync(tail).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(wal.CommittedAddress >= tail);
    }

    [Fact]
    public async Task TruncateUntilDropsOlderEntriesAndSegments()
    {
        using var dir = new TempDir();
        List<(long Address, byte[] Entry)> written;
        long cut;
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            written = await WriteAsync(wal, 1, 0, 3000, extraSamples: 4);
            Assert.True(Directory.GetFiles(dir.Path, "wal.*").Length > 4, "test needs several segments");
            cut = written[2000].Address;
            wal.TruncateUntil(cut);
            await wal.CommitAsync();
            for (int i = 0; i < 50 && wal.BeginAddress < cut; i++) await Task.Delay(20);
            Assert.Equal(cut, wal.BeginAddress);
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            AssertSame(written.Skip(2000).ToList(), replayed);
            // FASTER deletes whole segments before the begin address asynchronously after the commit.
            string first = Path.Combine(dir.Path, "wal.0");
            for (int i = 0; i < 250 && File.Exists(first); i++) await Task.Delay(20);
            Assert.False(File.Exists(first), "first segment not deleted");
            Assert.True(File.Exists(Path.Combine(dir.Path, "wal." + (cut >> SmallPages.SegmentSizeBits))), "segment holding the cut deleted");
        }
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            Assert.Equal(cut, wal.BeginAddress);
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            AssertSame(written.Skip(2000).ToList(), replayed);
        }
    }

    [Fact]
    public async Task EnqueueRejectsWhatIsNotAnEntry()
    {
        using var dir = new TempDir();
        await using var wal = WriteAheadLog.Open(dir.Path, SmallPages);
        Assert.Throws<ArgumentException>(() => wal.Enqueue([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => wal.Enqueue(Make(1, 1, extraSamples: 1000)));
    }

    [Fact]
    public async Task EnqueueAllocatesNothing()
    {
        // FasterLog allocates a little per page it flushes (about 1 KiB); with the default 4 MiB pages
        // these 1000 entries stay on one page, so this checks the per-call path alone.
        using var dir = new TempDir();
        await using var wal = WriteAheadLog.Open(dir.Path, new WalOptions { IdleCommitInterval = TimeSpan.FromHours(1) });
        var e = Make(1, 1, 20);
        for (int i = 0; i < 100; i++) wal.Enqueue(e);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) wal.Enqueue(e);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
