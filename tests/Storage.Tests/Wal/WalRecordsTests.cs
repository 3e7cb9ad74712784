using Strata.Storage.Labels;
using Strata.Storage.Wal;
using static Strata.Storage.Tests.Wal.WalEntries;

namespace Strata.Storage.Tests.Wal;

public class WalRecordsTests
{
    private const ulong StaleNaN = 0x7FF0000000000002;

    private static byte[] SampleEntry()
    {
        var b = new EntryBuilder(64);
        b.AddSeries(1, L(("__name__", "up"), ("job", "api"), ("instance", "10.0.0.1:9090")));
        b.AddSeries(2, L(("__name__", "http_requests_total"), ("path", "/ä/ünïcødé")));
        b.AddSample(1, 1_700_000_000_000, 1);
        b.AddSample(2, 1_700_000_000_000, 42.5);
        b.AddSample(1, 1_700_000_015_000, BitConverter.UInt64BitsToDouble(StaleNaN));
        b.AddSample(2, -5, -0.0);
        return b.Finish().ToArray();
    }

    [Fact]
    public void RecordTypesAreStable()
    {
        // Persisted values: renumbering breaks every existing WAL.
        Assert.Equal(0, (byte)WalRecordType.Invalid);
        Assert.Equal(1, (byte)WalRecordType.Series);
        Assert.Equal(2, (byte)WalRecordType.Samples);
        Assert.Equal(3, (byte)WalRecordType.Metadata);
        Assert.Equal(4, (byte)WalRecordType.Histograms);
        Assert.Equal(5, (byte)WalRecordType.Tombstones);
        Assert.Equal(6, (byte)WalRecordType.LogEntries);
        Assert.Equal(1, WalRecords.Version);
    }

    [Fact]
    public void FrozenVersion1Bytes()
    {
        // The exact bytes of a small version-1 entry (FORMAT.md). If this changes, the format changed:
        // bump the version and keep a decoder for the old one.
        var b = new EntryBuilder();
        b.AddSeries(7, L(("a", "b")));
        b.AddSample(7, 1000, 1.0);
        b.AddSample(7, 999, BitConverter.UInt64BitsToDouble(StaleNaN));
        string hex = Convert.ToHexString(b.Finish());
        Assert.Equal(
            "01000000" + "2D000000" + "EBE2A208" +
            "01" + "0A000000" + "01000000" + "07" + "01" + "0161" + "0162" +
            "02" + "19000000" + "02000000" +
            "07" + "D00F" + "000000000000F03F" +
            "07" + "01" + "020000000000F07F",
            hex);
        var d = DecodedEntry.Of(b.Finish(), out var r);
        Assert.True(r.IsOk);
        Assert.Equal([(7, 1000L, BitConverter.DoubleToUInt64Bits(1.0)), (7, 999L, StaleNaN)], d.Samples);
    }

    [Fact]
    public void RoundTripKeepsSeriesSamplesAndValueBits()
    {
        var d = DecodedEntry.Of(SampleEntry(), out var r);
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal([(1, "__name__=up,instance=10.0.0.1:9090,job=api"), (2, "__name__=http_requests_total,path=/ä/ünïcødé")], d.Series);
        Assert.Equal(
            [
                (1, 1_700_000_000_000L, BitConverter.DoubleToUInt64Bits(1)),
                (2, 1_700_000_000_000L, BitConverter.DoubleToUInt64Bits(42.5)),
                (1, 1_700_000_015_000L, StaleNaN),
                (2, -5L, BitConverter.DoubleToUInt64Bits(-0.0)),
            ],
            d.Samples);
    }

