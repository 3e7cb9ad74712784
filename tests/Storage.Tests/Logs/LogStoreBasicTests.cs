using System.Text;
using Strata.Storage.Index;
using IndexMatch = Strata.Storage.Index.MatchType;
using Strata.Storage.Labels;
using Strata.Storage.Logs;
using static Strata.Storage.Tests.Logs.LogStoreFixture;

namespace Strata.Storage.Tests.Logs;

/// <summary>Append and read back: order, bounds, direction, out-of-order window, duplicates, rejections.</summary>
public sealed class LogStoreBasicTests : IDisposable
{
    private readonly LogStoreFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public async Task LinesReadBackExactlyInOrderBothDirectionsWithBounds()
    {
        await using var store = await _fx.OpenAsync();
        var a = Ls("a");
        var b = Ls("b");
        var r = await store.AppendAsync([
            Push(a, Entry(T0 + 1, "a1"), Entry(T0 + 2, "a2 ünïcödé"), Entry(T0 + 3, "")),
            Push(b, Entry(T0 + 10, "b1")),
        ]);
        Assert.Equal(new LogAppendResult(4, 0, null), r);
        r = await store.AppendAsync([Push(a, Entry(T0 + 4, "a4"), Entry(T0 + 4, "a4 again, same time"))]);
        Assert.Equal(2, r.Accepted);

        Assert.Equal([(T0 + 1, "a1"), (T0 + 2, "a2 ünïcödé"), (T0 + 3, ""), (T0 + 4, "a4"), (T0 + 4, "a4 again, same time")], Read(store, a));
        // Backward: newest first, equal timestamps in reverse push order.
        Assert.Equal([(T0 + 4, "a4 again, same time"), (T0 + 4, "a4"), (T0 + 3, ""), (T0 + 2, "a2 ünïcödé"), (T0 + 1, "a1")], Read(store, a, backward: true));
        // [from, to): from inclusive, to exclusive.
        Assert.Equal([(T0 + 2, "a2 ünïcödé"), (T0 + 3, "")], Read(store, a, T0 + 2, T0 + 4));
        Assert.Equal([(T0 + 3, ""), (T0 + 2, "a2 ünïcödé")], Read(store, a, T0 + 2, T0 + 4, backward: true));
        Assert.Empty(Read(store, a, T0 + 5, T0 + 100));
        Assert.Equal([(T0 + 10, "b1")], Read(store, b));
    }

    [Fact]
    public async Task OutOfOrderWithinWindowIsAcceptedAndReturnedSorted()
    {
        await using var store = await _fx.OpenAsync();
        var a = Ls("a");
        var r = await store.AppendAsync([Push(a, Entry(T0 + 2 * Hour, "newest"), Entry(T0 + Hour + 30 * Minute, "30m behind"), Entry(T0 + Hour, "exactly 1h behind"))]);
        Assert.Equal(3, r.Accepted);
        Assert.Equal(0, r.Rejected);
        Assert.Equal(["exactly 1h behind", "30m behind", "newest"], Read(store, a).Select(e => e.Line));
        Assert.Equal(["newest", "30m behind", "exactly 1h behind"], Read(store, a, backward: true).Select(e => e.Line));
    }

    [Fact]
    public async Task EntriesTooFarBehindAreRejectedAndDescribed()
    {
        await using var store = await _fx.OpenAsync();
        var a = Ls("a");
        await store.AppendAsync([Push(a, Entry(T0 + 2 * Hour, "newest"))]);
        var r = await store.AppendAsync([Push(a, Entry(T0 + Hour - 1, "1h and 1ns behind"), Entry(T0, "2h behind"), Entry(T0 + 2 * Hour - 5, "ok"))]);
        Assert.Equal(1, r.Accepted);
        Assert.Equal(2, r.Rejected);
        Assert.NotNull(r.FirstRejection);
        Assert.Contains("too old", r.FirstRejection, StringComparison.Ordinal);
        Assert.Contains("app=\"a\"", r.FirstRejection, StringComparison.Ordinal);
        Assert.Equal(2, store.Metrics.EntriesRejected);
        Assert.Equal(["ok", "newest"], Read(store, a).Select(e => e.Line));
        // Another stream has its own window.
        r = await store.AppendAsync([Push(Ls("b"), Entry(T0, "old but first of its stream"))]);
        Assert.Equal(1, r.Accepted);
    }

