using System.Text;
using Strata.Storage.Chunks;
using Strata.Storage.Head;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using MatchType = Strata.Storage.Index.MatchType;
using HeadStore = Strata.Storage.Head.Head;

namespace Strata.Storage.Tests.Head;

public class HeadTests
{
    private const long TwoHours = 2 * 60 * 60 * 1000;
    private const ulong StaleNaN = 0x7FF0000000000002;

    private static LabelSet L(params (string, string)[] pairs) => LabelSet.From(pairs);

    private static MemSeries Series(HeadStore head, string name = "up", string job = "api")
    {
        var s = head.GetOrCreate(L(("__name__", name), ("job", job)), out _);
        return s;
    }

    // ------------------------------------------------------------------ append results

    /// <summary>One series, appended sample by sample: (t, value bits, expected result).</summary>
    public static readonly TheoryData<string, (long T, ulong V, AppendResult R)[]> AppendCases = new()
    {
        { "in order", [(1, Bits(1), AppendResult.Appended), (2, Bits(2), AppendResult.Appended), (100, Bits(3), AppendResult.Appended)] },
        { "out of order", [(10, Bits(1), AppendResult.Appended), (9, Bits(1), AppendResult.OutOfOrder), (11, Bits(2), AppendResult.Appended), (10, Bits(3), AppendResult.OutOfOrder)] },
        { "duplicate", [(10, Bits(1.5), AppendResult.Appended), (10, Bits(1.5), AppendResult.Duplicate), (10, Bits(1.5), AppendResult.Duplicate)] },
        { "duplicate timestamp", [(10, Bits(1.5), AppendResult.Appended), (10, Bits(2.5), AppendResult.DuplicateTimestamp)] },
        { "zero vs negative zero", [(10, Bits(0.0), AppendResult.Appended), (10, Bits(-0.0), AppendResult.DuplicateTimestamp)] },
        { "same NaN bits", [(10, StaleNaN, AppendResult.Appended), (10, StaleNaN, AppendResult.Duplicate)] },
        { "stale vs other NaN", [(10, StaleNaN, AppendResult.Appended), (10, Bits(double.NaN), AppendResult.DuplicateTimestamp)] },
        // A retried batch re-sends older samples: an exact copy of a stored sample is a no-op.
        { "duplicate of older sample", [(10, Bits(1), AppendResult.Appended), (20, Bits(2), AppendResult.Appended), (10, Bits(1), AppendResult.Duplicate)] },
        { "older timestamp never stored", [(10, Bits(1), AppendResult.Appended), (20, Bits(2), AppendResult.Appended), (15, Bits(1), AppendResult.OutOfOrder)] },
        { "negative timestamps", [(-20, Bits(1), AppendResult.Appended), (-10, Bits(2), AppendResult.Appended), (-15, Bits(3), AppendResult.OutOfOrder), (0, Bits(4), AppendResult.Appended)] },
        { "rejected after duplicate", [(10, Bits(1), AppendResult.Appended), (10, Bits(2), AppendResult.DuplicateTimestamp), (11, Bits(3), AppendResult.Appended)] },
    };

    [Theory]
    [MemberData(nameof(AppendCases))]
    public void Append_Results(string name, (long T, ulong V, AppendResult R)[] steps)
    {
        var head = new HeadStore();
        var s = Series(head);
        var stored = new List<(long, ulong)>();
        foreach (var (t, v, expected) in steps)
        {
            Assert.True(expected == head.Append(s, t, BitConverter.UInt64BitsToDouble(v)), $"{name}: t={t}");
            if (expected == AppendResult.Appended) stored.Add((t, v));
        }
        Assert.Equal(stored, ReadAll(head, s.Labels));
        Assert.Equal(stored.Count, head.SamplesAppended);
        Assert.Equal(stored.Count == 0 ? long.MaxValue : stored.Min(x => x.Item1), head.MinTime);
        Assert.Equal(stored.Count == 0 ? long.MinValue : stored.Max(x => x.Item1), head.MaxTime);
    }

