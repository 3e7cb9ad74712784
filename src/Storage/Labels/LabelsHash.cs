using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Strata.Storage.Labels;

/// <summary>
/// A 64-bit hash of a label set over the UTF-8 bytes of name, 0xFF, value, 0xFF, ... so the ingest path
/// can hash protobuf bytes directly and stored sets hash to the same value. Not persisted: the
/// function may change between versions. Collisions are resolved by full comparison.
/// </summary>
public struct LabelsHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private ulong _h;

    public static LabelsHash Create() => new() { _h = 0x27D4EB2F165667C5UL };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong h, ulong w) => BitOperations.RotateLeft(h ^ (w * Prime2), 31) * Prime1;

    /// <summary>Mixes one name or value; the segment length is mixed in, which acts as the separator.</summary>
    public void Add(ReadOnlySpan<byte> s)
    {
        ulong h = _h;
        int i = 0;
        for (; i + 8 <= s.Length; i += 8) h = Round(h, BinaryPrimitives.ReadUInt64LittleEndian(s[i..]));
        ulong tail = (ulong)s.Length << 56;
        int rem = s.Length - i;
        for (int j = 0; j < rem; j++) tail |= (ulong)s[i + j] << (8 * j);
        _h = Round(h, tail);
    }

    public readonly ulong Finish()
    {
        ulong h = _h;
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        return h;
    }

    public static ulong Of(LabelSet labels)
    {
        var hasher = Create();
        byte[] rented = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            foreach (var l in labels.AsSpan())
            {
                hasher.Add(Encode(l.Name, ref rented));
                hasher.Add(Encode(l.Value, ref rented));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return hasher.Finish();
    }

    private static ReadOnlySpan<byte> Encode(string s, ref byte[] buffer)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(max);
        }
        int n = Encoding.UTF8.GetBytes(s, buffer);
        return buffer.AsSpan(0, n);
    }
}