    [Fact]
    public async Task LinesOverTheLimitAreRejected()
    {
        await using var store = await _fx.OpenAsync(o => o with { MaxLineBytes = 10 });
        var r = await store.AppendAsync([Push(Ls("a"), Entry(T0, "0123456789"), Entry(T0 + 1, "0123456789X"))]);
        Assert.Equal((1, 1), (r.Accepted, r.Rejected));
        Assert.Contains("line too long", r.FirstRejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExactDuplicatesAreDroppedSilently()
    {
        await using var store = await _fx.OpenAsync();
        var a = Ls("a");
        LogStreamPush batch = Push(a, Entry(T0 + 1, "x"), Entry(T0 + 2, "y"), Entry(T0 + 3, "z"));
        await store.AppendAsync([batch]);
        // A retried push: every entry is a duplicate.
        var r = await store.AppendAsync([batch]);
        Assert.Equal(new LogAppendResult(3, 0, null) { Duplicates = 3 }, r);
        // Same timestamp, other line: kept. Same line, other timestamp: kept. Out of order duplicate: dropped.
        r = await store.AppendAsync([Push(a, Entry(T0 + 2, "y2"), Entry(T0 + 4, "x"), Entry(T0 + 1, "x"))]);
        Assert.Equal(1, r.Duplicates);
        Assert.Equal([(T0 + 1, "x"), (T0 + 2, "y"), (T0 + 2, "y2"), (T0 + 3, "z"), (T0 + 4, "x")], Read(store, a));
        Assert.Equal(4, store.Metrics.DuplicatesDropped);
    }

    [Fact]
    public async Task StructuredMetadataRoundTrips()
    {
        await using var store = await _fx.OpenAsync(o => o with { TargetBlockBytes = 1024 });
        var a = Ls("a");
        var entries = new List<LogEntry>();
        for (int i = 0; i < 200; i++)
            entries.Add(i % 3 == 0 ? Entry(T0 + i, "line " + i) : Entry(T0 + i, "line " + i, ("trace_id", "t" + (i % 7)), ("user", "ü" + i)));
        await store.AppendAsync([new LogStreamPush(a, entries)]);
        await store.RunMaintenanceAsync(default); // blocks are compressed and stored; the tail stays in the head
        Assert.True(store.Metrics.BlocksStored > 2);
        var info = store.SelectStreams([Eq("app", "a")], long.MinValue, long.MaxValue).Single();
        using var c = store.Open(info, long.MinValue, long.MaxValue, backward: false);
        int n = 0;
        while (c.MoveNext())
        {
            int i = n++;
            Assert.Equal("line " + i, Encoding.UTF8.GetString(c.Line));
            var meta = c.Metadata.ToArray();
            if (i % 3 == 0) Assert.Empty(meta);
            else Assert.Equal([new Label("trace_id", "t" + (i % 7)), new Label("user", "ü" + i)], meta);
        }
        Assert.Equal(200, n);
    }

    [Fact]
    public async Task LabelNamesValuesAndSelectionFollowMatchersAndTime()
    {
        await using var store = await _fx.OpenAsync();
        await store.AppendAsync([
            Push(LabelSet.From(("app", "web"), ("env", "prod"), ("pod", "w1")), Entry(T0, "w1")),
            Push(LabelSet.From(("app", "web"), ("env", "dev"), ("pod", "w2")), Entry(T0 + Hour, "w2")),
            Push(LabelSet.From(("app", "db"), ("env", "prod"), ("tier", "storage")), Entry(T0 + 2 * Hour, "d1")),
        ]);
        Assert.Equal(["app", "env", "pod", "tier"], store.LabelNames(null, long.MinValue, long.MaxValue));
        Assert.Equal(["app", "env", "pod"], store.LabelNames([Eq("app", "web")], long.MinValue, long.MaxValue));
        Assert.Equal(["app", "env", "tier"], store.LabelNames(null, T0 + 2 * Hour, T0 + 3 * Hour));
        Assert.Equal(["db", "web"], store.LabelValues("app", null, long.MinValue, long.MaxValue));
        Assert.Equal(["dev", "prod"], store.LabelValues("env", [Eq("app", "web")], long.MinValue, long.MaxValue));
        Assert.Equal(["prod"], store.LabelValues("env", null, T0, T0 + 1));
        Assert.Empty(store.LabelValues("missing", null, long.MinValue, long.MaxValue));

        Assert.Equal(2, store.SelectStreams([Eq("app", "web")], long.MinValue, long.MaxValue).Count);
        Assert.Single(store.SelectStreams([Eq("app", "web")], T0 + Hour, T0 + 2 * Hour));
        Assert.Single(store.SelectStreams([new LabelMatcher(IndexMatch.Regex, "env", "pro.*"), new LabelMatcher(IndexMatch.NotEqual, "app", "db")], long.MinValue, long.MaxValue));
        // {tier=""} matches streams without the label.
        Assert.Equal(2, store.SelectStreams([Eq("tier", "")], long.MinValue, long.MaxValue).Count);
        Assert.Empty(store.SelectStreams([Eq("app", "nope")], long.MinValue, long.MaxValue));

        var stats = store.IndexStats([Eq("env", "prod")], long.MinValue, long.MaxValue);
        Assert.Equal(new LogIndexStats(2, 2, 2, 4), stats);
    }
}
