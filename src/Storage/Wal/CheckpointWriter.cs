using System.Buffers.Binary;
using System.Text;
using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Wal;

/// <summary>Constants of the checkpoint file format (FORMAT.md, "Checkpoint file").</summary>
public static class CheckpointFormat
{
    public const uint Magic = 0x504B4353; // "SCKP" little-endian
    public const byte Version = 1;

    /// <summary>magic u32, version u8, 3 reserved, WAL address i64, min time i64, series count u64, 4 reserved, CRC-32C u32 of the 36 bytes before it.</summary>
    public const int HeaderSize = 40;

    /// <summary>A series record's length field with this value starts the trailer instead.</summary>
    public const uint TrailerMarker = 0xFFFFFFFF;

    /// <summary>marker u32, series count u64, CRC chain u32, CRC u32.</summary>
    public const int TrailerSize = 20;

    /// <summary>Largest series record accepted (labels plus chunks of one series).</summary>
    public const int MaxRecordSize = 256 << 20;
}

/// <summary>What <see cref="CheckpointWriter.Write"/> wrote.</summary>
public readonly record struct CheckpointStats(long Series, long Chunks, long Bytes, long MinTime);

/// <summary>
/// Writes a snapshot of the head (series, labels and their XOR chunks) covering the WAL up to an
/// address, so that a restart loads it and replays only the WAL after that address.
/// </summary>
/// <remarks>
/// Crash safety as Prometheus does it for checkpoints and blocks: write <c>path.tmp</c>, fsync,
/// rename over <paramref name="path"/> (atomic on POSIX), fsync the directory. A crash leaves either
/// the old checkpoint or the new one, plus possibly a stale <c>.tmp</c> the next write replaces.
/// Streams through a 1 MiB buffer; memory does not grow with the number of series.
/// </remarks>
public static class CheckpointWriter
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Writes the checkpoint. <paramref name="series"/> is enumerated once; chunks are written in the
    /// order given (oldest first, as the head keeps them).
    /// </summary>
    public static CheckpointStats Write(string path, long walAddress,
        IEnumerable<(int Ref, LabelSet Labels, IReadOnlyList<ChunkSnapshot> Chunks)> series)
    {
        string tmp = path + ".tmp";
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        long count = 0, chunks = 0, minTime = long.MaxValue;
        uint chain = 0;
        long bytes;
        var w = new Buffer(BufferSize);
        try
        {
            bytes = WriteFile(tmp, walAddress, series, w, ref count, ref chunks, ref minTime, ref chain);
        }
        catch
        {
            // Leave no partial file behind; the old checkpoint, if any, is untouched.
            File.Delete(tmp);
            throw;
        }
        File.Move(tmp, path, overwrite: true);
        if (dir != null) FileSync.SyncDirectory(dir);
        return new CheckpointStats(count, chunks, bytes, minTime);
    }

    private static long WriteFile(string tmp, long walAddress, IEnumerable<(int Ref, LabelSet Labels, IReadOnlyList<ChunkSnapshot> Chunks)> series,
        Buffer w, ref long count, ref long chunks, ref long minTime, ref uint chain)
    {
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            w.File = file;
            w.Reserve(CheckpointFormat.HeaderSize);
            Span<byte> crcBytes = stackalloc byte[4];
            foreach (var (sref, labels, list) in series)
            {
                int start = w.Position;
                w.Reserve(4);
                w.PutUvarint((uint)sref);
                var pairs = labels.AsSpan();
                w.PutUvarint((uint)pairs.Length);
                foreach (ref readonly var l in pairs)
                {
                    w.PutString(l.Name);
                    w.PutString(l.Value);
                }
                w.PutUvarint((uint)list.Count);
                for (int i = 0; i < list.Count; i++)
                {
                    var c = list[i];
                    if (c.Length < XorChunk.HeaderSize || c.Count is < 0 or > ushort.MaxValue)
                        throw new ArgumentException($"series {sref} has an invalid chunk", nameof(series));
                    w.PutVarint(c.MinTime);
                    w.PutUvarint((ulong)(c.MaxTime - c.MinTime));
                    w.PutUvarint((uint)c.Count);
                    w.PutUvarint((uint)c.Length);
                    // The head's open chunk shares its array with later appends, which rewrite the
                    // 2-byte sample count: write the snapshot's own count instead.
                    var dst = w.Take(c.Length);
                    BinaryPrimitives.WriteUInt16BigEndian(dst, (ushort)c.Count);
                    c.Bytes[XorChunk.HeaderSize..].CopyTo(dst[XorChunk.HeaderSize..]);
                    if (c.MinTime < minTime) minTime = c.MinTime;
                    chunks++;
                }
                int bodyLength = w.Position - start - 4;
                if (bodyLength > CheckpointFormat.MaxRecordSize) throw new ArgumentException($"series {sref} is too large for a checkpoint", nameof(series));
                var rec = w.Slice(start, 4 + bodyLength);
                BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)bodyLength);
                uint crc = Crc32C.Compute(rec);
                BinaryPrimitives.WriteUInt32LittleEndian(w.Take(4), crc);
                BinaryPrimitives.WriteUInt32LittleEndian(crcBytes, crc);
                chain = Crc32C.Compute(crcBytes, chain);
                count++;
                w.Commit();
            }
            var trailer = w.Take(CheckpointFormat.TrailerSize);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, CheckpointFormat.TrailerMarker);
            BinaryPrimitives.WriteInt64LittleEndian(trailer[4..], count);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[12..], chain);
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[16..], Crc32C.Compute(trailer[..16]));
            w.Flush();

            Span<byte> header = stackalloc byte[CheckpointFormat.HeaderSize];
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, CheckpointFormat.Magic);
            header[4] = CheckpointFormat.Version;
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], walAddress);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], minTime);
            BinaryPrimitives.WriteInt64LittleEndian(header[24..], count);
            BinaryPrimitives.WriteUInt32LittleEndian(header[36..], Crc32C.Compute(header[..36]));
            RandomAccess.Write(file.SafeFileHandle, header, 0);
            file.Flush(flushToDisk: true);
            w.File = null;
            return file.Length;
        }
    }

    /// <summary>A write buffer flushed to the file between series records.</summary>
    private sealed class Buffer(int size)
    {
        private byte[] _buf = new byte[size];
        private int _len;
        private long _flushed;

        public FileStream? File;
        public int Position => _len;

        public Span<byte> Slice(int start, int length) => _buf.AsSpan(start, length);

        public void Reserve(int n) => Take(n).Clear();

        public Span<byte> Take(int n)
        {
            if (_buf.Length - _len < n) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
            var s = _buf.AsSpan(_len, n);
            _len += n;
            return s;
        }

        public void PutUvarint(ulong x)
        {
            var s = Take(10);
            int i = 0;
            while (x >= 0x80)
            {
                s[i++] = (byte)(x | 0x80);
                x >>= 7;
            }
            s[i++] = (byte)x;
            _len -= 10 - i;
        }

        public void PutVarint(long x) => PutUvarint((ulong)((x << 1) ^ (x >> 63)));

        public void PutString(string s)
        {
            int n = Encoding.UTF8.GetByteCount(s);
            PutUvarint((uint)n);
            Encoding.UTF8.GetBytes(s, Take(n));
        }

        /// <summary>Called between records: writes the buffer out once it is over its nominal size.</summary>
        public void Commit()
        {
            if (_len >= size) Flush();
        }

        public void Flush()
        {
            File!.Write(_buf, 0, _len);
            _flushed += _len;
            _len = 0;
        }
    }
}
