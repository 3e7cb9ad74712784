using System.Runtime.CompilerServices;

namespace Strata.Ingest.Protobuf;

/// <summary>Protobuf wire types.</summary>
public enum WireType : byte
{
    Varint = 0,
    Fixed64 = 1,
    Len = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// A forward-only protobuf reader over a span, with a sticky error: several fields can be read
/// without checks and <see cref="Failed"/> inspected once. Offsets are absolute positions in the
/// whole buffer so callers can keep (offset, length) references to strings instead of copying them.
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _buf;
    private int _pos;
    private readonly int _end;

    public ProtoReader(ReadOnlySpan<byte> buffer) : this(buffer, 0, buffer.Length)
    {
    }

    public ProtoReader(ReadOnlySpan<byte> buffer, int start, int end)
    {
        _buf = buffer;
        _pos = start;
        _end = end;
        Error = null;
    }

    public readonly int Position => _pos;
    public readonly bool Failed => Error != null;
    public string? Error { readonly get; private set; }
    public readonly bool HasMore => _pos < _end && Error == null;

    public void Fail(string message)
    {
        Error ??= message;
        _pos = _end;
    }

    /// <summary>Reads the next tag; false at the end of the message or on error.</summary>
    public bool NextField(out int field, out WireType wireType)
    {
        field = 0;
        wireType = 0;
        if (_pos >= _end || Error != null) return false;
        ulong tag = ReadVarint();
        if (Error != null) return false;
        field = (int)(tag >> 3);
        wireType = (WireType)(tag & 7);
        if (field == 0 || tag >> 3 > int.MaxValue)
        {
            Fail($"invalid field number {tag >> 3} at offset {_pos}");
            return false;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (_pos < _end)
        {
            byte b = _buf[_pos];
            if (b < 0x80)
            {
                _pos++;
                return b;
            }
        }
        return ReadVarintSlow();
    }

    private ulong ReadVarintSlow()
    {
        ulong x = 0;
        int shift = 0;
        while (_pos < _end)
        {
            byte b = _buf[_pos++];
            if (shift == 63 && b > 1)
            {
                Fail("varint overflows 64 bits");
                return 0;
            }
            x |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return x;
            shift += 7;
            if (shift > 63)
            {
                Fail("varint overflows 64 bits");
                return 0;
            }
        }
        Fail("truncated varint");
        return 0;
    }

    public ulong ReadFixed64()
    {
        if (_end - _pos < 8)
        {
            Fail("truncated fixed64");
            return 0;
        }
        ulong v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_buf.Slice(_pos, 8));
        _pos += 8;
        return v;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadFixed64());

    /// <summary>Reads a length prefix and returns the absolute [start, start+length) of the payload.</summary>
    public bool ReadLength(out int start, out int length)
    {
        ulong len = ReadVarint();
        start = _pos;
        if (Error != null || len > (ulong)(_end - _pos))
        {
            length = 0;
            if (Error == null) Fail($"length {len} at offset {start} exceeds the {_end - _pos} bytes left");
            return false;
        }
        length = (int)len;
        _pos += length;
        return true;
    }

    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                if (_end - _pos < 8) Fail("truncated fixed64");
                else _pos += 8;
                break;
            case WireType.Len:
                ReadLength(out _, out _);
                break;
            case WireType.Fixed32:
                if (_end - _pos < 4) Fail("truncated fixed32");
                else _pos += 4;
                break;
            default:
                Fail($"unsupported wire type {(int)wireType}");
                break;
        }
    }

    /// <summary>Checks that a field has the expected wire type; sets the error if not.</summary>
    public bool Expect(WireType actual, WireType expected, string field)
    {
        if (actual == expected) return true;
        Fail($"field {field} has wire type {(int)actual}, expected {(int)expected}");
        return false;
    }
}
