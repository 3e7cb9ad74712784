using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Strata.Storage.Labels;

namespace Strata.Query.Engine;

/// <summary>
/// Prometheus's label-set hash: XXH64 (seed 0) over <c>name 0xff value 0xff …</c> in label order.
/// <c>limit_ratio</c> maps it to [0, 1), so the same series are picked as Prometheus would pick.
/// </summary>
internal static class LabelHash
{
    private const ulong P1 = 11400714785074694791UL;
    private const ulong P2 = 14029467366897019727UL;
    private const ulong P3 = 1609587929392839161UL;
    private const ulong P4 = 9650029242287828579UL;
    private const ulong P5 = 2870177450012600261UL;

    /// <summary>The hash as a fraction of 2^64 - 1.</summary>
    public static double Offset(LabelSet labels) => Hash(labels) / (double)ulong.MaxValue;

    public static ulong Hash(LabelSet labels)
    {
        int size = 0;
        foreach (var l in labels.AsSpan()) size += Encoding.UTF8.GetByteCount(l.Name) + Encoding.UTF8.GetByteCount(l.Value) + 2;
        byte[] buf = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        int n = 0;
        foreach (var l in labels.AsSpan())
        {
            n += Encoding.UTF8.GetBytes(l.Name, buf.AsSpan(n));
            buf[n++] = 0xff;
            n += Encoding.UTF8.GetBytes(l.Value, buf.AsSpan(n));
            buf[n++] = 0xff;
        }
        ulong h = XxHash64(buf.AsSpan(0, n));
        ArrayPool<byte>.Shared.Return(buf);
        return h;
    }

    /// <summary>XXH64 with seed 0 (the algorithm from its public specification).</summary>
    internal static ulong XxHash64(ReadOnlySpan<byte> data)
    {
        int len = data.Length;
        int i = 0;
        ulong h;
        if (len >= 32)
        {
            ulong v1 = unchecked(P1 + P2), v2 = P2, v3 = 0, v4 = unchecked(0 - P1);
            while (i <= len - 32)
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
                v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 8)..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 16)..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[(i + 24)..]));
                i += 32;
            }
            h = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            h = Merge(h, v1);
            h = Merge(h, v2);
            h = Merge(h, v3);
            h = Merge(h, v4);
        }
        else
        {
            h = P5;
        }
        unchecked
        {
            h += (ulong)len;
            while (i <= len - 8)
            {
                h ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
                h = BitOperations.RotateLeft(h, 27) * P1 + P4;
                i += 8;
            }
            if (i <= len - 4)
            {
                h ^= BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) * P1;
                h = BitOperations.RotateLeft(h, 23) * P2 + P3;
                i += 4;
            }
            while (i < len)
            {
                h ^= data[i] * P5;
                h = BitOperations.RotateLeft(h, 11) * P1;
                i++;
            }
            h ^= h >> 33;
            h *= P2;
            h ^= h >> 29;
            h *= P3;
            h ^= h >> 32;
        }
        return h;
    }

    private static ulong Round(ulong acc, ulong input)
    {
        unchecked
        {
            acc += input * P2;
            acc = BitOperations.RotateLeft(acc, 31);
            return acc * P1;
        }
    }

    private static ulong Merge(ulong acc, ulong val)
    {
        unchecked
        {
            acc ^= Round(0, val);
            return acc * P1 + P4;
        }
    }
}
