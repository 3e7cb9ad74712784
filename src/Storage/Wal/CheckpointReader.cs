using System.Buffers.Binary;
using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Wal;

/// <summary>One chunk of the current series: its bounds and where its XOR bytes are in <see cref="CheckpointReader.ChunkData"/>.</summary>
public readonly record struct CheckpointChunk(long MinTime, long MaxTime, int Count, int DataOffset, int DataLength);

/// <summary>
/// Streams the series of a checkpoint file back, one at a time, through a 1 MiB read buffer:
/// <see cref="MoveNext"/>, then the current series' <see cref="SeriesRef"/>, <see cref="Labels"/>
/// and <see cref="Chunks"/> as spans over the buffer (valid until the next call), or the allocating
/// <see cref="ToLabelSet"/> and <see cref="ToChunkSnapshots"/>.
/// </summary>
/// <remarks>
/// Every series record is checked against its CRC before it is returned; the trailer (series
/// count and the chain of all record CRCs) is checked when <see cref="MoveNext"/> reaches it.
/// Corruption — including a file cut short — ends iteration with <see cref="Result"/> set to
/// <see cref="WalDecodeStatus.Corrupt"/> and the file offset; it never throws for bad data. Check
/// <see cref="Result"/> after <see cref="MoveNext"/> returns false: series returned before a
/// corruption are intact, but the checkpoint as a whole is not, and the caller should not use it.
/// Not thread-safe.
/// </remarks>
public sealed class CheckpointReader : IDisposable
{
    private const int BufferSize = 1 << 20;

    private readonly FileStream _file;
    private byte[] _buf = new byte[BufferSize];
    private int _pos;              // next unread byte in _buf
    private int _end;              // bytes valid in _buf
    private long _bufOffset;       // file offset of _buf[0]
    private bool _eof;
    private bool _done;
    private long _series;
    private uint _chain;
    private int _recordStart;
    private int _recordEnd;
    private Utf8Label[] _labels = new Utf8Label[32];
    private int _labelCount;
    private CheckpointChunk[] _chunks = new CheckpointChunk[8];
    private int _chunkCount;

    private CheckpointReader(FileStream file, long walAddress, long minTime, long seriesHint)
    {
        _file = file;
        WalAddress = walAddress;
        MinTime = minTime;
        SeriesCountHint = seriesHint;
    }

