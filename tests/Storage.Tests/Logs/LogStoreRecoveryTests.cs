using System.Text;
using Strata.Storage.Logs;
using static Strata.Storage.Tests.Logs.LogStoreFixture;

namespace Strata.Storage.Tests.Logs;

/// <summary>Restart, crash (a copy of a live directory), torn WAL tail, and lost chunk-log tail.</summary>
public sealed class LogStoreRecoveryTests : IDisposable
{
    private readonly LogStoreFixture _fx = new("logrecovery");
    private readonly LogStoreFixture _copy = new("logrecovery-copy");

    public void Dispose()
    {
        _fx.Dispose();
        _copy.Dispose();
    }

    private static LogStreamPush Batch(string app, int batch, int perBatch = 50) =>
        new(Ls(app), Enumerable.Range(0, perBatch)
            .Select(i => Entry(T0 + (batch * perBatch + i) * Second, $"{app} batch {batch} line {i} latency={(batch * 31 + i * 7) % 997}ms {new string((char)('a' + i % 26), 30)}")).ToList());

    private static List<(long, string)> Expected(string app, int batches, int perBatch = 50) =>
        Enumerable.Range(0, batches).SelectMany(b => Batch(app, b, perBatch).Entries).Select(e => (e.TimestampNs, Encoding.UTF8.GetString(e.Line.Span))).ToList();

    [Fact]
    public async Task CleanRestartKeepsEverything()
    {
        var options = _fx.Options(o => o with { TargetBlockBytes = 4096 });
        await using (var store = await LogStore.OpenAsync(options, null, _fx.Clock))
        {
            for (int b = 0; b < 20; b++) await store.AppendAsync([Batch("a", b), Batch("b", b)]);
            await store.RunMaintenanceAsync(default);
            // More after maintenance: these stay in head chunks, in the WAL.
            for (int b = 20; b < 25; b++) await store.AppendAsync([Batch("a", b)]);
        }
        await using (var store = await LogStore.OpenAsync(options, null, _fx.Clock))
        {
            Assert.Equal(Expected("a", 25), Read(store, Ls("a")));
            Assert.Equal(Expected("b", 20), Read(store, Ls("b")));
            Assert.True(store.Metrics.RecoveredBlocks > 0);
            Assert.Equal(2, store.Metrics.RecoveredStreams);
            // Appends continue after recovery; the stream keeps its out-of-order state.
            var r = await store.AppendAsync([Batch("a", 25), Push(Ls("a"), Entry(T0 - 2 * Hour, "too old"))]);
            Assert.Equal(1, r.Rejected);
        }
        await using (var store = await LogStore.OpenAsync(options, null, _fx.Clock))
        {
            Assert.Equal(Expected("a", 26), Read(store, Ls("a")));
            Assert.Equal(0, store.Metrics.RecoveryTornTails);
        }
    }

    [Fact]
    public async Task EveryAcknowledgedPushSurvivesACrashExactlyOnce()
    {
        var options = _fx.Options(o => o with { TargetBlockBytes = 4096 });
        var store = await LogStore.OpenAsync(options, null, _fx.Clock);
        try
        {
            for (int b = 0; b < 30; b++)
            {
                await store.AppendAsync([Batch("a", b), Batch("b", b, 10)]);
                if (b == 10) await store.RunMaintenanceAsync(default); // some blocks stored, WAL truncated
            }
            // Acknowledged: the copy must hold all of it. The compressor may be mid-write.
            CopyAsCrash(_fx.Dir, _copy.Dir);
            await store.AppendAsync([Batch("a", 30)]);
        }
        finally
        {
            await store.DisposeAsync();
        }
        await using var recovered = await LogStore.OpenAsync(options with { Directory = _copy.Dir }, null, _fx.Clock);
        Assert.Equal(Expected("a", 30), Read(recovered, Ls("a")));
        Assert.Equal(Expected("b", 30, 10), Read(recovered, Ls("b")));
        // And it keeps working: the next push, then another restart.
        await recovered.AppendAsync([Batch("a", 30)]);
        await recovered.RunMaintenanceAsync(default);
        Assert.Equal(Expected("a", 31), Read(recovered, Ls("a")));
    }

