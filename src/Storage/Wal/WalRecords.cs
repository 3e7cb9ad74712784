using System.Buffers;
using System.Buffers.Binary;
using Strata.Storage.Labels;

namespace Strata.Storage.Wal;

/// <summary>
/// Receives the decoded contents of a WAL entry. Implemented by structs and passed by reference so
/// that <see cref="WalRecords.Decode{THandler}"/> is specialised per handler and the per-sample call
/// is direct.
/// </summary>
public interface IWalRecordHandler
{
    /// <summary>A series definition; label bytes are ranges of <paramref name="buffer"/>, valid only during the call.</summary>
    void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels);

    void OnSample(int seriesRef, long timestamp, double value);

    /// <summary>A record of a type this decoder does not interpret (reserved or newer types), skipped by length.</summary>
    void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload);
}

/// <summary>
/// Decoding of WAL entries (FORMAT.md); <see cref="EntryBuilder"/> encodes them. Every failure to
/// decode, including truncation and bit flips, is reported as <see cref="WalDecodeStatus.Corrupt"/>
/// with the offset in the entry; nothing here throws on bad input.
/// </summary>
public static class WalRecords
{
    /// <summary>Current entry format version (byte 0 of an entry).</summary>
    public const byte Version = 1;

    /// <summary>version u8, 3 reserved bytes, records length u32, CRC-32C u32.</summary>
    public const int HeaderSize = 12;

    /// <summary>type u8, payload length u32.</summary>
    public const int RecordHeaderSize = 5;

    // A sample is at least ref (1) + delta (1) + value (8); a series at least ref (1) + count (1).
    private const int MinSampleBytes = 10;
    private const int MinSeriesBytes = 2;
    private const int MinLabelBytes = 2;

    /// <summary>
    /// Checks the header and CRC and returns the records section. Call before trusting any record:
    /// the record readers check structure, not integrity.
    /// </summary>
    public static WalDecodeResult Verify(ReadOnlySpan<byte> entry, out ReadOnlySpan<byte> records)
    {
        records = default;
        if (entry.Length < HeaderSize) return WalDecodeResult.Corrupt(0, "entry shorter than its header");
        if (entry[0] != Version) return WalDecodeResult.Corrupt(0, "unknown entry version");
        if (entry[1] != 0 || entry[2] != 0 || entry[3] != 0) return WalDecodeResult.Corrupt(1, "reserved header bytes are not zero");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
        if (length != (uint)(entry.Length - HeaderSize)) return WalDecodeResult.Corrupt(4, "entry length does not match its header");
        uint expected = BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
        var body = entry[HeaderSize..];
        if (Crc32C.Compute(body, Crc32C.Compute(entry[..8])) != expected) return WalDecodeResult.Corrupt(8, "entry checksum mismatch");
        records = body;
        return WalDecodeResult.Ok;
    }

    /// <summary>
    /// Verifies and decodes an entry, calling <paramref name="handler"/> for each series, sample and
    /// other record in order. On corruption, returns it with the offset in the entry; the handler may
    /// have seen the records before that point only if the CRC matched (a writer bug or a format
    /// mismatch, not a torn write).
    /// </summary>
    public static WalDecodeResult Decode<THandler>(ReadOnlySpan<byte> entry, ref THandler handler)
        where THandler : struct, IWalRecordHandler
    {
        var verified = Verify(entry, out var records);
        if (!verified.IsOk) return verified;
        return DecodeRecords(records, HeaderSize, ref handler);
    }

