using System.Buffers;
using System.Text;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Storage.Tests.Logs;

/// <summary>The block codecs on their own: payload round trips, every truncation, the filter, and frozen persisted values.</summary>
public sealed class LogFormatTests
{
    private static HeadChunk Chunk(params (long Ts, string Line, (string, string)[] Meta)[] entries)
    {
        var h = new HeadChunk();
        foreach (var (ts, line, meta) in entries)
        {
            var labels = Array.ConvertAll(meta, m => new Label(m.Item1, m.Item2));
            var m = new byte[LogMetadata.Size(labels)];
            if (m.Length > 0) LogMetadata.Write(labels, m);
            h.Append(ts, Encoding.UTF8.GetBytes(line), m);
        }
        return h;
    }

    private static byte[] Encode(HeadChunk h, byte[]? filter = null)
    {
        var buf = new byte[BlockPayload.MaxLength(h.Count, h.DataLength, h.HasMetadata)];
        int n = BlockPayload.Encode(h.Data, h.Entries, h.Sorted, h.HasMetadata, buf, filter, out _, out _);
        return buf.AsSpan(0, n).ToArray();
    }

    private static DecodedBlock? Parse(ReadOnlySpan<byte> payload)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(rented);
        return DecodedBlock.TryParse(rented, payload.Length, 0);
    }

    private static HeadChunk Sample() => Chunk(
        (30, "third", []),
        (10, "first", [("trace_id", "abc"), ("user", "ü")]),
        (20, "", []),
        (10, "first again, same time", [("trace_id", "abc")]));

    [Fact]
    public void PayloadRoundTripsSortedStablyWithMetadata()
    {
        using var b = Parse(Encode(Sample()))!;
        Assert.Equal(4, b.Count);
        var got = Enumerable.Range(0, b.Count).Select(i => (b.Timestamp(i), Encoding.UTF8.GetString(b.Line(i)))).ToList();
        Assert.Equal([(10L, "first"), (10L, "first again, same time"), (20L, ""), (30L, "third")], got);
        var scratch = Array.Empty<Label>();
        Assert.Equal(2, b.Metadata(0, ref scratch));
        Assert.Equal([new Label("trace_id", "abc"), new Label("user", "ü")], scratch.Take(2));
        Assert.Equal(1, b.Metadata(1, ref scratch));
        Assert.Equal(0, b.Metadata(2, ref scratch));
        Assert.Equal(2, b.LowerBound(11));
        Assert.Equal(4, b.LowerBound(31));
    }

    [Fact]
    public void EveryTruncationOfAPayloadIsRejectedWithoutThrowing()
    {
        var payload = Encode(Sample());
        for (int n = 0; n < payload.Length; n++)
        {
            using var b = Parse(payload.AsSpan(0, n));
            Assert.True(b == null, $"truncated to {n} of {payload.Length} bytes parsed");
        }
        var rnd = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            var damaged = (byte[])payload.Clone();
            damaged[rnd.Next(damaged.Length)] ^= (byte)(1 << rnd.Next(8));
            Parse(damaged)?.Dispose(); // may parse (a flipped line byte is still a valid payload); must not throw
        }
    }

    [Fact]
    public void EveryTruncationOfABlockRecordHeaderIsRejected()
    {
        var labels = LabelSet.From(("app", "a"), ("pod", "p"));
        var labelBytes = new byte[BlockRecord.LabelsSize(labels)];
        BlockRecord.WriteLabels(labels, labelBytes);
        var h = new BlockHeader(LogBlockCodec.None, 7, 3, 10, 30, 4096, 4, 50, 40, 38, labelBytes.Length, 64, 50, 1, 2);
        var record = new byte[h.RecordLength];
        labelBytes.CopyTo(record, BlockRecord.HeaderSize);
        BlockRecord.WriteHeader(h, labelBytes, record);
        Assert.Equal(h, BlockRecord.TryParse(record, out var lb, out _));
        Assert.Equal(labels, BlockRecord.ReadLabels(lb, (n, v) => new Label(n, v)));
        for (int n = 0; n < record.Length; n++) Assert.Null(BlockRecord.TryParse(record.AsSpan(0, n), out _, out _));
        for (int i = 0; i < BlockRecord.HeaderSize + labelBytes.Length; i++)
        {
            var damaged = (byte[])record.Clone();
            damaged[i] ^= 0x10;
            Assert.Null(BlockRecord.TryParse(damaged, out _, out _));
        }
    }

    [Fact]
    public void FilterHasNoFalseNegativesAndStaysAtMostHalfFull()
    {
        var rnd = new Random(11);
        for (int round = 0; round < 20; round++)
        {
            var lines = new List<byte[]>();
            int count = rnd.Next(1, 3000);
            for (int i = 0; i < count; i++)
            {
                var l = new byte[rnd.Next(0, 300)];
                for (int j = 0; j < l.Length; j++) l[j] = (byte)rnd.Next(32, 127);
                lines.Add(l);
            }
            var words = NgramFilter.Rent();
            foreach (var l in lines) NgramFilter.AddLine(words, l);
            var filter = new byte[NgramFilter.MaxBytes];
            int len = NgramFilter.Finish(words, filter);
            NgramFilter.Return(words);
            Assert.True(len >= NgramFilter.MinBytes && len <= NgramFilter.MaxBytes && (len & (len - 1)) == 0, $"size {len}");
            long ones = 0;
            foreach (byte b in filter.AsSpan(0, len)) ones += System.Numerics.BitOperations.PopCount(b);
            Assert.True(len == NgramFilter.MaxBytes || ones * 2 <= len * 8L, $"fill {ones} of {len * 8}");
            foreach (var l in lines.Take(100))
            {
                if (l.Length == 0) continue;
                int a = rnd.Next(l.Length), b = rnd.Next(a, l.Length + 1);
                Assert.True(NgramFilter.MayContain(filter.AsSpan(0, len), l.AsSpan(a, b - a)));
            }
        }
        Assert.True(NgramFilter.MayContain(new byte[64], "abc"u8)); // shorter than a gram: no proof
        Assert.False(NgramFilter.MayContain(new byte[64], "abcd"u8)); // empty block: proof
    }

    [Fact]
    public void CodecsRoundTripAndRejectGarbage()
    {
        var payload = Encode(Sample());
        foreach (var codec in new[] { LogBlockCodec.None, LogBlockCodec.Deflate, LogBlockCodec.Brotli })
        {
            var dst = new byte[BlockCompression.MaxCompressedLength(payload.Length)];
            int n = BlockCompression.Compress(codec, codec == LogBlockCodec.Brotli ? 5 : 5, payload, dst, 0);
            var back = new byte[payload.Length];
            Assert.True(BlockCompression.TryDecompress(codec, dst, 0, n, back), codec.ToString());
            Assert.Equal(payload, back);
            Assert.False(BlockCompression.TryDecompress(codec, dst, 0, n, new byte[payload.Length + 1]), codec + " longer");
            if (codec != LogBlockCodec.None) Assert.False(BlockCompression.TryDecompress(codec, new byte[n], 0, n, back), codec + " garbage");
        }
    }

    /// <summary>Persisted values: a change here is a format change (new block tag, FORMAT.md).</summary>
    [Fact]
    public void PersistedValuesAreStable()
    {
        Assert.Equal(0, (byte)LogBlockCodec.None);
        Assert.Equal(1, (byte)LogBlockCodec.Deflate);
        Assert.Equal(2, (byte)LogBlockCodec.Brotli);
        Assert.Equal(3, Enum.GetValues<LogBlockCodec>().Length);
        Assert.Equal(0xB1, BlockRecord.Tag);
        Assert.Equal(80, BlockRecord.HeaderSize);
        Assert.Equal(33, BlockRecord.OffsetInLogEntry);
        Assert.Equal(1, LogWalBatch.ItemStreamDef);
        Assert.Equal(2, LogWalBatch.ItemEntries);
        Assert.Equal(1, BlockPayload.FlagMetadata);
    }

    /// <summary>The bytes of a small payload, frozen (FORMAT.md, "Payload").</summary>
    [Fact]
    public void FrozenPayloadBytes()
    {
        var hex = Convert.ToHexString(Encode(Sample()));
        Assert.Equal(FrozenPayload, hex);
    }

    // flags 01, count 4, minTs 10, dts 0 0 10 10, lengths 5 22 0 5, 4 symbols, pairs per entry, lines.
    private const string FrozenPayload =
        "01041400000A0A05160005040874726163655F696403616263047573657202C3BC020001020301000100006669727374666972737420616761696E2C2073616D652074696D657468697264";
}
