using System.Diagnostics;
using System.Globalization;
using Strata.Storage.Blocks;
using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Labels;
using Strata.Storage.Tsdb;
using IndexMatch = Strata.Storage.Index.MatchType;
using LabelMatcher = Strata.Storage.Index.LabelMatcher;

namespace Strata.Storage.Tests.Tsdb;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The database on real files: persistence across restarts, block cutting, retention, out-of-order.</summary>
public sealed class TsdbTests : IDisposable
{
    private const long Hour = 3_600_000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "strata-tsdb-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }

    private static readonly LabelMatcher[] All = [new(IndexMatch.NotEqual, "__name__", "")];

    private static async Task Append(Strata.Storage.Tsdb.Tsdb db, LabelSet labels, IEnumerable<(long T, double V)> samples)
    {
        long address;
        using (var tx = db.BeginAppend())
        {
            var s = db.Head.GetOrCreate(labels, out _);
            var r = new AppendResult[1];
            foreach (var (t, v) in samples) tx.Append(ref s, [t], [v], r);
            address = tx.Commit();
        }
        await db.WaitDurableAsync(address);
    }

    private static List<(long, ulong)> Read(ISeriesReader r, LabelSet labels)
    {
        var matchers = labels.AsSpan().ToArray().Select(l => new LabelMatcher(IndexMatch.Equal, l.Name, l.Value)).ToArray();
        var series = r.Select(matchers, long.MinValue, long.MaxValue).Where(s => s.Labels.Equals(labels)).ToList();
        var result = new List<(long, ulong)>();
        foreach (var s in series)
        {
            var it = s.Iterator();
            while (it.MoveNext()) result.Add((it.Timestamp, it.ValueBits));
        }
        return result;
    }

    private TsdbOptions Options(TimeSpan? retention = null, long retentionBytes = 0, long oooWindow = 0) => new()
    {
        Path = _dir,
        Retention = retention ?? TimeSpan.FromDays(30),
        RetentionBytes = retentionBytes,
        Head = new HeadOptions { OutOfOrderWindowMs = oooWindow },
    };

