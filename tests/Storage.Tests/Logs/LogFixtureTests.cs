using System.Runtime.CompilerServices;
using System.Text;
using Strata.Storage.Logs;
using static Strata.Storage.Tests.Logs.LogStoreFixture;

namespace Strata.Storage.Tests.Logs;

/// <summary>
/// A store directory written by format version 1 (testdata/store-v1: both logs and the stream-id
/// file, with stored blocks, metadata and head entries left in the WAL) must stay readable.
/// Regenerate only for a new version, next to the old one: <c>STRATA_WRITE_LOG_FIXTURE=1 dotnet test --filter Version1StoreFixture</c>.
/// </summary>
public sealed class LogFixtureTests : IDisposable
{
    private readonly LogStoreFixture _fx = new("logfixture");

    public void Dispose() => _fx.Dispose();

    private static string FixtureDir([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "testdata", "store-v1");

    private static IEnumerable<LogStreamPush> Content()
    {
        for (int b = 0; b < 6; b++)
        {
            yield return new LogStreamPush(Ls("api"), Enumerable.Range(0, 40).Select(i =>
                Entry(T0 + (b * 40 + i) * Second, $"level=info msg=\"request\" batch={b} i={i} path=/api/v1/items/{i * 7}",
                    i % 4 == 0 ? [("trace_id", $"t{b}-{i}")] : [])).ToList());
            yield return new LogStreamPush(Ls("db", "p-2"), [Entry(T0 + b * Minute, $"checkpoint {b} done")]);
        }
    }

    private static List<(long, string)> Expected(string app) => Content()
        .Where(p => p.Labels.Get("app") == app).SelectMany(p => p.Entries)
        .Select(e => (e.TimestampNs, Encoding.UTF8.GetString(e.Line.Span))).ToList();

    private static LogStoreOptions FixtureOptions(string dir) =>
        new() { Directory = dir, TargetBlockBytes = 2048, ChunkSegmentSizeBits = 22, WalSegmentSizeBits = 22, Retention = TimeSpan.FromDays(36500) };

    [Fact]
    public async Task Version1StoreFixture()
    {
        if (Environment.GetEnvironmentVariable("STRATA_WRITE_LOG_FIXTURE") == "1")
        {
            string target = FixtureDir();
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            await using (var w = await LogStore.OpenAsync(FixtureOptions(target), null, _fx.Clock))
            {
                foreach (var p in Content()) await w.AppendAsync([p]);
                await w.RunMaintenanceAsync(default);
                // Left in head chunks (the WAL) on purpose.
                await w.AppendAsync([Push(Ls("api"), Entry(T0 + Hour, "after maintenance"))]);
            }
        }
        foreach (var f in Directory.GetFiles(FixtureDir(), "*", SearchOption.AllDirectories))
        {
            string dst = Path.Combine(_fx.Dir, Path.GetRelativePath(FixtureDir(), f));
            Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            File.Copy(f, dst);
        }
        await using var store = await LogStore.OpenAsync(FixtureOptions(_fx.Dir), null, _fx.Clock);
        Assert.True(store.Metrics.RecoveredBlocks > 5, $"{store.Metrics.RecoveredBlocks} blocks");
        Assert.True(store.Metrics.RecoveredHeadEntries > 0);
        Assert.Equal([.. Expected("api"), (T0 + Hour, "after maintenance")], Read(store, Ls("api")));
        Assert.Equal(Expected("db"), Read(store, Ls("db", "p-2")));
        var info = store.SelectStreams([Eq("app", "api")], long.MinValue, long.MaxValue).Single();
        using var c = store.Open(info, T0, T0 + 1, backward: false);
        Assert.True(c.MoveNext());
        Assert.Equal([new Labels.Label("trace_id", "t0-0")], c.Metadata.ToArray());
    }
}