    /// <summary>
    /// Decodes a records section without checking a CRC (the caller has, or is fuzzing the structure).
    /// <paramref name="baseOffset"/> is added to reported offsets.
    /// </summary>
    public static WalDecodeResult DecodeRecords<THandler>(ReadOnlySpan<byte> records, int baseOffset, ref THandler handler)
        where THandler : struct, IWalRecordHandler
    {
        var r = new SpanReader(records);
        Utf8Label[]? rented = null;
        Span<Utf8Label> labels = stackalloc Utf8Label[32];
        try
        {
            while (r.Remaining > 0)
            {
                int recordOffset = r.Position;
                var type = (WalRecordType)r.ReadByte();
                int length = (int)Math.Min(r.ReadUInt32(), int.MaxValue);
                var payload = r.ReadBytes(length);
                if (r.Failed) return WalDecodeResult.Corrupt(baseOffset + recordOffset, "record extends past the end of the entry");
                int payloadOffset = baseOffset + recordOffset + RecordHeaderSize;
                WalDecodeResult res;
                switch (type)
                {
                    case WalRecordType.Invalid:
                        return WalDecodeResult.Corrupt(baseOffset + recordOffset, "record type 0");
                    case WalRecordType.Series:
                        res = DecodeSeries(payload, payloadOffset, ref handler, ref labels, ref rented);
                        break;
                    case WalRecordType.Samples:
                        res = DecodeSamples(payload, payloadOffset, ref handler);
                        break;
                    default:
                        handler.OnOtherRecord(type, payload);
                        res = WalDecodeResult.Ok;
                        break;
                }
                if (!res.IsOk) return res;
            }
            return WalDecodeResult.Ok;
        }
        finally
        {
            if (rented != null) ArrayPool<Utf8Label>.Shared.Return(rented);
        }
    }

    private static WalDecodeResult DecodeSamples<THandler>(ReadOnlySpan<byte> payload, int baseOffset, ref THandler handler)
        where THandler : struct, IWalRecordHandler
    {
        var r = new SpanReader(payload);
        uint count = r.ReadUInt32();
        if (r.Failed || count > (uint)(r.Remaining / MinSampleBytes)) return WalDecodeResult.Corrupt(baseOffset, "sample count exceeds record length");
        long t = 0;
        for (uint i = 0; i < count; i++)
        {
            ulong sref = r.ReadUvarint();
            long delta = r.ReadVarint();
            ulong bits = r.ReadUInt64();
            if (r.Failed) return WalDecodeResult.Corrupt(baseOffset + r.ErrorOffset, "truncated sample");
            if (sref > int.MaxValue) return WalDecodeResult.Corrupt(baseOffset + r.Position, "series ref out of range");
            t = unchecked(t + delta);
            handler.OnSample((int)sref, t, BitConverter.UInt64BitsToDouble(bits));
        }
        if (r.Remaining != 0) return WalDecodeResult.Corrupt(baseOffset + r.Position, "trailing bytes after samples");
        return WalDecodeResult.Ok;
    }

    private static WalDecodeResult DecodeSeries<THandler>(ReadOnlySpan<byte> payload, int baseOffset, ref THandler handler,
        ref Span<Utf8Label> labels, ref Utf8Label[]? rented)
        where THandler : struct, IWalRecordHandler
    {
        var r = new SpanReader(payload);
        uint count = r.ReadUInt32();
        if (r.Failed || count > (uint)(r.Remaining / MinSeriesBytes)) return WalDecodeResult.Corrupt(baseOffset, "series count exceeds record length");
        for (uint i = 0; i < count; i++)
        {
            int start = r.Position;
            ulong sref = r.ReadUvarint();
            int n = r.ReadUvarintInt(r.Remaining / MinLabelBytes, "label count exceeds record length");
            if (r.Failed) return WalDecodeResult.Corrupt(baseOffset + r.ErrorOffset, r.Error!);
            if (sref > int.MaxValue) return WalDecodeResult.Corrupt(baseOffset + start, "series ref out of range");
            if (n > labels.Length)
            {
                if (rented != null) ArrayPool<Utf8Label>.Shared.Return(rented);
                rented = ArrayPool<Utf8Label>.Shared.Rent(n);
                labels = rented;
            }
            for (int j = 0; j < n; j++)
            {
                int nameLen = r.ReadUvarintInt(int.MaxValue, "label name length out of range");
                int nameStart = r.Skip(nameLen);
                int valueLen = r.ReadUvarintInt(int.MaxValue, "label value length out of range");
                int valueStart = r.Skip(valueLen);
                if (r.Failed) return WalDecodeResult.Corrupt(baseOffset + r.ErrorOffset, "truncated label");
                labels[j] = new Utf8Label(nameStart, nameLen, valueStart, valueLen);
            }
            handler.OnSeries((int)sref, payload, labels[..n]);
        }
        if (r.Remaining != 0) return WalDecodeResult.Corrupt(baseOffset + r.Position, "trailing bytes after series");
        return WalDecodeResult.Ok;
    }
}
