using Strata.Storage.Chunks;
using Strata.Storage.Labels;
using Strata.Storage.Wal;
using static Strata.Storage.Tests.Wal.WalEntries;

namespace Strata.Storage.Tests.Wal;

public class CheckpointTests
{
    private static List<(int Ref, LabelSet Labels, IReadOnlyList<ChunkSnapshot> Chunks)> MakeSeries(int count, int seed = 5)
    {
        var rnd = new Random(seed);
        var list = new List<(int, LabelSet, IReadOnlyList<ChunkSnapshot>)>();
        for (int s = 1; s <= count; s++)
        {
            var chunks = new List<ChunkSnapshot>();
            long t = -50_000 + rnd.Next(1000);
            for (int c = 0; c < s % 4; c++)
            {
                var x = new XorChunk();
                for (int i = 0; i < 1 + rnd.Next(130); i++)
                {
                    t += 15_000 + rnd.Next(-5, 5);
                    x.Append(t, i % 7 == 0 ? BitConverter.UInt64BitsToDouble(0x7FF0000000000002) : rnd.NextDouble() * 100);
                }
                // Alternate sealed copies and live snapshots that share the chunk's array.
                chunks.Add(c % 2 == 0 ? x.Seal() : x.Snapshot());
            }
            list.Add((s * 3, L(("__name__", "metric_" + (s % 10)), ("instance", "host-" + s), ("job", "ünï")), chunks));
        }
        return list;
    }

    private static void AssertRoundTrip(string path, long walAddress, List<(int Ref, LabelSet Labels, IReadOnlyList<ChunkSnapshot> Chunks)> series)
    {
        var open = CheckpointReader.TryOpen(path, out var reader);
        Assert.True(open.IsOk, open.ToString());
        using (reader)
        {
            Assert.Equal(walAddress, reader!.WalAddress);
            Assert.Equal(series.Count, reader.SeriesCountHint);
            long minT = series.SelectMany(s => s.Chunks).Select(c => c.MinTime).DefaultIfEmpty(long.MaxValue).Min();
            Assert.Equal(minT, reader.MinTime);
            int i = 0;
            while (reader.MoveNext())
            {
                var (sref, labels, chunks) = series[i++];
                Assert.Equal(sref, reader.SeriesRef);
                Assert.Equal(labels, reader.ToLabelSet());
                var got = reader.ToChunkSnapshots();
                Assert.Equal(chunks.Count, got.Length);
                for (int c = 0; c < got.Length; c++)
                {
                    Assert.Equal((chunks[c].MinTime, chunks[c].MaxTime, chunks[c].Count), (got[c].MinTime, got[c].MaxTime, got[c].Count));
                    var a = new XorIterator(chunks[c]);
                    var b = new XorIterator(got[c]);
                    while (a.MoveNext())
                    {
                        Assert.True(b.MoveNext());
                        Assert.Equal((a.Timestamp, a.ValueBits), (b.Timestamp, b.ValueBits));
                    }
                    Assert.False(b.MoveNext());
                    Assert.False(b.Failed);
                }
            }
            Assert.True(reader.Result.IsOk, reader.Result.ToString());
            Assert.Equal(series.Count, i);
        }
    }

    [Fact]
    public void RoundTrip()
    {
        using var dir = new TempDir("ckpt");
        var series = MakeSeries(500);
        string path = dir.Sub("checkpoint");
        var stats = CheckpointWriter.Write(path, 123_456, series);
        Assert.Equal(500, stats.Series);
        Assert.Equal(new FileInfo(path).Length, stats.Bytes);
        Assert.False(File.Exists(path + ".tmp"));
        AssertRoundTrip(path, 123_456, series);
    }