    public static readonly TheoryData<string, long[], ulong[]> SampleCases = new()
    {
        { "negative timestamps", [-1, -1000, -2, 0, 1], [1, 2, 3, 4, 5] },
        { "extreme timestamps", [long.MinValue, long.MaxValue, 0, long.MinValue, long.MaxValue], [0, 0, 0, 0, 0] },
        { "NaN payloads and infinities", [1, 2, 3, 4, 5], [StaleNaN, 0x7FF8000000000001, 0xFFF8000000000000, 0x7FF0000000000000, 0xFFF0000000000000] },
        { "signed zeros and subnormals", [10, 10, 10, 11], [0, 0x8000000000000000, 1, 0x800FFFFFFFFFFFFF] },
        { "max refs", [5, 6], [7, 8] },
    };

    [Theory]
    [MemberData(nameof(SampleCases))]
    public void SamplesRoundTrip(string name, long[] ts, ulong[] bits)
    {
        var b = new EntryBuilder();
        int sref = name == "max refs" ? int.MaxValue : 3;
        for (int i = 0; i < ts.Length; i++) b.AddSample(sref - i % 2, ts[i], BitConverter.UInt64BitsToDouble(bits[i]));
        var d = DecodedEntry.Of(b.Finish(), out var r);
        Assert.True(r.IsOk, $"{name}: {r}");
        Assert.Equal(ts.Length, d.Samples.Count);
        for (int i = 0; i < ts.Length; i++) Assert.Equal((sref - i % 2, ts[i], bits[i]), d.Samples[i]);
    }

    [Fact]
    public void InterleavedRecordsKeepOrderAndResetDeltas()
    {
        var b = new EntryBuilder();
        b.AddSample(1, 100, 1);
        b.AddSeries(9, L(("x", "y")));
        b.AddSample(9, 50, 2);     // a new Samples record: its delta base starts again at 0
        b.AddRecord(WalRecordType.Tombstones, [1, 2, 3]);
        b.AddSample(1, 200, 3);
        var d = DecodedEntry.Of(b.Finish(), out var r);
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal([(1, 100L, Bits(1)), (9, 50L, Bits(2)), (1, 200L, Bits(3))], d.Samples);
        Assert.Single(d.Series);
        Assert.Equal(WalRecordType.Tombstones, Assert.Single(d.Other).Type);
    }

    [Fact]
    public void UnknownRecordTypesAreSkippedByLength()
    {
        var b = new EntryBuilder();
        b.AddSample(1, 1, 1);
        b.AddRecord((WalRecordType)200, new byte[1000]);
        b.AddSample(2, 2, 2);
        var d = DecodedEntry.Of(b.Finish(), out var r);
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(2, d.Samples.Count);
        Assert.Equal((WalRecordType)200, Assert.Single(d.Other).Type);
    }

    [Fact]
    public void ResetReusesTheBuilderWithoutLeftovers()
    {
        var b = new EntryBuilder(16);
        for (int i = 0; i < 5000; i++) b.AddSample(i, i, i);
        Assert.True(b.HasRecords);
        b.Reset();
        Assert.False(b.HasRecords);
        b.AddSample(1, 2, 3);
        var d = DecodedEntry.Of(b.Finish(), out var r);
        Assert.True(r.IsOk);
        Assert.Equal([(1, 2L, Bits(3))], d.Samples);
        Assert.Equal(1, b.SampleCount);
    }

    [Fact]
    public void EmptyEntryIsValid()
    {
        var b = new EntryBuilder();
        var d = DecodedEntry.Of(b.Finish(), out var r);
        Assert.True(r.IsOk);
        Assert.Empty(d.Samples);
        Assert.Equal(WalRecords.HeaderSize, b.Finish().Length);
    }

    [Fact]
    public void AddingSamplesAllocatesNothingAfterWarmUp()
    {
        var b = new EntryBuilder(64 * 1024);
        for (int i = 0; i < 2000; i++) b.AddSample(i, i * 15_000L, i);
        b.Finish();
        b.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) b.AddSample(i, i * 15_000L, i);
        b.Finish();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void EveryTruncationIsCorrupt()
    {
        var entry = SampleEntry();
        for (int n = 0; n < entry.Length; n++)
        {
            var d = DecodedEntry.Of(entry.AsSpan(0, n), out var r);
            Assert.False(r.IsOk, $"prefix of {n} bytes decoded as ok");
            Assert.Empty(d.Samples);
        }
    }

