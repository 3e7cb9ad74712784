using System.Buffers.Binary;
using System.Text;
using Strata.Storage.Chunks;

namespace Strata.Storage.Blocks;

/// <summary>
/// A growable byte buffer with Prometheus's <c>encoding.Encbuf</c> primitives. One instance per
/// writer, reset per record, so encoding a block reuses a single array.
/// </summary>
internal sealed class EncBuf
{
    private byte[] _buf;
    private int _len;

    public EncBuf(int capacity = 256) => _buf = new byte[capacity];

    public int Length => _len;
    public ReadOnlySpan<byte> Span => _buf.AsSpan(0, _len);
    public void Reset() => _len = 0;

    private Span<byte> Take(int n)
    {
        if (_len + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
        var s = _buf.AsSpan(_len, n);
        _len += n;
        return s;
    }

    public void PutByte(byte b) => Take(1)[0] = b;
    public void PutBE32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), v);
    public void PutBE64(ulong v) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), v);
    public void PutBytes(ReadOnlySpan<byte> b) => b.CopyTo(Take(b.Length));

    public void PutUvarint(ulong v)
    {
        Span<byte> tmp = stackalloc byte[10];
        int n = Varint.PutUvarint(tmp, v);
        tmp[..n].CopyTo(Take(n));
    }

    public void PutVarint(long v)
    {
        Span<byte> tmp = stackalloc byte[10];
        int n = Varint.PutVarint(tmp, v);
        tmp[..n].CopyTo(Take(n));
    }

    /// <summary>A uvarint byte length followed by the UTF-8 bytes.</summary>
    public void PutUvarintString(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        PutUvarint((ulong)n);
        Encoding.UTF8.GetBytes(s, Take(n));
    }

    /// <summary>Patches a big-endian uint32 written earlier (a length placeholder).</summary>
    public void SetBE32(int at, uint v) => BinaryPrimitives.WriteUInt32BigEndian(_buf.AsSpan(at, 4), v);

    /// <summary>Appends the CRC-32C of bytes [from, Length), big-endian.</summary>
    public void PutCrcOf(int from) => PutBE32(Crc32C.Compute(_buf.AsSpan(from, _len - from)));
}
