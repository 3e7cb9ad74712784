using System.Text;
using Strata.Storage.Logs;
using static Strata.Storage.Tests.Logs.LogStoreFixture;

namespace Strata.Storage.Tests.Logs;

/// <summary>Cutting head chunks into compressed blocks, the block filter, and merging overlapping blocks.</summary>
public sealed class LogStoreBlockTests : IDisposable
{
    private readonly LogStoreFixture _fx = new("logblocks");

    public void Dispose() => _fx.Dispose();

    /// <summary>Kubernetes-style lines; line i carries a random-looking request id (<see cref="Id"/>) and, every 500th, a rare word.</summary>
    private static string Id(int i) => ((ulong)(i + 1) * 0x9E3779B97F4A7C15UL).ToString("x16");

    private static List<LogEntry> Lines(int from, int count, long t0)
    {
        var list = new List<LogEntry>(count);
        for (int i = from; i < from + count; i++)
        {
            string word = i % 500 == 7 ? " panic: runtime error" : "";
            list.Add(Entry(t0 + i * Second / 10,
                $"I0312 10:{i / 600 % 60:00}:{i / 10 % 60:00}.{i % 10}00000       1 controller.go:{100 + i % 7}] \"Reconciling\" namespace=\"ns-{i % 5}\" request_id=\"{Id(i)}\" duration=\"{i % 97}.{i % 13}ms\"{word}"));
        }
        return list;
    }

    [Fact]
    public async Task HeadChunksAreCutCompressedAndReadBack()
    {
        await using var store = await _fx.OpenAsync(o => o with { TargetBlockBytes = 16 * 1024 });
        var a = Ls("a");
        var lines = Lines(0, 3000, T0);
        for (int i = 0; i < lines.Count; i += 300) await store.AppendAsync([new LogStreamPush(a, lines.GetRange(i, 300))]);
        await store.RunMaintenanceAsync(default);
        var m = store.Metrics;
        Assert.True(m.BlocksStored >= 20, $"{m.BlocksStored} blocks");
        Assert.Equal(m.BlocksCut, m.BlocksStored);
        double ratio = (double)m.UncompressedBytes / m.CompressedBytes;
        Assert.True(ratio > 3, $"compression ratio {ratio:F2}");

        var expected = lines.Select(e => (e.TimestampNs, Encoding.UTF8.GetString(e.Line.Span))).ToList();
        Assert.Equal(expected, Read(store, a));
        expected.Reverse();
        Assert.Equal(expected, Read(store, a, backward: true));
        // A window in the middle touches only a few blocks.
        var mid = Read(store, a, T0 + 1000 * Second / 10, T0 + 1100 * Second / 10);
        Assert.Equal(100, mid.Count);
        Assert.Equal(T0 + 1000 * Second / 10, mid[0].Ts);
    }

    [Fact]
    public async Task FilterSkipsBlocksThatCannotContainALiteral()
    {
        await using var store = await _fx.OpenAsync(o => o with { TargetBlockBytes = 16 * 1024 });
        var a = Ls("a");
        await store.AppendAsync([new LogStreamPush(a, Lines(0, 3000, T0))]);
        await store.RunMaintenanceAsync(default);
        var info = store.SelectStreams(MatchersFor(a), long.MinValue, long.MaxValue).Single();

        (long Read, long Skipped, List<string> Lines) Scan(params string[] literals)
        {
            using var c = store.Open(info, long.MinValue, long.MaxValue, false, literals.Select(Encoding.UTF8.GetBytes).ToList());
            var found = new List<string>();
            while (c.MoveNext())
            {
                string line = Encoding.UTF8.GetString(c.Line);
                if (literals.All(l => line.Contains(l, StringComparison.Ordinal))) found.Add(line);
            }
            return (c.BlocksRead, c.BlocksSkipped, found);
        }

        var all = Scan();
        Assert.Equal(0, all.Skipped);
        long blocks = all.Read;
        Assert.True(blocks > 20);

        // An id present in one line: (almost) every other block is skipped, the line is found.
        var one = Scan(Id(1234));
        Assert.Single(one.Lines);
        Assert.True(one.Skipped >= blocks - 3, $"skipped {one.Skipped} of {blocks}");
        // Absent from every block.
        var none = Scan("OOMKilled");
        Assert.Empty(none.Lines);
        Assert.True(none.Skipped >= blocks - 2, $"skipped {none.Skipped} of {blocks}");
        // Present in every block: nothing skipped, all lines come back unfiltered.
        var every = Scan("Reconciling");
        Assert.Equal(0, every.Skipped);
        Assert.Equal(3000, every.Lines.Count);
        // Rare word: the blocks holding it are read.
        var rare = Scan("panic");
        Assert.Equal(6, rare.Lines.Count);
        // Too short for the filter (< 4 bytes): never skips.
        Assert.Equal(0, Scan("ns-").Skipped);
        // Every literal must be present: one absent one skips.
        Assert.True(Scan("Reconciling", "OOMKilled").Skipped >= blocks - 2);
    }