    [Fact]
    public void Append_Batch_ReportsEachSample()
    {
        var head = new HeadStore();
        var s = Series(head);
        long[] ts = [10, 20, 20, 20, 15, 30];
        double[] vs = [1, 2, 2, 3, 4, 5];
        var results = new AppendResult[ts.Length];

        int stored = head.Append(s, ts, vs, results);

        Assert.Equal(3, stored);
        Assert.Equal(
            [AppendResult.Appended, AppendResult.Appended, AppendResult.Duplicate, AppendResult.DuplicateTimestamp, AppendResult.OutOfOrder, AppendResult.Appended],
            results);
        Assert.Equal([(10L, Bits(1)), (20L, Bits(2)), (30L, Bits(5))], ReadAll(head, s.Labels));
        Assert.Equal(10, head.MinTime);
        Assert.Equal(30, head.MaxTime);
        Assert.Equal(30, s.MaxTime);
    }

    // ------------------------------------------------------------------ chunk cutting

    public static readonly TheoryData<string, long[], int[]> CutCases = new()
    {
        // Sample counts per chunk for the given timestamps (SamplesPerChunk = 120, 2h range).
        { "119 samples", Steps(0, 1000, 119), [119] },
        { "120 samples", Steps(0, 1000, 120), [120] },
        { "121 samples", Steps(0, 1000, 121), [120, 1] },
        { "240 samples", Steps(0, 1000, 240), [120, 120] },
        { "361 samples", Steps(0, 1000, 361), [120, 120, 120, 1] },
        { "2h boundary", [0, TwoHours - 1, TwoHours, TwoHours + 1], [2, 2] },
        { "starts mid range", [TwoHours / 2, TwoHours - 1, TwoHours], [2, 1] },
        { "exactly on boundary", [TwoHours, 2 * TwoHours - 1], [2] },
        { "skips whole ranges", [5, 3 * TwoHours + 5, 10 * TwoHours], [1, 1, 1] },
        { "negative boundary", [-2, -1, 0, 1], [2, 2] },
        { "negative range", [-TwoHours - 1, -TwoHours, -1], [1, 2] },
        { "negative far", [-3 * TwoHours, -2 * TwoHours - 1, -2 * TwoHours], [2, 1] },
        { "count then boundary", Concat(Steps(TwoHours - 120_000, 1000, 120), [TwoHours - 1, TwoHours]), [120, 1, 1] },
        { "boundary resets count", Concat(Steps(TwoHours - 60_000, 1000, 60), Steps(TwoHours, 1000, 120)), [60, 120] },
    };

    [Theory]
    [MemberData(nameof(CutCases))]
    public void Chunks_AreCutAt120SamplesAnd2hBoundaries(string name, long[] timestamps, int[] expectedCounts)
    {
        var head = new HeadStore();
        var s = Series(head);
        foreach (long t in timestamps) Assert.Equal(AppendResult.Appended, head.Append(s, t, t * 0.5));

        Assert.Equal(expectedCounts.Length, s.ChunkCount);
        var series = Assert.Single(head.Select([], long.MinValue, long.MaxValue));
        var counts = new int[series.Chunks.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            var c = series.Chunks[i];
            counts[i] = c.Count;
            // No chunk spans a multiple of the range.
            Assert.Equal(FloorDiv(c.MinTime, TwoHours), FloorDiv(c.MaxTime, TwoHours));
            if (i > 0) Assert.True(series.Chunks[i - 1].MaxTime < c.MinTime, $"{name}: chunks overlap");
        }
        Assert.Equal(expectedCounts, counts);

        var expected = new List<(long, ulong)>();
        foreach (long t in timestamps) expected.Add((t, Bits(t * 0.5)));
        Assert.Equal(expected, ReadAll(head, s.Labels));
    }

    [Fact]
    public void Chunks_CutWithCustomOptions()
    {
        var head = new HeadStore(new HeadOptions { SamplesPerChunk = 5, ChunkRangeMs = 100, Stripes = 4 });
        var s = Series(head);
        foreach (long t in Steps(0, 10, 23)) head.Append(s, t, 1);
        // Range boundaries at 100 and 200 cut before the count does: [0..40] [50..90] [100..140] [150..190] [200..220].
        var chunks = Assert.Single(head.Select([], long.MinValue, long.MaxValue)).Chunks;
        Assert.Equal([5, 5, 5, 5, 3], chunks.Select(c => c.Count));
        Assert.Equal([0L, 50, 100, 150, 200], chunks.Select(c => c.MinTime));
    }

    // ------------------------------------------------------------------ select and iterate

