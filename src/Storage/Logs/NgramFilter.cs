using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Strata.Storage.Logs;

/// <summary>
/// A block's substring filter: a one-hash bitmap over every 4-byte window (4-gram) of every line,
/// sized per block. A literal of at least 4 bytes that has any 4-gram whose bit is clear cannot
/// occur in any line of the block, so the block is skipped without reading its payload.
/// </summary>
/// <remarks>
/// <para>Why 4-grams, not trigrams: the literals worth skipping for are ids (request, trace, pod
/// uids). Hex text has only 4,096 trigrams, and a block of access logs contains nearly all of them,
/// so a trigram filter skipped only ~91 % of blocks for absent ids at any size; with 4-grams (65,536
/// hex 4-grams) it skipped 99.8–100 %. Measured on an earlier version of the <c>LogStoreBenchmarks</c>
/// corpus (219 blocks of 256 KiB, 40 ids and 8 words, a two-multiply hash): 3-grams, 2 KiB: ids 9.2 % false positives, words 5.1 %; 4-grams,
/// 2 KiB: ids 0.23 %, words 15 %; 4-grams, 4 KiB: ids 0 %, words 7.4 %.</para>
/// <para>Why one hash and a dense bitmap: a literal of n bytes tests n − 3 bits, so even a bitmap
/// half full rejects a 16-byte id with probability 1 − 0.5^13. A classic bloom filter sized for
/// 1 % per item would cost 10 bits per distinct 4-gram (~14 KB for a typical block, half the
/// compressed block).</para>
/// <para>Sizing: grams are marked in a 2^17-entry table, packed into a 2^17-bit map and folded in
/// halves (OR of the upper half into the lower, which equals indexing with one bit less) while the
/// result stays at most half full; never below 64 bytes. A typical 256 KiB block (~11,000 distinct 4-grams)
/// gets 2 KiB, ~7 % of its compressed size.</para>
/// </remarks>
internal static class NgramFilter
{
    public const int GramSize = 4;
    public const int MinBytes = 64;
    public const int MaxBytes = BuildWords * 8;
    private const int BuildBits = 17;
    private const int BuildWords = (1 << BuildBits) / 64;
    private const uint Golden = 0x9E3779B1u;

    /// <summary>A byte per bit of the 2^17-bit map being built (128 KiB, from the shared pool); give back with <see cref="Return"/>.</summary>
    public static byte[] Rent()
    {
        var t = ArrayPool<byte>.Shared.Rent(1 << BuildBits);
        Array.Clear(t, 0, 1 << BuildBits);
        return t;
    }

    public static void Return(byte[] table) => ArrayPool<byte>.Shared.Return(table);

    /// <summary>Empties a table for the next block.</summary>
    public static void Clear(byte[] table) => Array.Clear(table, 0, 1 << BuildBits);

    /// <summary>The 17-bit index of a gram: the top bits of a Fibonacci hash; smaller maps use its low bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Index(uint gram) => (gram * Golden) >> (32 - BuildBits);

    /// <summary>
    /// Marks every 4-gram of <paramref name="line"/>. One byte store per gram, no read: a bitmap's
    /// read-modify-write chain ran at 3.8 ns per byte of text, the stores at ~1 (LogStoreCodecBenchmarks,
    /// codec "none"). Unsafe only to drop the two bounds checks per byte; covered by
    /// <c>FilterHasNoFalseNegativesAndStaysAtMostHalfFull</c>.
    /// </summary>
    public static void AddLine(byte[] table, ReadOnlySpan<byte> line)
    {
        if (table.Length < 1 << BuildBits) throw new ArgumentException("not a filter table", nameof(table));
        ref byte t = ref MemoryMarshal.GetArrayDataReference(table);
        ref byte l = ref MemoryMarshal.GetReference(line);
        int end = line.Length - GramSize;
        for (int i = 0; i <= end; i++)
        {
            uint gram = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref l, i));
            Unsafe.Add(ref t, (int)Index(BitConverter.IsLittleEndian ? gram : BinaryPrimitives.ReverseEndianness(gram))) = 1;
        }
    }

    /// <summary>Packs the table into bits, folds it to its final size and writes it (little-endian words) to <paramref name="dst"/>; returns its length in bytes.</summary>
    public static int Finish(byte[] table, Span<byte> dst)
    {
        var rented = ArrayPool<ulong>.Shared.Rent(BuildWords);
        var words = rented.AsSpan(0, BuildWords);
        var src = table.AsSpan(0, 1 << BuildBits);
        for (int w = 0; w < BuildWords; w++)
        {
            ulong bits = 0;
            for (int q = 0; q < 4; q++)
            {
                var v = Vector128.Create<byte>(src.Slice(w * 64 + q * 16, 16));
                bits |= (ulong)Vector128.GreaterThan(v, Vector128<byte>.Zero).ExtractMostSignificantBits() << (q * 16);
            }
            words[w] = bits;
        }
        int n = BuildWords;
        while (n * 8 > MinBytes)
        {
            int half = n / 2;
            long pc = 0;
            for (int i = 0; i < half; i++) pc += BitOperations.PopCount(words[i] | words[i + half]);
            if (pc * 2 > (long)half * 64) break;
            for (int i = 0; i < half; i++) words[i] |= words[i + half];
            n = half;
        }
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteUInt64LittleEndian(dst[(i * 8)..], words[i]);
        ArrayPool<ulong>.Shared.Return(rented);
        return n * 8;
    }

    /// <summary>
    /// False only if <paramref name="literal"/> provably occurs in no line of the block. Literals
    /// shorter than a gram, and malformed filters, are never proof.
    /// </summary>
    public static bool MayContain(ReadOnlySpan<byte> filter, ReadOnlySpan<byte> literal)
    {
        if (literal.Length < GramSize || filter.Length < 8 || !BitOperations.IsPow2(filter.Length) || filter.Length > MaxBytes) return true;
        uint mask = (uint)filter.Length * 8 - 1;
        for (int i = 0; i + GramSize <= literal.Length; i++)
        {
            uint h = Index(BinaryPrimitives.ReadUInt32LittleEndian(literal[i..])) & mask;
            if ((filter[(int)(h >> 3)] & (1 << (int)(h & 7))) == 0) return false;
        }
        return true;
    }
}