    [Fact]
    public async Task OutOfOrderEntriesAcrossACutAreMergedInOrder()
    {
        await using var store = await _fx.OpenAsync(o => o with { TargetBlockBytes = 1024 });
        var a = Ls("a");
        var pushed = new List<(long Ts, string Line)>();
        var rnd = new Random(5);
        for (int batch = 0; batch < 40; batch++)
        {
            var entries = new List<LogEntry>();
            for (int i = 0; i < 10; i++)
            {
                // Up to 30 min late, with equal timestamps now and then.
                long ts = T0 + Hour + batch * Minute - rnd.Next(0, 30) * Minute - (i % 3 == 0 ? 0 : rnd.Next(0, 2));
                string line = $"b{batch} e{i} " + new string('x', 40);
                entries.Add(Entry(ts, line));
                pushed.Add((ts, line));
            }
            await store.AppendAsync([new LogStreamPush(a, entries)]);
        }
        await store.RunMaintenanceAsync(default);
        Assert.True(store.Metrics.BlocksStored > 10);
        // Stable sort = push order among equal timestamps.
        var expected = pushed.Select((p, i) => (p, i)).OrderBy(x => x.p.Ts).ThenBy(x => x.i).Select(x => x.p).ToList();
        Assert.Equal(expected, Read(store, a));
        expected.Reverse();
        Assert.Equal(expected, Read(store, a, backward: true));
        var window = Read(store, a, T0 + Hour + 5 * Minute, T0 + Hour + 20 * Minute);
        Assert.Equal(pushed.Count(p => p.Ts >= T0 + Hour + 5 * Minute && p.Ts < T0 + Hour + 20 * Minute), window.Count);
    }

    [Fact]
    public async Task AgedHeadChunksAreCutByMaintenance()
    {
        await using var store = await _fx.OpenAsync(o => o with { MaxChunkAge = TimeSpan.FromMinutes(10) });
        await store.AppendAsync([Push(Ls("a"), Entry(T0, "small"))]);
        await store.RunMaintenanceAsync(default);
        Assert.Equal(0, store.Metrics.BlocksCut);
        _fx.Clock.Now += TimeSpan.FromMinutes(11);
        await store.RunMaintenanceAsync(default);
        Assert.Equal(1, store.Metrics.BlocksStored);
        Assert.Equal([(T0, "small")], Read(store, Ls("a")));
    }

    [Fact]
    public async Task ConcurrentAppendersAndReadersSeeEveryAcknowledgedLineOnce()
    {
        await using var store = await _fx.OpenAsync(o => o with { TargetBlockBytes = 4096 });
        const int Writers = 4, Batches = 50, PerBatch = 20;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int b = 0; b < Batches; b++)
            {
                var entries = Enumerable.Range(0, PerBatch).Select(i => Entry(T0 + (b * PerBatch + i) * Second, $"w{w} b{b} i{i} {new string('y', 50)}")).ToList();
                var r = await store.AppendAsync([new LogStreamPush(Ls("w" + w), entries), new LogStreamPush(Ls("shared", "p-" + w), entries)]);
                Assert.Equal(2 * PerBatch, r.Accepted);
            }
        })).ToArray();
        var reader = Task.Run(async () =>
        {
            while (!writers.All(t => t.IsCompleted))
            {
                foreach (var info in store.SelectStreams([Eq("namespace", "ns")], long.MinValue, long.MaxValue))
                {
                    using var c = store.Open(info, long.MinValue, long.MaxValue, backward: false);
                    long prev = long.MinValue;
                    while (c.MoveNext())
                    {
                        Assert.True(c.TimestampNs > prev, "out of order or duplicated");
                        prev = c.TimestampNs;
                    }
                }
                await Task.Yield();
            }
        });
        await Task.WhenAll(writers);
        await reader;
        await store.RunMaintenanceAsync(default);
        for (int w = 0; w < Writers; w++)
        {
            Assert.Equal(Batches * PerBatch, Read(store, Ls("w" + w)).Count);
            Assert.Equal(Batches * PerBatch, Read(store, Ls("shared", "p-" + w)).Count);
        }
    }
}
