namespace Strata.Storage.Chunks;

/// <summary>Go's encoding/binary varints: uvarint (LEB128) and zig-zag signed varint.</summary>
public static class Varint
{
    public static int PutUvarint(Span<byte> buf, ulong x)
    {
        int i = 0;
        while (x >= 0x80)
        {
            buf[i++] = (byte)(x | 0x80);
            x >>= 7;
        }
        buf[i++] = (byte)x;
        return i;
    }

    public static int PutVarint(Span<byte> buf, long x)
    {
        ulong ux = (ulong)x << 1;
        if (x < 0) ux = ~ux;
        return PutUvarint(buf, ux);
    }

    /// <summary>Reads a uvarint; returns bytes consumed, 0 if the input is short, -1 on overflow.</summary>
    public static int Uvarint(ReadOnlySpan<byte> buf, out ulong value)
    {
        ulong x = 0;
        int s = 0;
        for (int i = 0; i < buf.Length; i++)
        {
            if (i == 10)
            {
                value = 0;
                return -1;
            }
            byte b = buf[i];
            if (b < 0x80)
            {
                if (i == 9 && b > 1)
                {
                    value = 0;
                    return -1;
                }
                value = x | ((ulong)b << s);
                return i + 1;
            }
            x |= (ulong)(b & 0x7f) << s;
            s += 7;
        }
        value = 0;
        return 0;
    }

    public static int Varint64(ReadOnlySpan<byte> buf, out long value)
    {
        int n = Uvarint(buf, out ulong ux);
        long x = (long)(ux >> 1);
        if ((ux & 1) != 0) x = ~x;
        value = x;
        return n;
    }
}