    [Fact]
    public void Select_ReturnsSortedSeriesWithTheirSamples()
    {
        var head = new HeadStore();
        // Created out of label order.
        var names = new[] { ("up", "b"), ("up", "a"), ("down", "z"), ("up", "a-1"), ("abc", "q") };
        var expected = new Dictionary<string, List<(long, ulong)>>();
        var rnd = new Random(3);
        foreach (var (name, job) in names)
        {
            var s = Series(head, name, job);
            var samples = new List<(long, ulong)>();
            long t = rnd.Next(0, 1000);
            for (int i = 0; i < 300; i++)
            {
                double v = rnd.Next(3) == 0 ? BitConverter.UInt64BitsToDouble(StaleNaN) : rnd.NextDouble();
                Assert.Equal(AppendResult.Appended, head.Append(s, t, v));
                samples.Add((t, Bits(v)));
                t += 15_000 + rnd.Next(-200, 200);
            }
            expected[s.Labels.ToString()] = samples;
        }

        var all = head.Select([], long.MinValue, long.MaxValue);
        Assert.Equal(
            ["abc{job=\"q\"}", "down{job=\"z\"}", "up{job=\"a\"}", "up{job=\"a-1\"}", "up{job=\"b\"}"],
            all.Select(x => x.Labels.ToString()));
        foreach (var sc in all) Assert.Equal(expected[sc.Labels.ToString()], Read(sc.Iterator()));

        var ups = head.Select([new LabelMatcher(MatchType.Equal, "__name__", "up"), new LabelMatcher(MatchType.NotRegex, "job", "a.+")], long.MinValue, long.MaxValue);
        Assert.Equal(["up{job=\"a\"}", "up{job=\"b\"}"], ups.Select(x => x.Labels.ToString()));

        var unsorted = head.Select([], long.MinValue, long.MaxValue, sorted: false);
        Assert.Equal(5, unsorted.Count);
    }

    [Fact]
    public void Select_FiltersChunksByTime()
    {
        var head = new HeadStore();
        var early = Series(head, "early");
        var late = Series(head, "late");
        foreach (long t in Steps(0, 1000, 360)) head.Append(early, t, 1);              // chunks [0,119s] [120s,239s] [240s,359s]
        foreach (long t in Steps(1_000_000, 1000, 10)) head.Append(late, t, 2);

        var r = head.Select([], 130_000, 150_000);
        var single = Assert.Single(r);
        Assert.Equal("early", single.Labels.MetricNameOrEmpty);
        Assert.Equal(120_000, Assert.Single(single.Chunks).MinTime);

        r = head.Select([], 119_000, 120_000);
        Assert.Equal(2, Assert.Single(r).Chunks.Length);

        r = head.Select([], 500_000, 900_000);
        Assert.Empty(r);

        r = head.Select([], 359_000, 1_000_000);
        Assert.Equal(["early", "late"], r.Select(x => x.Labels.MetricNameOrEmpty));

        Assert.Single(head.SelectLabels([], 1_005_000, long.MaxValue));
        Assert.Equal(2, head.SelectLabels([], long.MinValue, long.MaxValue).Count);
    }

    public static readonly TheoryData<string, long[], long?> SeekCases = new()
    {
        // Samples at 0, 1000, ..., 359000 (three chunks of 120). Seeks in order; expected final timestamp.
        { "before start", [-5], 0 },
        { "first", [0], 0 },
        { "inside first chunk", [5_500], 6_000 },
        { "last of first chunk", [119_000], 119_000 },
        { "first of second chunk", [119_001], 120_000 },
        { "skip to third chunk", [300_000], 300_000 },
        { "last", [359_000], 359_000 },
        { "past end", [359_001], null },
        { "backwards stays", [200_000, 10_000], 200_000 },
        { "forward twice", [10_000, 250_500], 251_000 },
        { "same twice", [250_000, 250_000], 250_000 },
        { "across chunks stepwise", [118_500, 119_500, 240_000], 240_000 },
    };

