using System.Buffers.Binary;
using System.Text;
using Strata.Storage.Chunks;

namespace Strata.Storage.Blocks;

/// <summary>
/// A forward-only decoder over a span with a sticky error (Prometheus's <c>encoding.Decbuf</c>): a run
/// of fields is read without checks and <see cref="Failed"/> is inspected once. After a failure every
/// read returns zero and consumes nothing.
/// </summary>
internal ref struct BinReader
{
    private readonly ReadOnlySpan<byte> _buf;
    private int _pos;

    public BinReader(ReadOnlySpan<byte> buffer)
    {
        _buf = buffer;
        _pos = 0;
        Failed = false;
    }

    public bool Failed { readonly get; private set; }
    public readonly int Position => _pos;
    public readonly int Remaining => _buf.Length - _pos;

    private void Fail()
    {
        Failed = true;
        _pos = _buf.Length;
    }

    public byte Byte()
    {
        if (_pos >= _buf.Length)
        {
            Fail();
            return 0;
        }
        return _buf[_pos++];
    }

    public uint Be32()
    {
        if (Remaining < 4)
        {
            Fail();
            return 0;
        }
        uint v = BinaryPrimitives.ReadUInt32BigEndian(_buf[_pos..]);
        _pos += 4;
        return v;
    }

    public ulong Be64()
    {
        if (Remaining < 8)
        {
            Fail();
            return 0;
        }
        ulong v = BinaryPrimitives.ReadUInt64BigEndian(_buf[_pos..]);
        _pos += 8;
        return v;
    }

    public ulong Uvarint()
    {
        if (Failed) return 0;
        int n = Varint.Uvarint(_buf[_pos..], out ulong v);
        if (n <= 0)
        {
            Fail();
            return 0;
        }
        _pos += n;
        return v;
    }

    public long Varint64()
    {
        ulong ux = Uvarint();
        long x = (long)(ux >> 1);
        return (ux & 1) != 0 ? ~x : x;
    }

    /// <summary>A uvarint that must fit an int (a length or a count).</summary>
    public int UvarintInt()
    {
        ulong v = Uvarint();
        if (v > int.MaxValue)
        {
            Fail();
            return 0;
        }
        return (int)v;
    }

    public ReadOnlySpan<byte> Bytes(int n)
    {
        if (n < 0 || Remaining < n)
        {
            Fail();
            return default;
        }
        var s = _buf.Slice(_pos, n);
        _pos += n;
        return s;
    }

    /// <summary>A uvarint length followed by that many bytes (Go's <c>UvarintBytes</c>).</summary>
    public ReadOnlySpan<byte> UvarintBytes() => Bytes(UvarintInt());

    public string UvarintString()
    {
        var b = UvarintBytes();
        return b.IsEmpty ? "" : Encoding.UTF8.GetString(b);
    }

    public void Skip(int n)
    {
        if (n < 0 || Remaining < n) Fail();
        else _pos += n;
    }
}