    [Fact]
    public async Task BlocksLostFromTheChunkLogAreReplayedFromTheWal()
    {
        // The chunk log as of an earlier moment (its uncommitted tail lost), the WAL as of now:
        // entries of the lost blocks are still in the WAL (never truncated past unwritten blocks).
        var options = _fx.Options(o => o with { TargetBlockBytes = 2048 });
        var store = await LogStore.OpenAsync(options, null, _fx.Clock);
        try
        {
            for (int b = 0; b < 10; b++) await store.AppendAsync([Batch("a", b), Batch("b", b, 5)]);
            await store.RunMaintenanceAsync(default);
            CopyAsCrash(_fx.Dir, _copy.Dir);
            Directory.Delete(Path.Combine(_copy.Dir, "wal"), recursive: true);
            for (int b = 10; b < 20; b++) await store.AppendAsync([Batch("a", b), Batch("b", b, 5)]);
            // Cut and compressed blocks reach the chunk log and commit in the original, but the copy keeps the old chunk log.
            var wal = Path.Combine(_fx.Dir, "wal");
            Directory.CreateDirectory(Path.Combine(_copy.Dir, "wal"));
            using (var src = new FileStream(Path.Combine(wal, "commit"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var dst = File.Create(Path.Combine(_copy.Dir, "wal", "commit")))
                src.CopyTo(dst);
            foreach (var f in Directory.GetFiles(wal, "wal.*"))
            {
                using var src = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var dst = File.Create(Path.Combine(_copy.Dir, "wal", Path.GetFileName(f)));
                src.CopyTo(dst);
            }
        }
        finally
        {
            await store.DisposeAsync();
        }
        await using var recovered = await LogStore.OpenAsync(options with { Directory = _copy.Dir }, null, _fx.Clock);
        Assert.Equal(Expected("a", 20), Read(recovered, Ls("a")));
        Assert.Equal(Expected("b", 20, 5), Read(recovered, Ls("b")));
    }

    [Fact]
    public async Task ATornWalTailIsCutAndEarlierPushesSurvive()
    {
        var options = _fx.Options();
        long lastEntryAt;
        var store = await LogStore.OpenAsync(options, null, _fx.Clock);
        try
        {
            for (int b = 0; b < 5; b++) await store.AppendAsync([Batch("a", b)]);
            lastEntryAt = store.WalTailAddress;
            await store.AppendAsync([Batch("a", 5)]);
            CopyAsCrash(_fx.Dir, _copy.Dir);
        }
        finally
        {
            await store.DisposeAsync();
        }
        // Damage the last committed WAL entry, as a torn write would.
        string seg = Path.Combine(_copy.Dir, "wal", "wal." + (lastEntryAt >> 22));
        using (var f = new FileStream(seg, FileMode.Open, FileAccess.ReadWrite))
        {
            f.Position = (lastEntryAt & ((1L << 22) - 1)) + 100;
            f.Write(new byte[16]);
        }
        await using var recovered = await LogStore.OpenAsync(options with { Directory = _copy.Dir }, null, _fx.Clock);
        Assert.Equal(1, recovered.Metrics.RecoveryTornTails);
        Assert.Equal(Expected("a", 5), Read(recovered, Ls("a")));
        // Writes continue after the cut, and survive another restart.
        await recovered.AppendAsync([Batch("a", 5)]);
        Assert.Equal(Expected("a", 6), Read(recovered, Ls("a")));
    }

    [Fact]
    public async Task StreamIdsAreNeverReusedAfterRestart()
    {
        var options = _fx.Options();
        int firstId;
        await using (var store = await LogStore.OpenAsync(options, null, _fx.Clock))
        {
            await store.AppendAsync([Batch("a", 0, 1)]);
            firstId = store.SelectStreams([Eq("app", "a")], long.MinValue, long.MaxValue).Single().Id;
        }
        await using (var store = await LogStore.OpenAsync(options, null, _fx.Clock))
        {
            await store.AppendAsync([Batch("b", 0, 1)]);
            int second = store.SelectStreams([Eq("app", "b")], long.MinValue, long.MaxValue).Single().Id;
            Assert.NotEqual(firstId, second);
            Assert.Equal(firstId, store.SelectStreams([Eq("app", "a")], long.MinValue, long.MaxValue).Single().Id);
        }
    }
}