    [Theory]
    [MemberData(nameof(SeekCases))]
    public void SeriesIterator_Seek(string name, long[] seeks, long? expected)
    {
        var head = new HeadStore();
        var s = Series(head);
        foreach (long t in Steps(0, 1000, 360)) head.Append(s, t, t / 1000.0);
        var it = Assert.Single(head.Select([], long.MinValue, long.MaxValue)).Iterator();

        bool found = false;
        foreach (long t in seeks) found = it.Seek(t);

        Assert.True(found == expected.HasValue, name);
        if (expected is not { } e) return;
        Assert.Equal(e, it.Timestamp);
        Assert.Equal(e / 1000.0, it.Value);

        // Iteration continues from the sought sample.
        long next = e + 1000;
        while (it.MoveNext())
        {
            Assert.Equal(next, it.Timestamp);
            next += 1000;
        }
        Assert.Equal(360_000, next);
        Assert.False(it.Failed);
    }

    [Fact]
    public void SeriesIterator_MoveNextThenSeek()
    {
        var head = new HeadStore();
        var s = Series(head);
        foreach (long t in Steps(0, 1000, 250)) head.Append(s, t, 1);
        var it = Assert.Single(head.Select([], long.MinValue, long.MaxValue)).Iterator();
        Assert.True(it.MoveNext());
        Assert.True(it.MoveNext());
        Assert.Equal(1000, it.Timestamp);
        Assert.True(it.Seek(1000));                 // at or after the current sample: stays
        Assert.Equal(1000, it.Timestamp);
        Assert.True(it.Seek(130_500));
        Assert.Equal(131_000, it.Timestamp);
        Assert.True(it.MoveNext());
        Assert.Equal(132_000, it.Timestamp);
        Assert.False(it.Seek(250_000));
        Assert.False(it.MoveNext());
    }

    [Fact]
    public void SeriesIterator_CorruptChunk_IsSticky()
    {
        var first = new XorChunk();
        var second = new XorChunk();
        for (int i = 0; i < 10; i++) first.Append(i * 1000L, i);
        for (int i = 10; i < 20; i++) second.Append(i * 1000L, i);
        var good = first.Seal();
        var truncated = good with { Length = good.Length - 4 }; // claims 10 samples, holds fewer
        ChunkSnapshot[] chunks = [truncated, second.Seal()];

        var it = new SeriesIterator(chunks);
        int n = 0;
        while (it.MoveNext()) n++;
        Assert.InRange(n, 1, 9);
        Assert.True(it.Failed);
        Assert.False(it.Seek(15_000));
        Assert.True(it.Failed);
        Assert.False(it.MoveNext());

        it = new SeriesIterator(chunks);
        Assert.False(it.Seek(9_000));   // the truncated chunk cannot reach its last sample
        Assert.True(it.Failed);
        Assert.False(it.Seek(15_000));
        Assert.False(it.MoveNext());
    }

    [Fact]
    public void SeriesIterator_Empty()
    {
        var it = new SeriesIterator([]);
        Assert.False(it.MoveNext());
        Assert.False(it.Seek(0));
    }

    // ------------------------------------------------------------------ series registry

    [Fact]
    public void GetOrCreate_StringAndUtf8PathsAgree()
    {
        var head = new HeadStore();
        var a = head.GetOrCreate(L(("__name__", "up"), ("job", "api"), ("zone", "é")), out bool created1);
        Assert.True(created1);
        var b = head.GetOrCreate(L(("job", "api"), ("__name__", "up"), ("zone", "é")), out bool created2);
        Assert.False(created2);
        Assert.Same(a, b);

        var (buffer, labels) = Utf8(("__name__", "up"), ("job", "api"), ("zone", "é"));
        var c = head.GetOrCreate(buffer, labels, out bool created3);
        Assert.False(created3);
        Assert.Same(a, c);

        var (buffer2, labels2) = Utf8(("__name__", "up"), ("job", "db"));
        var d = head.GetOrCreate(buffer2, labels2, out bool created4);
        Assert.True(created4);
        Assert.NotSame(a, d);
        Assert.Equal(2, head.NumSeries);
        Assert.Same(d, head.GetById(d.Ref));
        Assert.Null(head.GetById(0));
        Assert.Null(head.GetById(1000));
    }

    // ------------------------------------------------------------------ concurrency

