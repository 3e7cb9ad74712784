using System.Buffers;

namespace Strata.Api.Http;

/// <summary>
/// A request body read into one buffer rented from the shared pool (push endpoints decode straight
/// from it). Dispose returns the buffer; anything that points into <see cref="Memory"/> must be
/// finished with first.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the whole body; null when it is larger than <paramref name="limit"/> bytes (the rest is drained).</summary>
    public static async Task<PooledBody?> ReadAsync(HttpRequest req, int limit, CancellationToken ct)
    {
        if (req.ContentLength > limit) return null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(req.ContentLength ?? 64 * 1024, limit) + 1);
        int length = 0;
        var reader = req.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            foreach (var segment in read.Buffer)
            {
                if (length + segment.Length > limit)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
                if (length + segment.Length > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(buffer.Length * 2, length + segment.Length), limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                segment.Span.CopyTo(buffer.AsSpan(length));
                length += segment.Length;
            }
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted) break;
        }
        return new PooledBody(buffer, length);
    }

    public void Dispose()
    {
        if (_buffer == null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
