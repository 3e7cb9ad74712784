using Strata.Storage.Wal;
using static Strata.Storage.Tests.Wal.WalEntries;

namespace Strata.Storage.Tests.Wal;

/// <summary>Device faults injected under FasterLog with <see cref="FaultyDevice"/>.</summary>
public class WalFaultTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FailedWriteIsNeverAcknowledgedAndStopsTheLog()
    {
        using var dir = new TempDir();
        FaultyDevice? device = null;
        var acked = new List<(long, byte[])>();
        var wal = WriteAheadLog.Open(dir.Path, SmallPages, d => device = new FaultyDevice(d));
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var e = Make(1, i);
                long a = wal.Enqueue(e);
                await wal.WaitForCommitAsync(a).AsTask().WaitAsync(Timeout);
                acked.Add((a, e));
            }
            device!.FailWrites = true;
            long bad = wal.Enqueue(Make(1, 20));
            await Assert.ThrowsAsync<IOException>(() => wal.WaitForCommitAsync(bad).AsTask().WaitAsync(Timeout));
            Assert.True(wal.CommittedAddress <= bad);
            Assert.Throws<IOException>(() => wal.Enqueue(Make(1, 21)));
        }
        finally
        {
            await wal.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
        await using var reopened = WriteAheadLog.Open(dir.Path, SmallPages);
        var replayed = ReplayAll(reopened, 0, out var r);
        Assert.True(r.IsOk, r.Reason);
        Assert.Equal(acked.Select(e => e.Item1), replayed.Select(e => e.Address));
    }

    [Fact]
    public async Task TornWriteReportedAsSuccessIsFoundOnReplay()
    {
        // A device that acknowledges a write it only partly stored: FasterLog commits past it, and
        // only the frame checks can notice.
        using var dir = new TempDir();
        FaultyDevice? device = null;
        var written = new List<(long Address, byte[] Entry)>();
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages, d => device = new FaultyDevice(d)))
        {
            for (int i = 0; i < 10; i++)
            {
                var e = Make(1, i, 3);
                written.Add((wal.Enqueue(e), e));
            }
            await wal.CommitAsync();
            device!.TearNextWriteAt = 1; // keeps one sector of the next flush
            for (int i = 10; i < 40; i++)
            {
                var e = Make(1, i, 3);
                written.Add((wal.Enqueue(e), e));
            }
            await wal.CommitAsync();
        }
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.Equal(WalReplayStatus.TornTail, r.Status);
            Assert.True(replayed.Count is >= 10 and < 40, $"{replayed.Count} entries");
            Assert.Equal(written.Take(replayed.Count).Select(e => e.Address), replayed.Select(e => e.Address));
            Assert.Equal(written[replayed.Count].Address, r.TornAt);
        }
    }

    [Fact]
    public async Task ReadErrorDuringReplayThrowsAndDoesNotCutTheLog()
    {
        // An I/O error is not corruption: replay must not report a torn tail (and cut good data).
        using var dir = new TempDir();
        var written = new List<(long Address, byte[] Entry)>();
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            for (int i = 0; i < 500; i++)
            {
                var e = Make(1, i, 10);
                written.Add((wal.Enqueue(e), e));
            }
            await wal.CommitAsync();
        }
        FaultyDevice? device = null;
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages, d => device = new FaultyDevice(d)))
        {
            device!.FailReads = true;
            var outcome = await Task.Run(() =>
            {
                try
                {
                    return ((Exception?)null, wal.Replay(0, (_, _) => { }));
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    return (e, default(WalReplayResult));
                }
            }).WaitAsync(Timeout);
            Assert.True(outcome.Item1 != null || outcome.Item2.Status == WalReplayStatus.Ok,
                $"replay over a failing device returned {outcome.Item2.Status} at {outcome.Item2.TornAt}: {outcome.Item2.Reason}");
        }
        await using (var wal = WriteAheadLog.Open(dir.Path, SmallPages))
        {
            var replayed = ReplayAll(wal, 0, out var r);
            Assert.True(r.IsOk, r.Reason);
            Assert.Equal(written.Count, replayed.Count);
        }
    }
}