    [Fact]
    public void Concurrent_SameSeries_InterleavedTimestamps()
    {
        const int threads = 4, perThread = 2000;
        var head = new HeadStore();
        var s = Series(head);
        var results = new AppendResult[threads, perThread];
        RunThreads(threads, k =>
        {
            for (int i = 0; i < perThread; i++)
            {
                long t = (long)i * threads + k;
                results[k, i] = head.Append(s, t, t);
            }
        });

        var appended = new SortedSet<long>();
        for (int k = 0; k < threads; k++)
        {
            for (int i = 0; i < perThread; i++)
            {
                var r = results[k, i];
                Assert.True(r is AppendResult.Appended or AppendResult.OutOfOrder, r.ToString());
                if (r == AppendResult.Appended) appended.Add((long)i * threads + k);
            }
        }
        var stored = ReadAll(head, s.Labels);
        Assert.Equal(appended, stored.Select(x => x.Item1));
        foreach (var (t, v) in stored) Assert.Equal(Bits(t), v);
        Assert.Equal(appended.Count, head.SamplesAppended);
        AssertChunksWellFormed(head);
    }

    [Fact]
    public void Concurrent_SameSeries_SameSamples_StoredExactlyOnce()
    {
        const int threads = 4, n = 3000;
        var head = new HeadStore();
        var s = Series(head);
        int appended = 0, duplicate = 0, outOfOrder = 0;
        RunThreads(threads, _ =>
        {
            Span<AppendResult> r = stackalloc AppendResult[10];
            long[] ts = new long[10];
            double[] vs = new double[10];
            for (int i = 0; i < n; i += 10)
            {
                for (int j = 0; j < 10; j++)
                {
                    ts[j] = (i + j) * 15_000L;
                    vs[j] = i + j;
                }
                head.Append(s, ts, vs, r);
                foreach (var x in r)
                {
                    if (x == AppendResult.Appended) Interlocked.Increment(ref appended);
                    else if (x == AppendResult.Duplicate) Interlocked.Increment(ref duplicate);
                    else if (x == AppendResult.OutOfOrder) Interlocked.Increment(ref outOfOrder);
                    else Assert.Fail(x.ToString());
                }
            }
        });

        // Every thread walks the same sequence in order, so each sample is stored by exactly one of them.
        Assert.Equal(n, appended);
        Assert.Equal(threads * n, appended + duplicate + outOfOrder);
        Assert.Equal(n, head.SamplesAppended);
        var stored = ReadAll(head, s.Labels);
        Assert.Equal(n, stored.Count);
        for (int i = 0; i < n; i++) Assert.Equal((i * 15_000L, Bits(i)), stored[i]);
        Assert.Equal((n + 119) / 120, s.ChunkCount);
    }

    [Fact]
    public void Concurrent_DifferentSeries_AndReaders()
    {
        const int writers = 4, seriesPerWriter = 25, samples = 400;
        var head = new HeadStore(new HeadOptions { Stripes = 16 });
        using var done = new CancellationTokenSource();
        var readerErrors = new List<string>();
        var reader = new Thread(() =>
        {
            while (!done.IsCancellationRequested)
            {
                foreach (var sc in head.Select([new LabelMatcher(MatchType.Regex, "job", "w.*")], long.MinValue, long.MaxValue))
                {
                    // Whatever a reader sees must be a prefix of the series: 0, 1000, 2000, ... with value t.
                    var it = sc.Iterator();
                    long next = 0;
                    while (it.MoveNext())
                    {
                        if (it.Timestamp != next || it.Value != next)
                        {
                            lock (readerErrors) readerErrors.Add($"{sc.Labels}: {it.Timestamp}={it.Value}, expected {next}");
                            break;
                        }
                        next += 1000;
                    }
                    if (it.Failed) lock (readerErrors) readerErrors.Add($"{sc.Labels}: iterator failed");
                }
            }
        });
        reader.Start();

        RunThreads(writers, k =>
        {
            var mine = new MemSeries[seriesPerWriter];
            for (int j = 0; j < seriesPerWriter; j++)
            {
                // Every writer also races to create a shared set of series.
                head.GetOrCreate(L(("__name__", "shared"), ("n", j.ToString(System.Globalization.CultureInfo.InvariantCulture))), out _);
                mine[j] = head.GetOrCreate(L(("__name__", "m"), ("job", $"w{k}"), ("n", j.ToString(System.Globalization.CultureInfo.InvariantCulture))), out bool created);
                Assert.True(created);
            }
            for (int i = 0; i < samples; i++)
            {
                foreach (var s in mine) Assert.Equal(AppendResult.Appended, head.Append(s, i * 1000L, i * 1000.0));
            }
        });
        done.Cancel();
        reader.Join();

        Assert.Empty(readerErrors);
        Assert.Equal(writers * seriesPerWriter + seriesPerWriter, head.NumSeries);
        Assert.Equal(writers * seriesPerWriter + seriesPerWriter, head.SeriesCreated);
        Assert.Equal(writers * seriesPerWriter * samples, head.SamplesAppended);
        // Series without samples are in the index but not in Select results.
        Assert.Empty(head.Select([new LabelMatcher(MatchType.Equal, "__name__", "shared")], long.MinValue, long.MaxValue));
        Assert.Equal(seriesPerWriter, head.Index.Select([new LabelMatcher(MatchType.Equal, "__name__", "shared")]).Length);

        var all = head.Select([new LabelMatcher(MatchType.Equal, "__name__", "m")], long.MinValue, long.MaxValue);
        Assert.Equal(writers * seriesPerWriter, all.Count);
        for (int i = 1; i < all.Count; i++) Assert.True(all[i - 1].Labels.CompareTo(all[i].Labels) < 0);
        foreach (var sc in all)
        {
            var read = Read(sc.Iterator());
            Assert.Equal(samples, read.Count);
            Assert.Equal((samples - 1) * 1000L, read[^1].Item1);
        }
        AssertChunksWellFormed(head);
    }

