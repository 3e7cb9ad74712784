using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Strata.Storage.Chunks;

namespace Strata.Storage.Labels;

/// <summary>
/// The canonical byte form of a label set, used to find a series on the ingest path: for each pair
/// in order, uvarint(name length), name, uvarint(value length), value (UTF-8). Every series keeps
/// its key, so a lookup is one hash over one contiguous span and one memcmp, instead of touching
/// twenty separately allocated strings (which measured ~0.7 µs per series in cache misses).
/// In memory only; never persisted.
/// </summary>
public static class SeriesKey
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;

    /// <summary>Bytes needed for the key of these labels.</summary>
    public static int Size(ReadOnlySpan<Utf8Label> labels)
    {
        int n = 0;
        foreach (ref readonly var l in labels) n += l.NameLength + l.ValueLength + VarintSize(l.NameLength) + VarintSize(l.ValueLength);
        return n;
    }

    /// <summary>Writes the key of labels given as ranges of <paramref name="buffer"/>; dst must hold <see cref="Size"/> bytes.</summary>
    public static int Write(ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels, Span<byte> dst)
    {
        int pos = 0;
        foreach (ref readonly var l in labels)
        {
            pos += Varint.PutUvarint(dst[pos..], (ulong)l.NameLength);
            buffer.Slice(l.NameStart, l.NameLength).CopyTo(dst[pos..]);
            pos += l.NameLength;
            pos += Varint.PutUvarint(dst[pos..], (ulong)l.ValueLength);
            buffer.Slice(l.ValueStart, l.ValueLength).CopyTo(dst[pos..]);
            pos += l.ValueLength;
        }
        return pos;
    }

    /// <summary>The key of a label set built from strings (cold paths: replay, tests).</summary>
    public static byte[] Of(LabelSet labels)
    {
        var buf = new ArrayBufferWriter<byte>(256);
        Span<byte> v = stackalloc byte[10];
        foreach (var l in labels.AsSpan())
        {
            Append(buf, l.Name, v);
            Append(buf, l.Value, v);
        }
        return buf.WrittenSpan.ToArray();
    }

    private static void Append(ArrayBufferWriter<byte> buf, string s, Span<byte> scratch)
    {
        int len = Encoding.UTF8.GetByteCount(s);
        int n = Varint.PutUvarint(scratch, (ulong)len);
        buf.Write(scratch[..n]);
        Encoding.UTF8.GetBytes(s, buf.GetSpan(len));
        buf.Advance(len);
    }

    private static int VarintSize(int v) => v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong h, ulong w) => BitOperations.RotateLeft(h ^ (w * Prime2), 31) * Prime1;

    /// <summary>64-bit hash of a key; collisions are resolved by comparing keys.</summary>
    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        ulong h = 0x27D4EB2F165667C5UL ^ (ulong)key.Length;
        int i = 0;
        // Two independent lanes keep the multiply latency off the critical path.
        ulong h2 = Prime1;
        for (; i + 16 <= key.Length; i += 16)
        {
            h = Round(h, BinaryPrimitives.ReadUInt64LittleEndian(key[i..]));
            h2 = Round(h2, BinaryPrimitives.ReadUInt64LittleEndian(key[(i + 8)..]));
        }
        for (; i + 8 <= key.Length; i += 8) h = Round(h, BinaryPrimitives.ReadUInt64LittleEndian(key[i..]));
        if (i < key.Length)
        {
            ulong tail = key.Length >= 8
                ? BinaryPrimitives.ReadUInt64LittleEndian(key[(key.Length - 8)..])
                : PartialWord(key[i..]);
            h = Round(h, tail);
        }
        h ^= BitOperations.RotateLeft(h2, 17);
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        return h;
    }

    private static ulong PartialWord(ReadOnlySpan<byte> s)
    {
        ulong w = 0;
        for (int j = 0; j < s.Length; j++) w |= (ulong)s[j] << (8 * j);
        return w;
    }
}