    [Fact]
    public void EveryBitFlipIsCorrupt()
    {
        var entry = SampleEntry();
        for (int i = 0; i < entry.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                var copy = (byte[])entry.Clone();
                copy[i] ^= (byte)(1 << bit);
                var r = WalRecords.Verify(copy, out _);
                Assert.False(r.IsOk, $"flip of bit {bit} in byte {i} went unnoticed");
            }
        }
    }

    [Fact]
    public void RandomGarbageIsCorruptNeverAnException()
    {
        var rnd = new Random(42);
        var entry = SampleEntry();
        for (int iter = 0; iter < 20_000; iter++)
        {
            var copy = (byte[])entry.Clone();
            int flips = 1 + rnd.Next(8);
            for (int k = 0; k < flips; k++) copy[rnd.Next(copy.Length)] = (byte)rnd.Next(256);
            if (copy.AsSpan().SequenceEqual(entry)) continue;
            var r = WalRecords.Verify(copy, out _);
            Assert.False(r.IsOk);
        }
    }

    [Fact]
    public void StructuralFuzzWithoutCrcNeverThrows()
    {
        // With the CRC out of the way, the record decoder itself must reject anything malformed as a
        // value: mutate the records section of real entries and random bytes, decode, and check that
        // the result is either Ok or Corrupt with an offset inside the input.
        var rnd = new Random(1234);
        var records = SampleEntry().AsSpan(WalRecords.HeaderSize).ToArray();
        var h = new CountingHandler();
        for (int iter = 0; iter < 50_000; iter++)
        {
            byte[] input;
            if (iter % 3 == 0)
            {
                input = new byte[rnd.Next(64)];
                rnd.NextBytes(input);
            }
            else
            {
                input = (byte[])records.Clone();
                for (int k = 1 + rnd.Next(4); k > 0; k--) input[rnd.Next(input.Length)] = (byte)rnd.Next(256);
                if (iter % 5 == 0) input = input.AsSpan(0, rnd.Next(input.Length)).ToArray();
            }
            var r = WalRecords.DecodeRecords(input, 0, ref h);
            if (!r.IsOk) Assert.InRange(r.Offset, 0, input.Length);
        }
    }

    [Fact]
    public void CorruptReportsTheOffsetOfTheBadRecord()
    {
        var b = new EntryBuilder();
        b.AddSample(1, 1, 1);
        var good = b.Finish().ToArray();
        var records = good.AsSpan(WalRecords.HeaderSize).ToArray();
        records[0] = 0; // record type 0
        var h = new CountingHandler();
        var r = WalRecords.DecodeRecords(records, WalRecords.HeaderSize, ref h);
        Assert.Equal(WalDecodeResult.Corrupt(WalRecords.HeaderSize, "record type 0"), r);
    }

    [Fact]
    public void RawUtf8SeriesMatchesStringSeries()
    {
        var labels = L(("__name__", "m"), ("k", "välue"));
        var fromStrings = new EntryBuilder();
        fromStrings.AddSeries(3, labels);
        byte[] buf = "__name__mkvälue"u8.ToArray();
        int vlen = "välue"u8.Length;
        var fromBytes = new EntryBuilder();
        fromBytes.AddSeries(3, buf, [new Utf8Label(0, 8, 8, 1), new Utf8Label(9, 1, 10, vlen)]);
        Assert.Equal(fromStrings.Finish().ToArray(), fromBytes.Finish().ToArray());
    }

    private static ulong Bits(double v) => BitConverter.DoubleToUInt64Bits(v);

    private struct CountingHandler : IWalRecordHandler
    {
        public long Count;
        public void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
        {
            foreach (var l in labels)
            {
                // Every range handed out must lie inside the buffer.
                Count += l.Name(buffer).Length + l.Value(buffer).Length;
            }
        }

        public void OnSample(int seriesRef, long timestamp, double value) => Count++;
        public void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload) => Count += payload.Length;
    }
}