    // ------------------------------------------------------------------ helpers

    private static ulong Bits(double v) => BitConverter.DoubleToUInt64Bits(v);

    private static long FloorDiv(long a, long b) => a / b - ((a % b != 0 && a < 0) ? 1 : 0);

    private static long[] Steps(long start, long step, int n)
    {
        var r = new long[n];
        for (int i = 0; i < n; i++) r[i] = start + i * step;
        return r;
    }

    private static long[] Concat(long[] a, long[] b) => [.. a, .. b];

    private static List<(long, ulong)> Read(SeriesIterator it)
    {
        var r = new List<(long, ulong)>();
        while (it.MoveNext()) r.Add((it.Timestamp, it.ValueBits));
        Assert.False(it.Failed);
        return r;
    }

    private static List<(long, ulong)> ReadAll(HeadStore head, LabelSet labels)
    {
        var matchers = new List<LabelMatcher>();
        foreach (var l in labels.AsSpan()) matchers.Add(new LabelMatcher(MatchType.Equal, l.Name, l.Value));
        var r = head.Select(matchers, long.MinValue, long.MaxValue);
        if (r.Count == 0) return [];
        return Read(Assert.Single(r).Iterator());
    }

    private static void AssertChunksWellFormed(HeadStore head)
    {
        foreach (var sc in head.Select([], long.MinValue, long.MaxValue))
        {
            for (int i = 0; i < sc.Chunks.Length; i++)
            {
                var c = sc.Chunks[i];
                Assert.InRange(c.Count, 1, head.Options.SamplesPerChunk);
                if (i > 0) Assert.True(sc.Chunks[i - 1].MaxTime < c.MinTime);
                var it = new XorIterator(c);
                int n = 0;
                while (it.MoveNext()) n++;
                Assert.Equal(c.Count, n);
            }
        }
    }

    private static void RunThreads(int count, Action<int> body)
    {
        var errors = new List<Exception>();
        var threads = new Thread[count];
        using var start = new Barrier(count);
        for (int k = 0; k < count; k++)
        {
            int id = k;
            threads[k] = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    body(id);
                }
                catch (Exception e)
                {
                    lock (errors) errors.Add(e);
                }
            });
            threads[k].Start();
        }
        foreach (var t in threads) t.Join();
        if (errors.Count > 0) throw new AggregateException(errors);
    }

    private static (byte[] Buffer, Utf8Label[] Labels) Utf8(params (string Name, string Value)[] pairs)
    {
        var buf = new List<byte>();
        var labels = new Utf8Label[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            byte[] n = Encoding.UTF8.GetBytes(pairs[i].Name), v = Encoding.UTF8.GetBytes(pairs[i].Value);
            labels[i] = new Utf8Label(buf.Count, n.Length, buf.Count + n.Length, v.Length);
            buf.AddRange(n);
            buf.AddRange(v);
        }
        return ([.. buf], labels);
    }
}
