using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Strata.Storage.Labels;

namespace Strata.Storage.Wal;

/// <summary>
/// Builds one WAL entry (one accepted write batch) in the layout of FORMAT.md: consecutive
/// <see cref="AddSeries(int, LabelSet)"/> calls share one Series record and consecutive
/// <see cref="AddSample"/> calls share one Samples record, whose count and length are patched in
/// when the record is closed. <see cref="Finish"/> writes the header and CRC and returns the bytes.
/// </summary>
/// <remarks>
/// Contract: not thread-safe; meant to be reused (one per ingest thread, <see cref="Reset"/> per
/// batch). The builder owns a growable array rather than a pooled one because it lives as long as
/// its thread; after warm-up, adding samples allocates nothing. It does not write into a caller's
/// <see cref="IBufferWriter{T}"/> directly because closing a record patches its count and length
/// in place, which that interface cannot do; <see cref="CopyTo"/> copies the finished entry into one.
/// The span returned by <see cref="Finish"/> is valid until the next call on the builder.
/// </remarks>
public sealed class EntryBuilder
{
    private const int MaxSampleBytes = 5 + 10 + 8;

    private byte[] _buf;
    private int _len;
    private int _recordStart = -1;      // offset of the open record's type byte, or -1
    private WalRecordType _recordType;
    private uint _recordCount;
    private long _prevT;

    public EntryBuilder(int initialCapacity = 16 * 1024)
    {
        _buf = new byte[Math.Max(initialCapacity, WalRecords.HeaderSize + 64)];
        _len = WalRecords.HeaderSize;
    }

    /// <summary>True once a record has been added since the last <see cref="Reset"/>.</summary>
    public bool HasRecords => _len > WalRecords.HeaderSize;

    /// <summary>Bytes of the entry so far, header included.</summary>
    public int Length => _len;

    /// <summary>Samples added since the last <see cref="Reset"/> (for metrics).</summary>
    public int SampleCount { get; private set; }

    public void Reset()
    {
        _len = WalRecords.HeaderSize;
        _recordStart = -1;
        _recordCount = 0;
        SampleCount = 0;
    }

    /// <summary>Adds a series definition with labels given as strings.</summary>
    public void AddSeries(int seriesRef, LabelSet labels)
    {
        BeginRecord(WalRecordType.Series);
        var pairs = labels.AsSpan();
        Ensure(5 + 5);
        _len += PutUvarint((uint)seriesRef);
        _len += PutUvarint((uint)pairs.Length);
        foreach (ref readonly var l in pairs)
        {
            PutString(l.Name);
            PutString(l.Value);
        }
        _recordCount++;
    }

    /// <summary>Adds a series definition with labels given as UTF-8 ranges of <paramref name="buffer"/> (the ingest path).</summary>
    public void AddSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
    {
        BeginRecord(WalRecordType.Series);
        Ensure(5 + 5);
        _len += PutUvarint((uint)seriesRef);
        _len += PutUvarint((uint)labels.Length);
        foreach (ref readonly var l in labels)
        {
            PutBytes(l.Name(buffer));
            PutBytes(l.Value(buffer));
        }
        _recordCount++;
    }

    /// <summary>Adds one float sample. The value's bits are stored as they are (stale markers stay stale).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddSample(int seriesRef, long t, double v)
    {
        if (_recordType != WalRecordType.Samples || _recordStart < 0) BeginRecord(WalRecordType.Samples);
        if (_buf.Length - _len < MaxSampleBytes) Grow(MaxSampleBytes);
        _len += PutUvarint((uint)seriesRef);
        long delta = unchecked(t - _prevT);
        _len += PutUvarint((ulong)((delta << 1) ^ (delta >> 63)));
        BinaryPrimitives.WriteUInt64LittleEndian(_buf.AsSpan(_len), BitConverter.DoubleToUInt64Bits(v));
        _len += 8;
        _prevT = t;
        _recordCount++;
        SampleCount++;
    }

    /// <summary>
    /// Appends a whole record of any type with an opaque payload (for record types this builder has no
    /// helper for yet, and for tests of forward compatibility).
    /// </summary>
    public void AddRecord(WalRecordType type, ReadOnlySpan<byte> payload)
    {
        if (type == WalRecordType.Invalid) throw new ArgumentOutOfRangeException(nameof(type));
        CloseRecord();
        Ensure(WalRecords.RecordHeaderSize + payload.Length);
        _buf[_len] = (byte)type;
        BinaryPrimitives.WriteUInt32LittleEndian(_buf.AsSpan(_len + 1), (uint)payload.Length);
        payload.CopyTo(_buf.AsSpan(_len + WalRecords.RecordHeaderSize));
        _len += WalRecords.RecordHeaderSize + payload.Length;
    }

    /// <summary>
    /// Closes the open record, writes the entry header (version, length, CRC-32C) and returns the
    /// entry. More records may be added afterwards; call <see cref="Finish"/> again to get the longer entry.
    /// </summary>
    public ReadOnlySpan<byte> Finish()
    {
        CloseRecord();
        var header = _buf.AsSpan(0, WalRecords.HeaderSize);
        header[0] = WalRecords.Version;
        header[1] = 0;
        header[2] = 0;
        header[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(_len - WalRecords.HeaderSize));
        uint crc = Crc32C.Compute(_buf.AsSpan(WalRecords.HeaderSize, _len - WalRecords.HeaderSize), Crc32C.Compute(header[..8]));
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], crc);
        return _buf.AsSpan(0, _len);
    }

    /// <summary>Finishes the entry and copies it into <paramref name="destination"/>.</summary>
    public void CopyTo(IBufferWriter<byte> destination) => destination.Write(Finish());

    private void BeginRecord(WalRecordType type)
    {
        if (_recordStart >= 0 && _recordType == type) return;
        CloseRecord();
        // Type, length and count are written when the record is closed.
        Ensure(WalRecords.RecordHeaderSize + 4);
        _recordStart = _len;
        _recordType = type;
        _recordCount = 0;
        _prevT = 0;
        _len += WalRecords.RecordHeaderSize + 4;
    }

    private void CloseRecord()
    {
        if (_recordStart < 0) return;
        var rec = _buf.AsSpan(_recordStart);
        rec[0] = (byte)_recordType;
        BinaryPrimitives.WriteUInt32LittleEndian(rec[1..], (uint)(_len - _recordStart - WalRecords.RecordHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(rec[WalRecords.RecordHeaderSize..], _recordCount);
        _recordStart = -1;
        _recordType = WalRecordType.Invalid;
    }

    private void PutString(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        Ensure(5 + n);
        _len += PutUvarint((uint)n);
        _len += Encoding.UTF8.GetBytes(s, _buf.AsSpan(_len));
    }

    private void PutBytes(ReadOnlySpan<byte> s)
    {
        Ensure(5 + s.Length);
        _len += PutUvarint((uint)s.Length);
        s.CopyTo(_buf.AsSpan(_len));
        _len += s.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PutUvarint(ulong x)
    {
        var b = _buf;
        int i = _len;
        while (x >= 0x80)
        {
            b[i++] = (byte)(x | 0x80);
            x >>= 7;
        }
        b[i++] = (byte)x;
        return i - _len;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int extra)
    {
        if (_buf.Length - _len < extra) Grow(extra);
    }

    private void Grow(int extra)
    {
        long size = Math.Max((long)_buf.Length * 2, (long)_len + extra);
        if (size > Array.MaxLength) throw new InvalidOperationException("WAL entry too large");
        Array.Resize(ref _buf, (int)size);
    }
}
