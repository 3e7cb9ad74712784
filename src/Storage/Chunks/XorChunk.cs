using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Chunks;

/// <summary>
/// A Gorilla/XOR chunk in Prometheus's exact byte layout (see FORMAT.md): a 2-byte big-endian sample
/// count, then a bit stream of timestamps (varint, uvarint delta, then delta-of-delta buckets) and
/// XOR-compressed float values.
/// </summary>
/// <remarks>
/// Contract: one writer at a time (the owning series holds its lock while appending). Readers may
/// iterate a snapshot taken under that lock (<see cref="Snapshot"/>) without further locking: an
/// append only sets bits that lie after the last sample of any earlier snapshot, and growth copies
/// into a new array, so the bytes a snapshot covers never change.
/// The writer mirrors Prometheus's bstream bit for bit, including the trailing byte it keeps when
/// the last byte is full, so <see cref="Length"/> equals the length Prometheus would persist.
/// </remarks>
public sealed class XorChunk
{
    public const int HeaderSize = 2;

    private byte[] _stream;
    private int _len;          // bytes in use
    private int _count;        // free bits in _stream[_len - 1]
    private int _num;
    private long _t;
    private ulong _tDelta;
    private ulong _v;          // bits of the previous value
    private byte _leading = 0xff;
    private byte _trailing;

    public XorChunk(int initialCapacity = 128)
    {
        _stream = new byte[Math.Max(initialCapacity, 16)];
        _len = HeaderSize;
    }

    public int Count => _num;
    public int Length => _len;
    public long MinTime { get; private set; }
    public long MaxTime => _t;
    public ReadOnlySpan<byte> Bytes => _stream.AsSpan(0, _len);

    /// <summary>The backing array and the bytes and samples that are complete right now.</summary>
    public ChunkSnapshot Snapshot() => new(_stream, _len, _num, MinTime, _t);

    /// <summary>Copies the finished chunk into an exactly sized array (used when a chunk is cut).</summary>
    public ChunkSnapshot Seal()
    {
        var exact = _stream.AsSpan(0, _len).ToArray();
        return new ChunkSnapshot(exact, _len, _num, MinTime, _t);
    }

    /// <summary>
    /// Appends a sample. The caller guarantees <paramref name="t"/> is not before the previous
    /// timestamp and that the chunk holds fewer than 65535 samples.
    /// </summary>
    public void Append(long t, double v)
    {
        ulong vbits = BitConverter.DoubleToUInt64Bits(v);
        if (_num == 0)
        {
            Span<byte> buf = stackalloc byte[10];
            int n = Varint.PutVarint(buf, t);
            for (int i = 0; i < n; i++) WriteByte(buf[i]);
            WriteBits(vbits, 64);
            MinTime = t;
        }
        else if (_num == 1)
        {
            ulong tDelta = (ulong)(t - _t);
            Span<byte> buf = stackalloc byte[10];
            int n = Varint.PutUvarint(buf, tDelta);
            for (int i = 0; i < n; i++) WriteByte(buf[i]);
            XorWrite(vbits);
            _tDelta = tDelta;
        }
        else
        {
            ulong tDelta = (ulong)(t - _t);
            long dod = (long)(tDelta - _tDelta);
            // Buckets as in Prometheus: "fits n bits" means -(2^(n-1)-1) <= dod <= 2^(n-1).
            if (dod == 0)
            {
                WriteBit(false);
            }
            else if (BitRange(dod, 14))
            {
                WriteBits(0b10, 2);
                WriteBits((ulong)dod, 14);
            }
            else if (BitRange(dod, 17))
            {
                WriteBits(0b110, 3);
                WriteBits((ulong)dod, 17);
            }
            else if (BitRange(dod, 20))
            {
                WriteBits(0b1110, 4);
                WriteBits((ulong)dod, 20);
            }
            else
            {
                WriteBits(0b1111, 4);
                WriteBits((ulong)dod, 64);
            }
            XorWrite(vbits);
            _tDelta = tDelta;
        }
        _t = t;
        _v = vbits;
        _num++;
        BinaryPrimitives.WriteUInt16BigEndian(_stream, (ushort)_num);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BitRange(long x, int nbits) =>
        -((1L << (nbits - 1)) - 1) <= x && x <= 1L << (nbits - 1);

    private void XorWrite(ulong vbits)
    {
        ulong delta = vbits ^ _v;
        if (delta == 0)
        {
            WriteBit(false);
            return;
        }
        WriteBit(true);
        int newLeading = BitOperations.LeadingZeroCount(delta);
        int newTrailing = BitOperations.TrailingZeroCount(delta);
        // The leading count has 5 bits on the wire.
        if (newLeading >= 32) newLeading = 31;
        if (_leading != 0xff && newLeading >= _leading && newTrailing >= _trailing)
        {
            WriteBit(false);
            WriteBits(delta >> _trailing, 64 - _leading - _trailing);
            return;
        }
        _leading = (byte)newLeading;
        _trailing = (byte)newTrailing;
        WriteBit(true);
        WriteBits((ulong)newLeading, 5);
        // 64 significant bits do not fit in 6 bits; they are written as 0 (0 never occurs otherwise).
        int sigbits = 64 - newLeading - newTrailing;
        WriteBits((ulong)sigbits, 6);
        WriteBits(delta >> newTrailing, sigbits);
    }

    private void Grow(int extra)
    {
        if (_len + extra <= _stream.Length) return;
        int size = Math.Max(_stream.Length * 2, _len + extra);
        var bigger = new byte[size];
        _stream.AsSpan(0, _len).CopyTo(bigger);
        // Readers holding the old array keep a consistent prefix; publish the new one after copying.
        Volatile.Write(ref _stream, bigger);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteBit(bool bit)
    {
        if (_count == 0)
        {
            Grow(1);
            _stream[_len++] = 0;
            _count = 8;
        }
        if (bit) _stream[_len - 1] |= (byte)(1 << (_count - 1));
        _count--;
    }

    private void WriteByte(byte b)
    {
        if (_count == 0)
        {
            Grow(1);
            _stream[_len++] = 0;
            _count = 8;
        }
        Grow(1);
        _stream[_len - 1] |= (byte)(b >> (8 - _count));
        _stream[_len++] = (byte)(b << _count);
    }

    private void WriteBits(ulong u, int nbits)
    {
        u <<= 64 - nbits;
        while (nbits >= 8)
        {
            WriteByte((byte)(u >> 56));
            u <<= 8;
            nbits -= 8;
        }
        while (nbits > 0)
        {
            WriteBit((u >> 63) == 1);
            u <<= 1;
            nbits--;
        }
    }
}

/// <summary>
/// An immutable view of a chunk's first <see cref="Count"/> samples: the backing array, how many of
/// its bytes belong to the chunk, and the time bounds. Cheap to copy.
/// </summary>
public readonly record struct ChunkSnapshot(byte[] Data, int Length, int Count, long MinTime, long MaxTime)
{
    public ReadOnlySpan<byte> Bytes => Data.AsSpan(0, Length);
}
