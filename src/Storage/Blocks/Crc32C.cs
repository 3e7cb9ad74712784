using System.Buffers.Binary;
using System.Numerics;

namespace Strata.Storage.Blocks;

/// <summary>
/// CRC-32C (Castagnoli), as Go's <c>crc32.MakeTable(crc32.Castagnoli)</c> computes it: reflected,
/// initial value and final XOR 0xFFFFFFFF. Every checksum in a Prometheus block uses it, stored
/// big-endian.
/// </summary>
/// <remarks>
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> is the SSE4.2/ARMv8 CRC instruction when present and
/// a table otherwise; feeding it little-endian 8-byte words is the same as feeding the bytes in order.
/// </remarks>
internal static class Crc32C
{
    public const uint Seed = 0xFFFFFFFF;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Update(Seed, data));

    /// <summary>Continues a running CRC; start from <see cref="Seed"/> and end with <see cref="Finish"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return crc;
    }

    public static uint Finish(uint crc) => ~crc;
}
