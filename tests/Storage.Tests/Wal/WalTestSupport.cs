using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Storage.Tests.Wal;

/// <summary>A fresh directory under the temp path, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string name = "wal")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "strata-" + name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test that abandoned a log on purpose may still hold a file open; the OS temp cleaner gets it.
        }
    }
}

/// <summary>Decoded contents of one entry, for comparing round trips.</summary>
internal sealed record DecodedEntry(List<(int Ref, string Labels)> Series, List<(int Ref, long T, ulong V)> Samples, List<(WalRecordType Type, byte[] Payload)> Other)
{
    public static DecodedEntry Of(ReadOnlySpan<byte> entry, out WalDecodeResult result)
    {
        var c = new Collector { Entry = new DecodedEntry([], [], []) };
        result = WalRecords.Decode(entry, ref c);
        return c.Entry;
    }

    public bool SameAs(DecodedEntry other) =>
        Series.SequenceEqual(other.Series) && Samples.SequenceEqual(other.Samples) &&
        Other.Count == other.Other.Count && Other.Zip(other.Other).All(p => p.First.Type == p.Second.Type && p.First.Payload.AsSpan().SequenceEqual(p.Second.Payload));

    private struct Collector : IWalRecordHandler
    {
        public DecodedEntry Entry;

        public readonly void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
        {
            var parts = new List<string>();
            foreach (var l in labels) parts.Add(Utf8Labels.Decode(l.Name(buffer)) + "=" + Utf8Labels.Decode(l.Value(buffer)));
            Entry.Series.Add((seriesRef, string.Join(",", parts)));
        }

        public readonly void OnSample(int seriesRef, long timestamp, double value) =>
            Entry.Samples.Add((seriesRef, timestamp, BitConverter.DoubleToUInt64Bits(value)));

        public readonly void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload) => Entry.Other.Add((type, payload.ToArray()));
    }
}

internal static class WalEntries
{
    /// <summary>An entry with one sample identifying (writer, n), padded with <paramref name="extraSamples"/> more.</summary>
    public static byte[] Make(int writer, long n, int extraSamples = 0)
    {
        var b = new EntryBuilder();
        b.AddSample(writer, n, n * 0.5);
        for (int i = 0; i < extraSamples; i++) b.AddSample(writer, n + i + 1, i);
        return b.Finish().ToArray();
    }

    /// <summary>(writer, n) of an entry made by <see cref="Make"/>.</summary>
    public static (int Writer, long N) Identify(ReadOnlySpan<byte> entry)
    {
        var d = DecodedEntry.Of(entry, out var r);
        Assert.True(r.IsOk, r.ToString());
        return (d.Samples[0].Ref, d.Samples[0].T);
    }

    public static List<(long Address, byte[] Entry)> ReplayAll(WriteAheadLog wal, long from, out WalReplayResult result)
    {
        var list = new List<(long, byte[])>();
        result = wal.Replay(from, (a, e) => list.Add((a, e.ToArray())));
        return list;
    }

    /// <summary>Small pages and segments so tests cross page and segment boundaries quickly.</summary>
    public static WalOptions SmallPages => new()
    {
        PageSizeBits = 12,
        MemorySizeBits = 14,
        SegmentSizeBits = 16,
        IdleCommitInterval = TimeSpan.FromMilliseconds(50),
    };

    public static LabelSet L(params (string, string)[] pairs) => LabelSet.From(pairs);
}