    /// <summary>
    /// Opens a checkpoint and checks its header. Returns <see cref="WalDecodeStatus.Corrupt"/> (and no
    /// reader) for a bad header; throws only for I/O errors such as a missing file.
    /// </summary>
    public static WalDecodeResult TryOpen(string path, out CheckpointReader? reader)
    {
        reader = null;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        try
        {
            Span<byte> h = stackalloc byte[CheckpointFormat.HeaderSize];
            int n = file.ReadAtLeast(h, h.Length, throwOnEndOfStream: false);
            if (n < h.Length) return Fail(file, 0, "file shorter than the checkpoint header");
            if (BinaryPrimitives.ReadUInt32LittleEndian(h) != CheckpointFormat.Magic) return Fail(file, 0, "not a checkpoint file (bad magic)");
            if (h[4] != CheckpointFormat.Version) return Fail(file, 4, "unsupported checkpoint version");
            if (Crc32C.Compute(h[..36]) != BinaryPrimitives.ReadUInt32LittleEndian(h[36..])) return Fail(file, 36, "checkpoint header checksum mismatch");
            reader = new CheckpointReader(file,
                BinaryPrimitives.ReadInt64LittleEndian(h[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(h[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(h[24..]))
            {
                _bufOffset = CheckpointFormat.HeaderSize,
            };
            return WalDecodeResult.Ok;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static WalDecodeResult Fail(FileStream file, long offset, string reason)
    {
        file.Dispose();
        return WalDecodeResult.Corrupt(offset, reason);
    }

    /// <summary>The WAL address the checkpoint covers: replay the WAL from here.</summary>
    public long WalAddress { get; }

    /// <summary>Smallest chunk start time in the checkpoint (<see cref="long.MaxValue"/> if it holds no chunks).</summary>
    public long MinTime { get; }

    /// <summary>Number of series the header announces (for pre-sizing; the trailer's count is authoritative).</summary>
    public long SeriesCountHint { get; }

    /// <summary>Ok while reading and after a clean end; Corrupt with the file offset otherwise. Sticky.</summary>
    public WalDecodeResult Result { get; private set; }

    public int SeriesRef { get; private set; }

    /// <summary>Label pairs of the current series as ranges of <see cref="LabelBuffer"/>.</summary>
    public ReadOnlySpan<Utf8Label> Labels => _labels.AsSpan(0, _labelCount);

    /// <summary>The current series record; <see cref="Labels"/> point into it.</summary>
    public ReadOnlySpan<byte> LabelBuffer => _buf.AsSpan(_recordStart, _recordEnd - _recordStart);

    public ReadOnlySpan<CheckpointChunk> Chunks => _chunks.AsSpan(0, _chunkCount);

    /// <summary>The current series record; <see cref="CheckpointChunk.DataOffset"/> indexes into it.</summary>
    public ReadOnlySpan<byte> ChunkData => LabelBuffer;

    /// <summary>Advances to the next series; false at the end (check <see cref="Result"/>).</summary>
    public bool MoveNext()
    {
        if (_done) return false;
        long recordOffset = _bufOffset + _pos;
        if (!Ensure(4)) return Corrupt(recordOffset, "checkpoint ends without a trailer (truncated)");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(_pos));
        if (length == CheckpointFormat.TrailerMarker) return ReadTrailer(recordOffset);
        if (length > CheckpointFormat.MaxRecordSize) return Corrupt(recordOffset, "series record length out of range");
        int total = 4 + (int)length + 4;
        if (!Ensure(total)) return Corrupt(recordOffset, "series record extends past the end of the file (truncated)");
        var rec = _buf.AsSpan(_pos, total);
        uint crc = Crc32C.Compute(rec[..^4]);
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(rec[^4..])) return Corrupt(recordOffset, "series record checksum mismatch");
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crcBytes, crc);
        _chain = Crc32C.Compute(crcBytes, _chain);

        _recordStart = _pos + 4;
        _recordEnd = _pos + 4 + (int)length;
        _pos += total;
        string? error = ParseRecord(out long errorAt);
        if (error != null) return Corrupt(recordOffset + 4 + errorAt, error);
        _series++;
        return true;
    }

    private string? ParseRecord(out long errorAt)
    {
        var body = _buf.AsSpan(_recordStart, _recordEnd - _recordStart);
        var r = new SpanReader(body);
        errorAt = 0;
        ulong sref = r.ReadUvarint();
        int n = r.ReadUvarintInt(r.Remaining / 2, "label count exceeds record length");
        if (r.Failed || sref > int.MaxValue) return Fail(ref r, out errorAt, "bad series ref or label count");
        if (_labels.Length < n) _labels = new Utf8Label[Math.Max(n, _labels.Length * 2)];
        for (int i = 0; i < n; i++)
        {
            int nameLen = r.ReadUvarintInt(int.MaxValue, "label length out of range");
            int nameStart = r.Skip(nameLen);
            int valueLen = r.ReadUvarintInt(int.MaxValue, "label length out of range");
            int valueStart = r.Skip(valueLen);
            _labels[i] = new Utf8Label(nameStart, nameLen, valueStart, valueLen);
        }
        int chunks = r.ReadUvarintInt(r.Remaining / 5, "chunk count exceeds record length");
        if (r.Failed) return Fail(ref r, out errorAt, "truncated labels");
        if (_chunks.Length < chunks) _chunks = new CheckpointChunk[Math.Max(chunks, _chunks.Length * 2)];
        for (int i = 0; i < chunks; i++)
        {
            long minT = r.ReadVarint();
            ulong span = r.ReadUvarint();
            int count = r.ReadUvarintInt(ushort.MaxValue, "chunk sample count out of range");
            int len = r.ReadUvarintInt(int.MaxValue, "chunk length out of range");
            int start = r.Skip(len);
            if (r.Failed) return Fail(ref r, out errorAt, "truncated chunk");
            if (len < XorChunk.HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(body[start..]) != count)
                return Fail(ref r, out errorAt, "chunk header does not match its sample count");
            long maxT = unchecked(minT + (long)span);
            if (maxT < minT) return Fail(ref r, out errorAt, "chunk time range out of order");
            _chunks[i] = new CheckpointChunk(minT, maxT, count, start, len);
        }
        if (r.Remaining != 0) return Fail(ref r, out errorAt, "trailing bytes in series record");
        SeriesRef = (int)sref;
        _labelCount = n;
        _chunkCount = chunks;
        return null;
    }

    private static string Fail(ref SpanReader r, out long errorAt, string reason)
    {
        errorAt = r.ErrorOffset >= 0 ? r.ErrorOffset : r.Position;
        return r.Error ?? reason;
    }

    private bool ReadTrailer(long offset)
    {
        if (!Ensure(CheckpointFormat.TrailerSize)) return Corrupt(offset, "truncated trailer");
        var t = _buf.AsSpan(_pos, CheckpointFormat.TrailerSize);
        if (Crc32C.Compute(t[..16]) != BinaryPrimitives.ReadUInt32LittleEndian(t[16..])) return Corrupt(offset, "trailer checksum mismatch");
        if (BinaryPrimitives.ReadInt64LittleEndian(t[4..]) != _series) return Corrupt(offset, "trailer series count does not match the records");
        if (BinaryPrimitives.ReadUInt32LittleEndian(t[12..]) != _chain) return Corrupt(offset, "series records are missing or out of order (CRC chain mismatch)");
        _pos += CheckpointFormat.TrailerSize;
        if (Ensure(1)) return Corrupt(offset + CheckpointFormat.TrailerSize, "bytes after the trailer");
        _done = true;
        return false;
    }

    private bool Corrupt(long offset, string reason)
    {
        Result = WalDecodeResult.Corrupt(offset, reason);
        _done = true;
        _labelCount = 0;
        _chunkCount = 0;
        return false;
    }

    /// <summary>Makes at least <paramref name="n"/> unread bytes available in the buffer; false at end of file.</summary>
    private bool Ensure(int n)
    {
        if (_end - _pos >= n) return true;
        if (_pos > 0)
        {
            // Keep the unread tail; the previous record's spans are no longer handed out after this.
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
            _bufOffset += _pos;
            _end -= _pos;
            _pos = 0;
        }
        if (_buf.Length < n) Array.Resize(ref _buf, Math.Max(n, _buf.Length * 2));
        while (_end < n && !_eof)
        {
            int read = _file.Read(_buf, _end, _buf.Length - _end);
            if (read == 0) _eof = true;
            _end += read;
        }
        return _end >= n;
    }

    /// <summary>The current series' labels as a <see cref="LabelSet"/> (allocates strings).</summary>
    public LabelSet ToLabelSet()
    {
        var buf = LabelBuffer;
        var labels = Labels;
        var pairs = new Label[labels.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new Label(Utf8Labels.Decode(labels[i].Name(buf)), Utf8Labels.Decode(labels[i].Value(buf)));
        }
        return new LabelSet(pairs);
    }

    /// <summary>The current series' chunks as snapshots with their own exactly sized arrays.</summary>
    public ChunkSnapshot[] ToChunkSnapshots()
    {
        var data = ChunkData;
        var chunks = Chunks;
        var result = new ChunkSnapshot[chunks.Length];
        for (int i = 0; i < chunks.Length; i++)
        {
            var c = chunks[i];
            result[i] = new ChunkSnapshot(data.Slice(c.DataOffset, c.DataLength).ToArray(), c.DataLength, c.Count, c.MinTime, c.MaxTime);
        }
        return result;
    }

    public void Dispose() => _file.Dispose();
}
