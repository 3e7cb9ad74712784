using System.Text;
using Strata.Storage.Logs;
using static Strata.Storage.Tests.Logs.LogStoreFixture;

namespace Strata.Storage.Tests.Logs;

/// <summary>Retention by time (manual clock) and by size: whole segments go, streams without data are forgotten.</summary>
public sealed class LogStoreRetentionTests : IDisposable
{
    private readonly LogStoreFixture _fx = new("logretention");

    public void Dispose() => _fx.Dispose();

    /// <summary>~<paramref name="bytes"/> of barely compressible lines (random base64) so segments fill quickly.</summary>
    private static async Task Fill(LogStore store, string app, long t0, int bytes, int seed)
    {
        var rnd = new Random(seed);
        var buf = new byte[150];
        int written = 0, n = 0;
        while (written < bytes)
        {
            var entries = new List<LogEntry>();
            for (int i = 0; i < 200; i++)
            {
                rnd.NextBytes(buf);
                entries.Add(Entry(t0 + n++ * Second / 100, Convert.ToBase64String(buf)));
                written += 200;
            }
            await store.AppendAsync([new LogStreamPush(Ls(app), entries)]);
        }
    }

    /// <summary>FasterLog deletes segments before the begin address with the commit that records it, which retention requests.</summary>
    private static async Task AssertDeletedSoon(string path)
    {
        for (int i = 0; i < 100 && File.Exists(path); i++) await Task.Delay(50);
        Assert.False(File.Exists(path), path + " still exists");
    }

    private string ChunkSegment(int n) => Path.Combine(_fx.Dir, "chunks", "wal." + n);

    [Fact]
    public async Task BlocksPastRetentionAreRemovedWithTheirSegmentsAndStreams()
    {
        await using var store = await _fx.OpenAsync();
        await Fill(store, "old", T0, 12 << 20, 1);
        await store.RunMaintenanceAsync(default);
        Assert.True(File.Exists(ChunkSegment(0)));
        Assert.True(File.Exists(ChunkSegment(2)), "the old data spans several segments");

        // 31 days later a new stream arrives; the old one is past the 30-day retention.
        _fx.Clock.Now += TimeSpan.FromDays(31);
        long t1 = T0 + 31L * 24 * Hour;
        await store.AppendAsync([Push(Ls("new"), Entry(t1, "fresh"))]);
        await store.RunMaintenanceAsync(default);

        // Every block of the old stream, including its head chunk, cut by age on the way.
        Assert.Equal(store.Metrics.BlocksStored, store.Metrics.RetentionDeletedBlocks);
        Assert.Equal(1, store.Metrics.RetentionDeletedStreams);
        Assert.Empty(store.SelectStreams([Eq("app", "old")], long.MinValue, long.MaxValue));
        Assert.Equal(["new"], store.LabelValues("app", null, long.MinValue, long.MaxValue));
        await AssertDeletedSoon(ChunkSegment(0));
        await AssertDeletedSoon(ChunkSegment(1));
        Assert.Equal([(t1, "fresh")], Read(store, Ls("new")));
    }

    [Fact]
    public async Task RetentionKeepsBlocksNewerThanTheCutoff()
    {
        await using var store = await _fx.OpenAsync(o => o with { Retention = TimeSpan.FromDays(2), TargetBlockBytes = 4096 });
        for (int day = 0; day < 4; day++)
        {
            await store.AppendAsync([Push(Ls("a"), Enumerable.Range(0, 100).Select(i => Entry(T0 + day * 24 * Hour + i * Second, $"day {day} line {i} {new string('z', 60)}")).ToArray())]);
            _fx.Clock.Now += TimeSpan.FromDays(1);
        }
        await store.RunMaintenanceAsync(default); // now = T0 + 4 days + 1 h: days 0 and 1 are older than 2 days
        var lines = Read(store, Ls("a"));
        Assert.All(lines, l => Assert.StartsWith("day ", l.Line, StringComparison.Ordinal));
        Assert.Equal(["day 2", "day 3"], lines.Select(l => l.Line[..5]).Distinct());
        Assert.True(store.Metrics.RetentionDeletedBlocks > 0);
    }

    [Fact]
    public async Task SizeRetentionRemovesTheOldestSegments()
    {
        const long Budget = 12L << 20;
        await using var store = await _fx.OpenAsync(o => o with { RetentionBytes = Budget });
        await Fill(store, "a", T0, 24 << 20, 2);
        await store.RunMaintenanceAsync(default);
        await store.RunMaintenanceAsync(default);
        Assert.True(store.Metrics.RetentionDeletedBlocks > 0);
        Assert.True(store.Metrics.ChunkLogBytes + store.Metrics.WalBytes <= Budget, $"{store.Metrics.ChunkLogBytes} + {store.Metrics.WalBytes} bytes");
        await AssertDeletedSoon(ChunkSegment(0));
        // What is left is the newest data, contiguous up to the last line written.
        var lines = Read(store, Ls("a"));
        Assert.NotEmpty(lines);
        Assert.True(lines[0].Ts > T0);
        var last = Read(store, Ls("a"), backward: true)[0];
        Assert.Equal(lines[^1], last);
    }
}
