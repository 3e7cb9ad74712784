using System.Buffers.Binary;
using Strata.Storage.Chunks;

namespace Strata.Storage.Blocks;

/// <summary>Constants of the chunks/NNNNNN segment files (see FORMAT.md).</summary>
internal static class ChunkSegment
{
    public const uint Magic = 0x85BD40DD;
    public const byte FormatV1 = 1;
    public const int HeaderSize = 8;               // magic, version, 3 bytes padding
    public const long DefaultSegmentSize = 512L << 20;
    public const byte EncodingXor = 1;
    public const int MaxLengthFieldSize = 5;       // Go's binary.MaxVarintLen32
    public const int CrcSize = 4;

    /// <summary>Prometheus's chunk reference: segment index (0 for 000001) in the high 32 bits, offset in the low.</summary>
    public static ulong Ref(int segment, long offset) => ((ulong)(uint)segment << 32) | (uint)offset;

    public static string FileName(int segment) => (segment + 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Appends chunks to numbered segment files, cutting a new file when the next chunk would push the
/// current one past the segment size (the same greedy rule as Prometheus's <c>chunks.Writer</c>, which
/// reserves 5 bytes for the length field when deciding). Not thread-safe; one per block being written.
/// </summary>
internal sealed class ChunkSegmentWriter : IDisposable
{
    private readonly string _dir;
    private readonly long _segmentSize;
    private readonly byte[] _scratch = new byte[ChunkSegment.MaxLengthFieldSize + 1];
    private FileStream? _file;
    private int _segment = -1;
    private long _pos;

    public ChunkSegmentWriter(string dir, long segmentSize)
    {
        _dir = dir;
        _segmentSize = segmentSize;
        Directory.CreateDirectory(dir);
    }

    /// <summary>Writes one XOR chunk (its bytes including the 2-byte sample count) and returns its reference.</summary>
    public ulong Write(ReadOnlySpan<byte> data)
    {
        long maxSize = ChunkSegment.MaxLengthFieldSize + 1 + data.Length + ChunkSegment.CrcSize;
        if (_file == null || (_pos > ChunkSegment.HeaderSize && _pos + maxSize > _segmentSize)) Cut();

        ulong reference = ChunkSegment.Ref(_segment, _pos);
        int n = Varint.PutUvarint(_scratch, (ulong)data.Length);
        _scratch[n] = ChunkSegment.EncodingXor;
        uint crc = Crc32C.Update(Crc32C.Seed, _scratch.AsSpan(n, 1));
        crc = Crc32C.Finish(Crc32C.Update(crc, data));
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        _file!.Write(_scratch, 0, n + 1);
        _file.Write(data);
        _file.Write(crcBytes);
        _pos += n + 1 + data.Length + 4;
        return reference;
    }

    private void Cut()
    {
        FinishSegment();
        _segment++;
        string path = Path.Combine(_dir, ChunkSegment.FileName(_segment));
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        Span<byte> header = stackalloc byte[ChunkSegment.HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(header, ChunkSegment.Magic);
        header[4] = ChunkSegment.FormatV1;
        _file.Write(header);
        _pos = ChunkSegment.HeaderSize;
    }

    private void FinishSegment()
    {
        if (_file == null) return;
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _file = null;
    }

    /// <summary>Flushes and fsyncs the last segment.</summary>
    public void Finish() => FinishSegment();

    public void Dispose() => _file?.Dispose();
}

/// <summary>
/// Reads chunks from memory-mapped segment files, verifying each chunk's CRC-32C.
/// </summary>
/// <remarks>Thread-safe: immutable after construction; reads only touch mapped memory.</remarks>
internal sealed class ChunkSegmentReader : IDisposable
{
    private readonly MappedFile[] _segments;

    private ChunkSegmentReader(MappedFile[] segments) => _segments = segments;

    public long SizeBytes
    {
        get
        {
            long n = 0;
            foreach (var s in _segments) n += s.Length;
            return n;
        }
    }

    /// <summary>Maps every segment file (six-digit names, in order) and checks the headers.</summary>
    public static ChunkSegmentReader Open(string dir)
    {
        var files = Directory.Exists(dir)
            ? Directory.GetFiles(dir).Where(static f => IsSegmentName(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToArray()
            : [];
        var mapped = new List<MappedFile>(files.Length);
        try
        {
            foreach (var f in files)
            {
                var m = MappedFile.Open(f);
                mapped.Add(m);
                if (!m.TrySlice(0, ChunkSegment.HeaderSize, out var h))
                    throw new CorruptBlockException(f, 0, $"segment shorter than its {ChunkSegment.HeaderSize}-byte header");
                if (BinaryPrimitives.ReadUInt32BigEndian(h) != ChunkSegment.Magic)
                    throw new CorruptBlockException(f, 0, $"invalid chunk segment magic 0x{BinaryPrimitives.ReadUInt32BigEndian(h):X8}");
                if (h[4] != ChunkSegment.FormatV1)
                    throw new CorruptBlockException(f, 4, $"unsupported chunk segment version {h[4]}");
            }
        }
        catch
        {
            foreach (var m in mapped) m.Dispose();
            throw;
        }
        return new ChunkSegmentReader([.. mapped]);
    }

    private static bool IsSegmentName(string name)
    {
        if (name.Length < 6) return false;
        foreach (char c in name)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }

    /// <summary>
    /// Copies out the chunk at <paramref name="reference"/> after checking its encoding and CRC.
    /// Only XOR chunks exist in Strata; a histogram chunk (encodings 2 and 3) is reported as unsupported.
    /// </summary>
    public byte[] Read(ulong reference)
    {
        int seg = (int)(reference >> 32);
        long off = (long)(reference & 0xFFFFFFFF);
        if (seg >= _segments.Length)
            throw new CorruptBlockException(_segments.Length > 0 ? Path.GetDirectoryName(_segments[0].Path)! : "chunks", off, $"chunk reference to missing segment {seg + 1:D6}");
        var file = _segments[seg];
        if (off < ChunkSegment.HeaderSize) throw new CorruptBlockException(file.Path, off, "chunk reference inside the segment header");
        var head = file.From(off, ChunkSegment.MaxLengthFieldSize + 1);
        int n = Varint.Uvarint(head, out ulong len);
        if (n <= 0 || n >= head.Length) throw new CorruptBlockException(file.Path, off, "truncated chunk length");
        if (!file.TrySlice(off + n, 1 + (long)len + ChunkSegment.CrcSize, out var rec))
            throw new CorruptBlockException(file.Path, off, $"chunk of {len} bytes runs past the end of the segment");
        var body = rec[..^ChunkSegment.CrcSize];
        uint want = BinaryPrimitives.ReadUInt32BigEndian(rec[^ChunkSegment.CrcSize..]);
        if (Crc32C.Compute(body) != want) throw new CorruptBlockException(file.Path, off, "chunk checksum mismatch");
        byte enc = body[0];
        if (enc != ChunkSegment.EncodingXor)
            throw new NotSupportedException($"{file.Path} at offset {off}: chunk encoding {enc} (only XOR float chunks are supported)");
        if (len < 2) throw new CorruptBlockException(file.Path, off, "XOR chunk shorter than its sample count");
        return body[1..].ToArray();
    }

    /// <summary>The segment file and offset a reference points at, for error messages.</summary>
    public (string Path, long Offset) Locate(ulong reference)
    {
        int seg = (int)(reference >> 32);
        return (seg < _segments.Length ? _segments[seg].Path : $"chunks/{ChunkSegment.FileName(seg)}", (long)(reference & 0xFFFFFFFF));
    }

    public void Dispose()
    {
        foreach (var s in _segments) s.Dispose();
    }
}
