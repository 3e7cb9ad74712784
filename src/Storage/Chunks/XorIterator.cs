using System.Numerics;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Chunks;

/// <summary>
/// Decodes an XOR chunk sample by sample. A struct so that a query can keep one per series without
/// allocating; <see cref="Reset"/> points it at new bytes.
/// </summary>
/// <remarks>
/// Reads never go past <c>Length</c> of the snapshot it was given, even though the backing array of
/// a head chunk may be longer and concurrently appended to. A corrupt stream sets <see cref="Failed"/>
/// and ends iteration instead of throwing.
/// </remarks>
public struct XorIterator
{
    private byte[]? _data;
    private int _end;
    private int _pos;
    private ulong _buf;       // bits not yet consumed are the low _valid bits
    private int _valid;
    private int _total;
    private int _read;
    private long _t;
    private ulong _tDelta;
    private ulong _v;
    private byte _leading;
    private byte _trailing;

    public XorIterator(ChunkSnapshot chunk) => Reset(chunk);

    public XorIterator(byte[] data, int length)
    {
        this = default;
        _data = data;
        _end = length;
        _total = length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(data) : 0;
        _pos = XorChunk.HeaderSize;
        if (length < 2) Failed = true;
    }

    public void Reset(ChunkSnapshot chunk)
    {
        this = default;
        _data = chunk.Data;
        _end = chunk.Length;
        _total = chunk.Count;
        _pos = XorChunk.HeaderSize;
    }

    public readonly long Timestamp => _t;
    public readonly double Value => BitConverter.UInt64BitsToDouble(_v);
    public readonly ulong ValueBits => _v;
    public bool Failed { readonly get; private set; }

    public bool MoveNext()
    {
        if (_read >= _total || Failed) return false;
        if (_read == 0)
        {
            if (!ReadVarint(out long t)) return Fail();
            _t = t;
            if (!TryReadBits(64, out _v)) return Fail();
            _read++;
            return true;
        }
        if (_read == 1)
        {
            if (!ReadUvarint(out ulong d)) return Fail();
            _tDelta = d;
            _t += (long)d;
            return ReadValue();
        }

        // Delta-of-delta prefix: up to four bits, 0 / 10 / 110 / 1110 / 1111. With four bits
        // buffered the prefix is decoded at once by counting its leading ones.
        int prefix = 0;
        if (_valid >= 4)
        {
            ulong four = (_buf >> (_valid - 4)) & 0xF;
            int ones = BitOperations.LeadingZeroCount(~(four << 60));
            _valid -= ones < 4 ? ones + 1 : 4;
            prefix = ones switch { 0 => 0, 1 => 0b10, 2 => 0b110, 3 => 0b1110, _ => 0b1111 };
        }
        else
        {
            for (int i = 0; i < 4; i++)
            {
                prefix <<= 1;
                if (!TryReadBits(1, out ulong bit)) return Fail();
                if (bit == 0) break;
                prefix |= 1;
            }
        }
        long dod = 0;
        int size = prefix switch { 0b10 => 14, 0b110 => 17, 0b1110 => 20, _ => 0 };
        if (prefix == 0b1111)
        {
            if (!TryReadBits(64, out ulong raw)) return Fail();
            dod = (long)raw;
        }
        else if (size != 0)
        {
            if (!TryReadBits(size, out ulong raw)) return Fail();
            // Values above 2^(size-1) are negative in size-bit two's complement.
            if (raw > 1UL << (size - 1)) raw -= 1UL << size;
            dod = (long)raw;
        }
        _tDelta = (ulong)((long)_tDelta + dod);
        _t += (long)_tDelta;
        return ReadValue();
    }

    /// <summary>Advances to the first sample at or after <paramref name="t"/>.</summary>
    public bool Seek(long t)
    {
        if (Failed) return false; // sticky, as Prometheus's Seek returns nothing once it.err is set
        if (_read > 0 && _t >= t) return true;
        while (MoveNext())
        {
            if (_t >= t) return true;
        }
        return false;
    }

    private bool ReadValue()
    {
        ulong bit;
        if (_valid >= 2)
        {
            // Both control bits at once: 0 = value unchanged, 10 = reuse the window, 11 = new window.
            ulong two = (_buf >> (_valid - 2)) & 3;
            if (two < 2)
            {
                _valid--;
                _read++;
                return true;
            }
            _valid -= 2;
            bit = two & 1;
        }
        else
        {
            if (!TryReadBits(1, out bit)) return Fail();
            if (bit == 0)
            {
                _read++;
                return true;
            }
            if (!TryReadBits(1, out bit)) return Fail();
        }
        {
            int leading, trailing, mbits;
            if (bit == 0)
            {
                // Reusing the window before any was set is valid: Prometheus's XORChunk.Appender() on a
                // one-sample chunk starts from the iterator's leading = trailing = 0, so it writes the
                // second value as "10" plus 64 bits. Its reader accepts that, so this one must too.
                leading = _leading;
                trailing = _trailing;
                mbits = 64 - leading - trailing;
            }
            else
            {
                // 5 bits of leading zeros and 6 of meaningful bits, read together.
                if (!TryReadBits(11, out ulong lm)) return Fail();
                ulong l = lm >> 6, m = lm & 63;
                leading = (int)l;
                mbits = m == 0 ? 64 : (int)m;
                trailing = 64 - leading - mbits;
                if (trailing < 0) return Fail();
                _leading = (byte)leading;
                _trailing = (byte)trailing;
            }
            if (!TryReadBits(mbits, out ulong bits)) return Fail();
            _v ^= bits << trailing;
        }
        _read++;
        return true;
    }

    private bool Fail()
    {
        Failed = true;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mask(int n) => n == 64 ? ulong.MaxValue : (1UL << n) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadBits(int n, out ulong value)
    {
        if (n <= _valid)
        {
            _valid -= n;
            value = (_buf >> _valid) & Mask(n);
            return true;
        }
        return ReadBitsSlow(n, out value);
    }

    private bool ReadBitsSlow(int n, out ulong value)
    {
        ulong result = _valid == 0 ? 0 : _buf & Mask(_valid);
        int need = n - _valid;
        _valid = 0;
        Refill();
        if (_valid < need)
        {
            value = 0;
            return false;
        }
        _valid -= need;
        value = (result << need) | ((_buf >> _valid) & Mask(need));
        return true;
    }

    private void Refill()
    {
        int avail = _end - _pos;
        if (avail >= 8)
        {
            _buf = BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(_pos, 8));
            _pos += 8;
            _valid = 64;
            return;
        }
        ulong b = 0;
        for (int i = 0; i < avail; i++) b = (b << 8) | _data![_pos + i];
        _pos += avail;
        _buf = b;
        _valid = avail * 8;
    }

    // Varints are written byte-wise into the bit stream, so they are read 8 bits at a time.
    private bool ReadUvarint(out ulong value)
    {
        ulong x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++)
        {
            if (!TryReadBits(8, out ulong b))
            {
                value = 0;
                return false;
            }
            if (b < 0x80)
            {
                value = x | (b << s);
                return true;
            }
            x |= (b & 0x7f) << s;
            s += 7;
        }
        value = 0;
        return false;
    }

    private bool ReadVarint(out long value)
    {
        bool ok = ReadUvarint(out ulong ux);
        long x = (long)(ux >> 1);
        if ((ux & 1) != 0) x = ~x;
        value = x;
        return ok;
    }
}
