using System.IO.Compression;

namespace Strata.Storage.Logs;

/// <summary>
/// The payload codecs (<see cref="LogBlockCodec"/>). Stateless; the caller owns every buffer.
/// Measurements and the reasons for the default are in FORMAT.md ("Compression").
/// </summary>
/// <remarks>
/// .NET has no span API for DEFLATE, so it runs through <see cref="DeflateStream"/> over a
/// <see cref="MemoryStream"/> wrapping the caller's array: two small objects and zlib-ng's native
/// state per 256 KiB block, no copy of the data beyond zlib's own 8 KiB input window.
/// </remarks>
internal static class BlockCompression
{
    private const int BrotliWindowBits = 22;

    /// <summary>Space to reserve for compressing <paramref name="length"/> bytes (zlib's and Brotli's worst-case expansion fits).</summary>
    public static int MaxCompressedLength(int length) => length + (length >> 6) + 1024;

    /// <summary>
    /// Compresses <paramref name="src"/> into <paramref name="dst"/> from <paramref name="offset"/>
    /// (which must have <see cref="MaxCompressedLength"/> bytes free) and returns the length written.
    /// </summary>
    public static int Compress(LogBlockCodec codec, int level, ReadOnlySpan<byte> src, byte[] dst, int offset)
    {
        switch (codec)
        {
            case LogBlockCodec.None:
                src.CopyTo(dst.AsSpan(offset));
                return src.Length;
            case LogBlockCodec.Deflate:
            {
                using var ms = new MemoryStream(dst, offset, dst.Length - offset, writable: true);
                using (var ds = new DeflateStream(ms, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
                {
                    ds.Write(src);
                }
                return (int)ms.Position;
            }
            case LogBlockCodec.Brotli:
                if (!BrotliEncoder.TryCompress(src, dst.AsSpan(offset), out int written, level, BrotliWindowBits))
                    throw new InvalidOperationException("Brotli output exceeded its reserved space");
                return written;
            default:
                throw new ArgumentOutOfRangeException(nameof(codec));
        }
    }

    /// <summary>Decompresses exactly <paramref name="dst"/>.Length bytes; false if the data is malformed or of another length.</summary>
    public static bool TryDecompress(LogBlockCodec codec, byte[] src, int offset, int length, Span<byte> dst)
    {
        switch (codec)
        {
            case LogBlockCodec.None:
                if (length != dst.Length) return false;
                src.AsSpan(offset, length).CopyTo(dst);
                return true;
            case LogBlockCodec.Deflate:
            {
                try
                {
                    using var ds = new DeflateStream(new MemoryStream(src, offset, length, writable: false), CompressionMode.Decompress);
                    int n = ds.ReadAtLeast(dst, dst.Length, throwOnEndOfStream: false);
                    return n == dst.Length;
                }
                catch (InvalidDataException)
                {
                    return false;
                }
            }
            case LogBlockCodec.Brotli:
                return BrotliDecoder.TryDecompress(src.AsSpan(offset, length), dst, out int written) && written == dst.Length;
            default:
                return false;
        }
    }
}