    [Fact]
    public void EmptyCheckpointRoundTrips()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.Sub("checkpoint");
        CheckpointWriter.Write(path, 64, []);
        AssertRoundTrip(path, 64, []);
    }

    [Fact]
    public void RewriteReplacesTheOldCheckpoint()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.Sub("checkpoint");
        CheckpointWriter.Write(path, 1, MakeSeries(50));
        File.WriteAllText(path + ".tmp", "left over from a crash");
        var second = MakeSeries(20, seed: 9);
        CheckpointWriter.Write(path, 2, second);
        AssertRoundTrip(path, 2, second);
    }

    [Fact]
    public void LiveHeadChunkSnapshotIsWrittenAsOfTheSnapshot()
    {
        // Appends after the snapshot rewrite the chunk's shared header count; the checkpoint must
        // hold the snapshot's count, not the later one.
        using var dir = new TempDir("ckpt");
        var x = new XorChunk();
        for (int i = 0; i < 10; i++) x.Append(i * 1000, i);
        var snap = x.Snapshot();
        for (int i = 10; i < 20; i++) x.Append(i * 1000, i);
        string path = dir.Sub("checkpoint");
        CheckpointWriter.Write(path, 1, [(1, L(("a", "b")), [snap])]);
        AssertRoundTrip(path, 1, [(1, L(("a", "b")), [snap])]);
    }

    [Fact]
    public void EveryTruncationIsCorruptNeverAnException()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.Sub("checkpoint");
        CheckpointWriter.Write(path, 7, MakeSeries(12));
        var bytes = File.ReadAllBytes(path);
        string cut = dir.Sub("cut");
        for (int n = 0; n < bytes.Length; n++)
        {
            File.WriteAllBytes(cut, bytes.AsSpan(0, n).ToArray());
            Assert.False(ReadAll(cut).IsOk, $"checkpoint cut to {n} of {bytes.Length} bytes read as ok");
        }
    }

    [Fact]
    public void EveryByteFlipIsCorrupt()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.Sub("checkpoint");
        CheckpointWriter.Write(path, 7, MakeSeries(6));
        var bytes = File.ReadAllBytes(path);
        string bad = dir.Sub("bad");
        for (int i = 0; i < bytes.Length; i++)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x10;
            File.WriteAllBytes(bad, copy);
            var r = ReadAll(bad);
            Assert.False(r.IsOk, $"flip at byte {i} of {bytes.Length} went unnoticed");
            Assert.InRange(r.Offset, 0, bytes.Length);
        }
    }

    [Fact]
    public void MissingOrReorderedSeriesRecordsAreCorrupt()
    {
        using var dir = new TempDir("ckpt");
        string a = dir.Sub("a"), b = dir.Sub("b");
        var series = MakeSeries(3);
        CheckpointWriter.Write(a, 1, series);
        CheckpointWriter.Write(b, 1, [series[1], series[0], series[2]]);
        // Swap the header of b into a valid but reordered file: each record is intact, only the chain catches it.
        var bytesA = File.ReadAllBytes(a);
        var bytesB = File.ReadAllBytes(b);
        Array.Copy(bytesB, 0, bytesA, 0, bytesA.Length - 20); // b's records with a's trailer
        File.WriteAllBytes(a, bytesA);
        var r = ReadAll(a);
        Assert.False(r.IsOk);
        Assert.Contains("chain", r.Reason);
    }

    [Fact]
    public void NotACheckpointIsCorrupt()
    {
        using var dir = new TempDir("ckpt");
        string path = dir.Sub("x");
        File.WriteAllBytes(path, new byte[100]);
        Assert.False(CheckpointReader.TryOpen(path, out var reader).IsOk);
        Assert.Null(reader);
    }

    private static WalDecodeResult ReadAll(string path)
    {
        var open = CheckpointReader.TryOpen(path, out var reader);
        if (!open.IsOk) return open;
        using (reader)
        {
            while (reader!.MoveNext())
            {
                _ = reader.ToLabelSet();
                _ = reader.ToChunkSnapshots();
            }
            return reader.Result;
        }
    }
}
