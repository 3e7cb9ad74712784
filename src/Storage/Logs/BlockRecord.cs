using System.Buffers.Binary;
using Strata.Storage.Chunks;
using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

/// <summary>
/// The fixed part of a block record (FORMAT.md, "Block record"): everything the in-memory index
/// needs, so recovery parses headers only and never decompresses.
/// </summary>
internal readonly record struct BlockHeader(
    LogBlockCodec Codec, int StreamId, long Seq, long MinTs, long MaxTs, long WalEnd, int Count,
    int RawLength, int EntryBytes, int LineBytes, int LabelsLength, int FilterLength, int PayloadLength,
    uint FilterCrc, uint PayloadCrc)
{
    public int FilterOffset => BlockRecord.HeaderSize + LabelsLength;
    public int PayloadOffset => FilterOffset + FilterLength;
    public int RecordLength => PayloadOffset + PayloadLength;
}

/// <summary>Writes and parses block records (FORMAT.md). Persisted layout: a change needs a new <see cref="Tag"/>.</summary>
internal static class BlockRecord
{
    /// <summary>First byte: record kind and version (block, version 1).</summary>
    public const byte Tag = 0xB1;
    public const int HeaderSize = 80;
    public const byte GramSize = NgramFilter.GramSize;

    /// <summary>
    /// Where the record starts relative to its FasterLog address: FasterLog's 4-byte length, the WAL
    /// frame (12), the WAL entry header (12) and the record header (5). See FORMAT.md ("Locating a block").
    /// </summary>
    public const int OffsetInLogEntry = 4 + WriteAheadLog.FrameSize + WalRecords.HeaderSize + WalRecords.RecordHeaderSize;

    /// <summary>Bytes of a label set in record form: <c>n:uvarint | n × (len:uvarint name len:uvarint value)</c>.</summary>
    public static int LabelsSize(LabelSet labels)
    {
        int n = LogMetadata.UvarintSize((ulong)labels.Count);
        foreach (var l in labels.AsSpan())
        {
            int a = System.Text.Encoding.UTF8.GetByteCount(l.Name);
            int b = System.Text.Encoding.UTF8.GetByteCount(l.Value);
            n += LogMetadata.UvarintSize((ulong)a) + a + LogMetadata.UvarintSize((ulong)b) + b;
        }
        return n;
    }

    public static int WriteLabels(LabelSet labels, Span<byte> dst)
    {
        int pos = Varint.PutUvarint(dst, (ulong)labels.Count);
        foreach (var l in labels.AsSpan())
        {
            pos += PutString(l.Name, dst[pos..]);
            pos += PutString(l.Value, dst[pos..]);
        }
        return pos;
    }

    private static int PutString(string s, Span<byte> dst)
    {
        int len = System.Text.Encoding.UTF8.GetByteCount(s);
        int pos = Varint.PutUvarint(dst, (ulong)len);
        return pos + System.Text.Encoding.UTF8.GetBytes(s, dst[pos..]);
    }

    /// <summary>Parses labels written by <see cref="WriteLabels"/> (strings interned through <paramref name="intern"/>); null if malformed.</summary>
    public static LabelSet? ReadLabels(ReadOnlySpan<byte> src, Func<string, string, Label> intern)
    {
        var r = new SpanReader(src);
        ulong n = r.ReadUvarint();
        if (r.Failed || n > (ulong)src.Length) return null;
        var labels = new Label[(int)n];
        for (int i = 0; i < labels.Length; i++)
        {
            var name = r.ReadBytes((int)Math.Min(r.ReadUvarint(), int.MaxValue));
            var value = r.ReadBytes((int)Math.Min(r.ReadUvarint(), int.MaxValue));
            if (r.Failed) return null;
            labels[i] = intern(System.Text.Encoding.UTF8.GetString(name), System.Text.Encoding.UTF8.GetString(value));
        }
        return r.Failed || r.Remaining != 0 ? null : new LabelSet(labels);
    }

    /// <summary>Writes the header (with its CRC over the header and <paramref name="labels"/>) into <paramref name="dst"/>[0..80).</summary>
    public static void WriteHeader(in BlockHeader h, ReadOnlySpan<byte> labels, Span<byte> dst)
    {
        dst[0] = Tag;
        dst[1] = (byte)h.Codec;
        dst[2] = GramSize;
        dst[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(dst[4..], h.StreamId);
        BinaryPrimitives.WriteInt64LittleEndian(dst[8..], h.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(dst[16..], h.MinTs);
        BinaryPrimitives.WriteInt64LittleEndian(dst[24..], h.MaxTs);
        BinaryPrimitives.WriteInt64LittleEndian(dst[32..], h.WalEnd);
        BinaryPrimitives.WriteInt32LittleEndian(dst[40..], h.Count);
        BinaryPrimitives.WriteInt32LittleEndian(dst[44..], h.RawLength);
        BinaryPrimitives.WriteInt32LittleEndian(dst[48..], h.EntryBytes);
        BinaryPrimitives.WriteInt32LittleEndian(dst[52..], h.LineBytes);
        BinaryPrimitives.WriteInt32LittleEndian(dst[56..], h.LabelsLength);
        BinaryPrimitives.WriteInt32LittleEndian(dst[60..], h.FilterLength);
        BinaryPrimitives.WriteInt32LittleEndian(dst[64..], h.PayloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[68..], h.FilterCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[72..], h.PayloadCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[76..], Crc32C.Compute(labels, Crc32C.Compute(dst[..76])));
    }

    /// <summary>
    /// Parses and checks a record's header; <paramref name="labels"/> is the label section. Returns
    /// null and a reason for anything malformed. Filter and payload are checked when read.
    /// </summary>
    public static BlockHeader? TryParse(ReadOnlySpan<byte> record, out ReadOnlySpan<byte> labels, out string? reason)
    {
        labels = default;
        reason = null;
        if (record.Length < HeaderSize) return Fail("record shorter than its header", out reason);
        if (record[0] != Tag) return Fail("not a version-1 block record", out reason);
        if (record[2] != GramSize || record[3] != 0) return Fail("unknown filter or flags", out reason);
        var h = new BlockHeader(
            (LogBlockCodec)record[1],
            BinaryPrimitives.ReadInt32LittleEndian(record[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[32..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[40..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[44..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[48..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[52..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[56..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[60..]),
            BinaryPrimitives.ReadInt32LittleEndian(record[64..]),
            BinaryPrimitives.ReadUInt32LittleEndian(record[68..]),
            BinaryPrimitives.ReadUInt32LittleEndian(record[72..]));
        if (!Enum.IsDefined(h.Codec)) return Fail("unknown codec", out reason);
        if (h.LabelsLength < 0 || h.FilterLength < 0 || h.PayloadLength < 0 || h.RawLength < 0 || h.Count < 0 ||
            (long)HeaderSize + h.LabelsLength + h.FilterLength + h.PayloadLength != record.Length)
            return Fail("section lengths do not add up to the record", out reason);
        labels = record.Slice(HeaderSize, h.LabelsLength);
        if (Crc32C.Compute(labels, Crc32C.Compute(record[..76])) != BinaryPrimitives.ReadUInt32LittleEndian(record[76..]))
            return Fail("header checksum mismatch", out reason);
        return h;
    }

    private static BlockHeader? Fail(string why, out string? reason)
    {
        reason = why;
        return null;
    }
}
