using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Wal;

/// <summary>
/// A forward-only little-endian reader over a span with a sticky error (Prometheus's <c>Decbuf</c>):
/// any read past the end or malformed varint sets <see cref="Failed"/>, moves to the end and returns
/// 0, so a run of fields is read without checks and <see cref="Failed"/> inspected once.
/// <see cref="ErrorOffset"/> is the position of the first failed read, for corruption reports.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _buf;
    private int _pos;

    public SpanReader(ReadOnlySpan<byte> buffer)
    {
        _buf = buffer;
        _pos = 0;
        ErrorOffset = -1;
        Error = null;
    }

    public readonly int Position => _pos;
    public readonly int Remaining => _buf.Length - _pos;
    public readonly bool Failed => Error != null;
    public string? Error { readonly get; private set; }
    public int ErrorOffset { readonly get; private set; }

    public void Fail(string reason)
    {
        if (Error == null)
        {
            Error = reason;
            ErrorOffset = _pos;
        }
        _pos = _buf.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_pos < _buf.Length) return _buf[_pos++];
        Fail("unexpected end of data");
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadUInt32()
    {
        if (_pos + 4 <= _buf.Length)
        {
            uint v = BinaryPrimitives.ReadUInt32LittleEndian(_buf[_pos..]);
            _pos += 4;
            return v;
        }
        Fail("unexpected end of data");
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUInt64()
    {
        if (_pos + 8 <= _buf.Length)
        {
            ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_buf[_pos..]);
            _pos += 8;
            return v;
        }
        Fail("unexpected end of data");
        return 0;
    }

    public long ReadInt64() => (long)ReadUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUvarint()
    {
        if (_pos < _buf.Length)
        {
            byte b = _buf[_pos];
            if (b < 0x80)
            {
                _pos++;
                return b;
            }
        }
        return ReadUvarintSlow();
    }

    private ulong ReadUvarintSlow()
    {
        ulong x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++)
        {
            if (_pos >= _buf.Length)
            {
                Fail("unexpected end of data in varint");
                return 0;
            }
            byte b = _buf[_pos++];
            if (b < 0x80)
            {
                if (i == 9 && b > 1) break;
                return x | ((ulong)b << s);
            }
            x |= (ulong)(b & 0x7F) << s;
            s += 7;
        }
        Fail("varint overflows 64 bits");
        return 0;
    }

    /// <summary>Zig-zag signed varint (Go's <c>binary.Varint</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadVarint()
    {
        ulong ux = ReadUvarint();
        long x = (long)(ux >> 1);
        return (ux & 1) != 0 ? ~x : x;
    }

    /// <summary>A uvarint that must fit in a non-negative int no larger than <paramref name="max"/>.</summary>
    public int ReadUvarintInt(int max, string reason)
    {
        ulong v = ReadUvarint();
        if (v > (ulong)max)
        {
            Fail(reason);
            return 0;
        }
        return (int)v;
    }

    /// <summary>The next <paramref name="length"/> bytes, or an empty span (and a failure) if fewer remain.</summary>
    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        if (length >= 0 && length <= _buf.Length - _pos)
        {
            var s = _buf.Slice(_pos, length);
            _pos += length;
            return s;
        }
        Fail("length exceeds remaining data");
        return default;
    }

    /// <summary>Advances over <paramref name="length"/> bytes and returns the offset where they start (-1 on failure).</summary>
    public int Skip(int length)
    {
        if (length >= 0 && length <= _buf.Length - _pos)
        {
            int start = _pos;
            _pos += length;
            return start;
        }
        Fail("length exceeds remaining data");
        return -1;
    }
}
