using System.Text;
using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Logs;

/// <summary>
/// Structured metadata of one entry in its stored form (FORMAT.md, "Metadata pairs"):
/// <c>pairs:uvarint | pairs × (nameLen:uvarint name valueLen:uvarint value)</c>, UTF-8. An entry
/// without metadata stores nothing at all (length 0), so the common case costs no byte in the head.
/// </summary>
internal static class LogMetadata
{
    /// <summary>Bytes <see cref="Write"/> needs for <paramref name="metadata"/> (0 when empty).</summary>
    public static int Size(Label[]? metadata)
    {
        if (metadata is null || metadata.Length == 0) return 0;
        int n = UvarintSize((uint)metadata.Length);
        foreach (var l in metadata)
        {
            int a = Encoding.UTF8.GetByteCount(l.Name);
            int b = Encoding.UTF8.GetByteCount(l.Value);
            n += UvarintSize((uint)a) + a + UvarintSize((uint)b) + b;
        }
        return n;
    }

    /// <summary>Writes exactly <see cref="Size"/> bytes.</summary>
    public static void Write(Label[] metadata, Span<byte> dst)
    {
        int pos = Varint.PutUvarint(dst, (ulong)metadata.Length);
        foreach (var l in metadata)
        {
            pos += WriteString(l.Name, dst[pos..]);
            pos += WriteString(l.Value, dst[pos..]);
        }
    }

    private static int WriteString(string s, Span<byte> dst)
    {
        int len = Encoding.UTF8.GetByteCount(s);
        int pos = Varint.PutUvarint(dst, (ulong)len);
        return pos + Encoding.UTF8.GetBytes(s, dst[pos..]);
    }

    public static int UvarintSize(ulong v)
    {
        int n = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            n++;
        }
        return n;
    }
}
