using System.Buffers;
using System.IO.Compression;

namespace Strata.Ingest.Loki;

/// <summary>
/// Content-Encoding gzip and deflate, inflated into one pooled buffer owned by the result (the
/// entries point into it). Loki reads <c>deflate</c> with Go's flate.NewReader, i.e. raw DEFLATE
/// (RFC 1951), although HTTP's "deflate" is zlib-wrapped (RFC 1950) and many clients send that; a
/// body with a valid zlib header is read as zlib, and read again as raw DEFLATE if that fails.
/// </summary>
public sealed partial class LokiPushDecoder
{
    private bool TryInflate(ReadOnlyMemory<byte> body, BodyEncoding encoding, LokiPushResult result, out ReadOnlyMemory<byte> inflated)
    {
        inflated = default;
        var span = body.Span;
        bool zlib = encoding == BodyEncoding.Deflate && span.Length >= 2 && (span[0] & 0x0F) == 8 && (span[0] >> 4) <= 7 && ((span[0] << 8) | span[1]) % 31 == 0;
        var status = Inflate(body, encoding == BodyEncoding.Gzip ? Format.Gzip : zlib ? Format.Zlib : Format.Deflate, out byte[]? buffer, out int length, out string? error);
        if (status == InflateStatus.Corrupt && zlib)
        {
            status = Inflate(body, Format.Deflate, out buffer, out length, out string? rawError);
            if (status == InflateStatus.Corrupt) error ??= rawError;
        }
        if (buffer is not null) result.Own(buffer);
        switch (status)
        {
            case InflateStatus.Ok:
                inflated = new ReadOnlyMemory<byte>(buffer, 0, length);
                return true;
            case InflateStatus.TooLarge:
                result.Fail(LokiPushStatus.TooLarge, $"request body too large: more than {_limits.MaxDecompressedBytes} bytes after decompression, limit: {_limits.MaxDecompressedBytes} bytes");
                return false;
            default:
                result.Fail(LokiPushStatus.BadRequest, (encoding == BodyEncoding.Gzip ? "gzip: " : "flate: ") + error);
                return false;
        }
    }

    private enum Format : byte
    {
        Gzip,
        Zlib,
        Deflate,
    }

    private enum InflateStatus : byte
    {
        Ok,
        Corrupt,
        TooLarge,
    }

    // Grows the pooled output by doubling; a failed attempt returns its buffer itself.
    private InflateStatus Inflate(ReadOnlyMemory<byte> body, Format format, out byte[]? buffer, out int length, out string? error)
    {
        int limit = _limits.MaxDecompressedBytes;
        buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(body.Length * 4L, 4096), limit + 1L));
        length = 0;
        error = null;
        using var source = new ReadOnlyMemoryStream(body);
        using Stream inflater = format switch
        {
            Format.Gzip => new GZipStream(source, CompressionMode.Decompress),
            Format.Zlib => new ZLibStream(source, CompressionMode.Decompress),
            _ => new DeflateStream(source, CompressionMode.Decompress),
        };
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) break;
                    byte[] bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, limit + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                int n = inflater.Read(buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
            }
        }
        catch (InvalidDataException e)
        {
            error = e.Message;
        }
        if (error is null && length <= limit) return InflateStatus.Ok;
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null;
        return error is null ? InflateStatus.TooLarge : InflateStatus.Corrupt;
    }

    /// <summary>A read-only, seekless stream over a body that may not be backed by an array.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => memory.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