    [Fact]
    public async Task DataSurvivesCleanRestartAndBlocksAreCut()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(10 * Hour));
        var a = LabelSet.From(("__name__", "m"), ("i", "a"));
        var b = LabelSet.From(("__name__", "m"), ("i", "b"));
        var samplesA = Enumerable.Range(0, 600).Select(i => ((long)i * 30_000, (double)i)).ToList(); // 5 h
        var samplesB = Enumerable.Range(0, 10).Select(i => ((long)i * 15_000, BitConverter.UInt64BitsToDouble(0x7FF0000000000002))).ToList();
        await using (var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(), clock: clock, startMaintenance: false))
        {
            await Append(db, a, samplesA);
            await Append(db, b, samplesB);
            await db.MaintainAsync();
            // The head spans 5 h: [0, 2h) goes to a block once the head reaches 3 h, then [2h, 4h) does not yet (needs 5h).
            Assert.Equal([0L], db.Blocks.Select(m => m.MinTime));
            Assert.Equal(samplesA.Select(s => (s.Item1, BitConverter.DoubleToUInt64Bits(s.Item2))), Read(db, a));
        }
        await using (var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(), clock: clock, startMaintenance: false))
        {
            Assert.Equal(samplesA.Select(s => (s.Item1, BitConverter.DoubleToUInt64Bits(s.Item2))), Read(db, a));
            Assert.Equal(samplesB.Select(s => (s.Item1, 0x7FF0000000000002UL)), Read(db, b));
            // Samples inside a persisted block range are out of bounds now.
            var s = db.Head.GetOrCreate(a, out _);
            using var tx = db.BeginAppend();
            Span<AppendResult> r = stackalloc AppendResult[1];
            tx.Append(ref s, [1000L], [1.0], r);
            Assert.Equal(AppendResult.OutOfBounds, r[0]);
        }
    }

    [Fact]
    public async Task UncleanStopReplaysTheWal()
    {
        var labels = LabelSet.From(("__name__", "wal_only"));
        var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(), startMaintenance: false);
        await Append(db, labels, [(1000, 1), (2000, 2), (3000, double.NaN)]);
        // Simulate kill -9: copy the directory while the database is open, never closing it.
        string copy = _dir + "-copy";
        CopyDirectory(_dir, copy);
        await db.DisposeAsync();
        try
        {
            await using var reopened = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options() with { Path = copy }, startMaintenance: false);
            var read = Read(reopened, labels);
            Assert.Equal(3, read.Count);
            Assert.Equal((2000L, BitConverter.DoubleToUInt64Bits(2)), read[1]);
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }

    private static BlockMeta WriteBlock(string dir, long mint, long maxt, string metric)
    {
        var chunk = new XorChunk();
        for (long t = mint; t < maxt; t += 60_000) chunk.Append(t, t / 1000.0);
        return BlockWriter.Write(dir, mint, maxt, [new SeriesChunks(LabelSet.From(("__name__", metric)), [chunk.Seal()])]);
    }

    [Fact]
    public async Task TimeRetentionDeletesOnlyExpiredBlocks()
    {
        Directory.CreateDirectory(_dir);
        var day = 24 * Hour;
        var old = WriteBlock(_dir, 0, 2 * Hour, "old");
        var edge = WriteBlock(_dir, 2 * day, 2 * day + 2 * Hour, "edge");
        var recent = WriteBlock(_dir, 5 * day, 5 * day + 2 * Hour, "recent");
        // Retention 3 days, clock at day 5 + 2h: blocks ending before day 2 + 2h go; "edge" ends exactly then and stays.
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(5 * day + 2 * Hour));
        await using var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(TimeSpan.FromDays(3)), clock: clock, startMaintenance: false);
        Assert.Equal(3, db.BlockCount);
        await db.MaintainAsync();
        Assert.Equal([edge.Ulid, recent.Ulid], db.Blocks.Select(b => b.Ulid));
        Assert.False(Directory.Exists(Path.Combine(_dir, old.Ulid)));
        clock.Now = clock.Now.AddHours(1);
        await db.MaintainAsync();
        Assert.Equal([recent.Ulid], db.Blocks.Select(b => b.Ulid));
        Assert.Empty(db.Select([new LabelMatcher(IndexMatch.Equal, "__name__", "edge")], long.MinValue, long.MaxValue));
        Assert.Single(db.Select([new LabelMatcher(IndexMatch.Equal, "__name__", "recent")], long.MinValue, long.MaxValue));
    }

    [Fact]
    public async Task SizeRetentionDeletesOldestFirst()
    {
        Directory.CreateDirectory(_dir);
        // One 2 h block per 6 h range, so compaction leaves them alone.
        var metas = Enumerable.Range(0, 4).Select(i => WriteBlock(_dir, i * 6 * Hour, i * 6 * Hour + 2 * Hour, $"b{i}")).ToList();
        long one = new DirectoryInfo(Path.Combine(_dir, metas[0].Ulid)).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(24 * Hour));
        // Room for a bit more than two blocks (no WAL here, so blocks are all that counts).
        await using var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(retentionBytes: 2 * one + one / 2) with { WalEnabled = false }, clock: clock, startMaintenance: false);
        await db.MaintainAsync();
        Assert.Equal([metas[2].Ulid, metas[3].Ulid], db.Blocks.Select(b => b.Ulid));
    }

    [Fact]
    public async Task OutOfOrderWindowAcceptsLateSamplesAndQueriesMergeThem()
    {
        var labels = LabelSet.From(("__name__", "ooo"));
        await using (var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(oooWindow: 10 * 60_000), startMaintenance: false))
        {
            await Append(db, labels, [(600_000, 10), (1_200_000, 20)]);
            var s = db.Head.GetOrCreate(labels, out _);
            AppendResult[] results = new AppendResult[3];
            long address;
            using (var tx = db.BeginAppend())
            {
                tx.Append(ref s, [900_000L], [15.0], results.AsSpan(0, 1));       // inside the window
                tx.Append(ref s, [300_000L], [5.0], results.AsSpan(1, 1));        // older than window
                tx.Append(ref s, [900_000L], [16.0], results.AsSpan(2, 1));       // conflicting duplicate
                address = tx.Commit();
            }
            await db.WaitDurableAsync(address);
            Assert.Equal([AppendResult.Appended, AppendResult.OutOfOrder, AppendResult.DuplicateTimestamp], results);
            Assert.Equal([600_000L, 900_000L, 1_200_000L], Read(db, labels).Select(x => x.Item1));
        }
        // The out-of-order sample survives a restart too.
        await using (var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(oooWindow: 10 * 60_000), startMaintenance: false))
        {
            Assert.Equal([600_000L, 900_000L, 1_200_000L], Read(db, labels).Select(x => x.Item1));
        }
    }

    [Fact]
    public async Task OutOfOrderIsRejectedWithoutAWindow()
    {
        var labels = LabelSet.From(("__name__", "no_ooo"));
        await using var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(), startMaintenance: false);
        await Append(db, labels, [(600_000, 10)]);
        var s = db.Head.GetOrCreate(labels, out _);
        var r = new AppendResult[1];
        using (var tx = db.BeginAppend()) tx.Append(ref s, [500_000L], [1.0], r);
        Assert.Equal(AppendResult.OutOfOrder, r[0]);
    }

    [Fact]
    public async Task CorruptChunkIsCountedAndTheRestIsServed()
    {
        Directory.CreateDirectory(_dir);
        var good = LabelSet.From(("__name__", "good"));
        var bad = LabelSet.From(("__name__", "bad"));
        var cg = new XorChunk();
        var cb = new XorChunk();
        for (int i = 0; i < 100; i++)
        {
            cg.Append(i * 60_000L, i);
            cb.Append(i * 60_000L, -i);
        }
        var meta = BlockWriter.Write(_dir, 0, 2 * Hour, [new SeriesChunks(bad, [cb.Seal()]), new SeriesChunks(good, [cg.Seal()])]);
        // The "bad" series sorts first, so its chunk is the first in the segment file: flip a data byte.
        string segment = Path.Combine(_dir, meta.Ulid, "chunks", "000001");
        var bytes = File.ReadAllBytes(segment);
        bytes[8 + 1 + 1 + 20] ^= 0xFF;
        File.WriteAllBytes(segment, bytes);

        await using var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options() with { WalEnabled = false }, startMaintenance: false);
        Assert.Equal(100, Read(db, good).Count);
        Assert.True(db.Corruptions == 0);
        Read(db, bad);
        Assert.True(db.Corruptions > 0, "the corrupt chunk was not detected");
        Assert.Equal(100, Read(db, good).Count);
    }

    [Fact]
    public async Task PromtoolReadsTheBlocksWeWrite()
    {
        const string promtool = "/usr/bin/promtool";
        if (!File.Exists(promtool))
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "CI must install promtool (Debian package prometheus)");
            return;
        }
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeMilliseconds(10 * Hour));
        var expected = new List<string>();
        await using (var db = await Strata.Storage.Tsdb.Tsdb.OpenAsync(Options(), clock: clock, startMaintenance: false))
        {
            for (int i = 0; i < 3; i++)
            {
                var labels = LabelSet.From(("__name__", "dumped"), ("job", "j" + i));
                var samples = Enumerable.Range(0, 500).Select(k => ((long)k * 30_000 + i, k * 0.5 + i)).ToList(); // ~4.2 h
                await Append(db, labels, samples);
                foreach (var (t, v) in samples.Where(s => s.Item1 < 2 * Hour))
                    expected.Add($"{{__name__=\"dumped\", job=\"j{i}\"}} {v.ToString(CultureInfo.InvariantCulture)} {t}");
            }
            await db.MaintainAsync();
            Assert.Single(db.Blocks);
        }
        Directory.CreateDirectory(Path.Combine(_dir, "wal")); // promtool opens the dir as a Prometheus DB
        Run(promtool, $"tsdb list {_dir}");
        string ulid = Directory.GetDirectories(_dir).Select(Path.GetFileName).Single(n => n!.Length == 26)!;
        Run(promtool, $"tsdb analyze {_dir} {ulid}");
        var dumped = Run(promtool, $"tsdb dump --min-time=0 --max-time={2 * Hour - 1} {_dir}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), dumped.Select(Normalize).Order(StringComparer.Ordinal));
    }

    // promtool prints values with Go's %g-like formatting; reparse and print them like the expectation does.
    private static string Normalize(string line)
    {
        var parts = line.Split(' ');
        double v = double.Parse(parts[^2], CultureInfo.InvariantCulture);
        return string.Join(' ', parts[..^2]) + " " + v.ToString(CultureInfo.InvariantCulture) + " " + parts[^1];
    }

    private static string Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {args} failed: {stderr}");
        return stdout;
    }
}
