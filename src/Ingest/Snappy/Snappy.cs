using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Strata.Ingest.Snappy;

/// <summary>
/// Snappy <em>block</em> format (what Go's <c>snappy.Encode/Decode</c> and Prometheus remote write
/// use; not the framing/stream format). A block is a uvarint decoded length followed by elements,
/// each starting with a tag byte whose low two bits select the kind:
/// <list type="bullet">
/// <item>00 literal: length-1 in the upper six bits, or 60..63 meaning 1..4 little-endian length bytes follow.</item>
/// <item>01 copy, 1-byte offset: length 4..11 in bits 2..4, offset bits 8..10 in bits 5..7, then offset low byte.</item>
/// <item>10 copy, 2-byte offset: length 1..64 in the upper six bits, then a little-endian uint16 offset.</item>
/// <item>11 copy, 4-byte offset: as 10 with a little-endian uint32 offset.</item>
/// </list>
/// Spec: https://github.com/google/snappy/blob/main/format_description.txt.
/// Stateless and thread-safe; the caller owns every buffer.
/// </summary>
public static class Snappy
{
    private const int TagLiteral = 0;
    private const int TagCopy1 = 1;
    private const int TagCopy2 = 2;

    // The encoder works on independent 64 KiB blocks so that every offset fits in a copy-2 element
    // and the hash table can hold ushort positions (as Go's encoder does).
    private const int MaxBlockSize = 65536;

    // encodeBlock reads 8 bytes around the current position without bounds checks in Go; keeping the
    // same margin keeps our output identical in shape and our loads inside the block.
    private const int InputMargin = 16 - 1;
    private const int MinNonLiteralBlockSize = 1 + 1 + InputMargin;
    private const int MaxTableSize = 1 << 14;

    /// <summary>Reads the uvarint header. False if malformed/truncated or larger than int.MaxValue.</summary>
    public static bool TryGetDecodedLength(ReadOnlySpan<byte> src, out int length)
        => TryReadHeader(src, out length, out _) == HeaderStatus.Ok;

    /// <summary>
    /// Decodes a block into <paramref name="dst"/>, which must be at least the decoded length.
    /// Returns false with a short reason for malformed, truncated or oversized input. Never throws,
    /// never reads outside <paramref name="src"/> and never writes beyond the decoded length in
    /// <paramref name="dst"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> src, Span<byte> dst, out int written, out string? error)
    {
        written = 0;
        HeaderStatus header = TryReadHeader(src, out int length, out int headerLength);
        if (header != HeaderStatus.Ok)
        {
            error = header == HeaderStatus.TooLarge
                ? "snappy: decoded length exceeds int.MaxValue"
                : "snappy: corrupt input: malformed or truncated length header";
            return false;
        }

        if (length > dst.Length)
        {
            error = DstTooSmall(length, dst.Length);
            return false;
        }

        error = DecodeBody(src[headerLength..], dst[..length]);
        if (error is not null)
        {
            return false;
        }

        written = length;
        return true;
    }

    /// <summary>As Go's MaxEncodedLen: worst-case encoded size, or -1 if it does not fit an int.</summary>
    public static int MaxEncodedLength(int srcLength)
    {
        if (srcLength < 0)
        {
            return -1;
        }

        // Go's bound: 32 bytes of header/tag slack plus one literal tag byte per 6 input bytes
        // (see the comment on MaxEncodedLen in golang/snappy encode.go).
        long n = 32L + srcLength + (srcLength / 6);
        return n > int.MaxValue ? -1 : (int)n;
    }

    /// <summary>
    /// Compresses <paramref name="src"/> into <paramref name="dst"/> (at least
    /// <see cref="MaxEncodedLength"/> bytes) and returns the number of bytes written.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int max = MaxEncodedLength(src.Length);
        if (max < 0 || dst.Length < max)
        {
            ThrowDestinationTooSmall(max);
        }

        int d = WriteUvarint(dst, (uint)src.Length);
        if (src.Length < MinNonLiteralBlockSize)
        {
            return src.IsEmpty ? d : d + EmitLiteral(dst[d..], src);
        }

        // 32 KiB of stack, cleared per block; cheaper than renting and small enough for any thread.
        Span<ushort> table = stackalloc ushort[MaxTableSize];
        while (!src.IsEmpty)
        {
            ReadOnlySpan<byte> block = src.Length > MaxBlockSize ? src[..MaxBlockSize] : src;
            src = src[block.Length..];
            d += block.Length < MinNonLiteralBlockSize
                ? EmitLiteral(dst[d..], block)
                : EncodeBlock(dst[d..], block, table);
        }

        return d;
    }

    private enum HeaderStatus : byte
    {
        Ok,
        Malformed,
        TooLarge,
    }

    // Accepts what Go's binary.Uvarint accepts (up to 10 bytes, non-minimal forms included), then
    // applies Go's decodedLen limit, tightened to int.MaxValue because spans are int-indexed.
    private static HeaderStatus TryReadHeader(ReadOnlySpan<byte> src, out int length, out int headerLength)
    {
        ulong v = 0;
        int shift = 0;
        for (int i = 0; i < src.Length && i < 10; i++)
        {
            byte b = src[i];
            if (b < 0x80)
            {
                if (i == 9 && b > 1)
                {
                    break;
                }

                v |= (ulong)b << shift;
                headerLength = i + 1;
                if (v > int.MaxValue)
                {
                    length = 0;
                    return HeaderStatus.TooLarge;
                }

                length = (int)v;
                return HeaderStatus.Ok;
            }

            v |= (ulong)(b & 0x7f) << shift;
            shift += 7;
        }

        length = 0;
        headerLength = 0;
        return HeaderStatus.Malformed;
    }

    // dst is exactly the decoded length. Fast paths over-copy up to 15 bytes only when that many
    // bytes remain in dst; the excess lands on positions later elements overwrite, and the final
    // d == dst.Length check guarantees they all are. Returns null on success.
    // A variant of this loop on ref byte + Unsafe.ReadUnaligned (no bounds checks) measured the
    // same as this one (best of 12 runs, 104 vs 108 us on the 200 KB payload), so it stays on spans.
    private static string? DecodeBody(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        int s = 0;
        int d = 0;
        while (s < src.Length)
        {
            uint tag = src[s];
            int length;
            uint offset;
            switch (tag & 3)
            {
                case TagLiteral:
                {
                    uint lengthMinus1 = tag >> 2;
                    if (lengthMinus1 < 60)
                    {
                        s++;
                    }
                    else
                    {
                        int extra = (int)lengthMinus1 - 59;
                        if (extra >= src.Length - s)
                        {
                            return Truncated("literal length", s, d);
                        }

                        lengthMinus1 = src[s + 1];
                        for (int i = 2; i <= extra; i++)
                        {
                            lengthMinus1 |= (uint)src[s + i] << (8 * (i - 1));
                        }

                        s += 1 + extra;
                    }

                    // Compared before the +1 so a 0xFFFFFFFF length cannot overflow.
                    if (lengthMinus1 >= (uint)(src.Length - s))
                    {
                        return LiteralBeyondInput(lengthMinus1 + 1L, src.Length - s, d);
                    }

                    length = (int)lengthMinus1 + 1;
                    if (length > dst.Length - d)
                    {
                        return Overflow("literal", length, d, dst.Length);
                    }

                    // Literals in remote-write payloads are mostly short (4.8 bytes on average in
                    // SnappyBenchmarks' payload): one 16-byte move instead of a Memmove call, as
                    // Go's amd64 decoder does.
                    if (length <= 16 && src.Length - s >= 16 && dst.Length - d >= 16)
                    {
                        Vector128.Create(src.Slice(s, 16)).CopyTo(dst[d..]);
                    }
                    else
                    {
                        src.Slice(s, length).CopyTo(dst[d..]);
                    }

                    s += length;
                    d += length;
                    continue;
                }

                case TagCopy1:
                    if (src.Length - s < 2)
                    {
                        return Truncated("copy-1 element", s, d);
                    }

                    length = 4 + (int)((tag >> 2) & 7);
                    offset = ((tag & 0xe0) << 3) | src[s + 1];
                    s += 2;
                    break;

                case TagCopy2:
                    if (src.Length - s < 3)
                    {
                        return Truncated("copy-2 element", s, d);
                    }

                    length = 1 + (int)(tag >> 2);
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(s + 1, 2));
                    s += 3;
                    break;

                default:
                    if (src.Length - s < 5)
                    {
                        return Truncated("copy-4 element", s, d);
                    }

                    length = 1 + (int)(tag >> 2);
                    offset = BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(s + 1, 4));
                    s += 5;
                    break;
            }

            // One unsigned compare rejects offset 0 and offsets reaching before the output start.
            if (offset - 1 >= (uint)d)
            {
                return BadOffset(offset, d);
            }

            if (length > dst.Length - d)
            {
                return Overflow("copy", length, d, dst.Length);
            }

            int from = d - (int)offset;
            if (length <= 16 && offset >= 8 && dst.Length - d >= 16)
            {
                if (offset >= 16)
                {
                    Vector128.Create((ReadOnlySpan<byte>)dst.Slice(from, 16)).CopyTo(dst.Slice(d, 16));
                }
                else
                {
                    // Two sequential 8-byte moves: with offset >= 8 each load only sees bytes that
                    // are already final, so this is also correct for 8 <= offset < length.
                    ulong lo = MemoryMarshal.Read<ulong>(dst.Slice(from, 8));
                    MemoryMarshal.Write(dst.Slice(d, 8), in lo);
                    ulong hi = MemoryMarshal.Read<ulong>(dst.Slice(from + 8, 8));
                    MemoryMarshal.Write(dst.Slice(d + 8, 8), in hi);
                }
            }
            else if (offset >= (uint)length)
            {
                if (length >= 16)
                {
                    Move16To64(dst.Slice(from, length), dst.Slice(d, length));
                }
                else
                {
                    dst.Slice(from, length).CopyTo(dst[d..]);
                }
            }
            else
            {
                CopyOverlapping(dst, from, d, length);
            }

            d += length;
        }

        return d == dst.Length ? null : ShortOutput(d, dst.Length);
    }

    // Copy elements are at most 64 bytes. Loading head and tail vectors that may overlap each
    // other covers every length in 16..64 with at most four moves and no call; this is where most
    // decoded bytes of a remote-write payload come from (label names and values repeated at
    // offsets >= 16, 42 bytes on average in SnappyBenchmarks' payload).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Move16To64(ReadOnlySpan<byte> from, Span<byte> to)
    {
        Vector128<byte> head = Vector128.Create(from);
        Vector128<byte> tail = Vector128.Create(from[^16..]);
        if (from.Length > 32)
        {
            Vector128<byte> head2 = Vector128.Create(from[16..]);
            Vector128<byte> tail2 = Vector128.Create(from[^32..]);
            head2.CopyTo(to[16..]);
            tail2.CopyTo(to[^32..]);
        }

        head.CopyTo(to);
        tail.CopyTo(to[^16..]);
    }

    // offset < length: the output repeats the last `offset` bytes. Runs of one byte (zero padding,
    // float64 mantissas) become Fill; short runs go byte by byte; longer ones double the pattern
    // so that each Memmove is non-overlapping and at most log2(length / offset) calls are made.
    private static void CopyOverlapping(Span<byte> dst, int from, int d, int length)
    {
        int offset = d - from;
        if (offset == 1)
        {
            dst.Slice(d, length).Fill(dst[from]);
            return;
        }

        int end = d + length;
        if (length <= 16)
        {
            for (; d < end; d++, from++)
            {
                dst[d] = dst[from];
            }

            return;
        }

        while (d < end)
        {
            int n = Math.Min(d - from, end - d);
            dst.Slice(from, n).CopyTo(dst[d..]);
            d += n;
        }
    }

    // Port of golang/snappy encode_other.go encodeBlock: greedy LZ77 with a hash of 4-byte
    // sequences and Go's skip heuristic (lookups spread out by 1 + misses/32 over incompressible
    // stretches). block.Length is in [MinNonLiteralBlockSize, MaxBlockSize].
    private static int EncodeBlock(Span<byte> dst, ReadOnlySpan<byte> block, Span<ushort> table)
    {
        int shift = 32 - 8;
        int tableSize = 1 << 8;
        while (tableSize < MaxTableSize && tableSize < block.Length)
        {
            tableSize *= 2;
            shift--;
        }

        table = table[..tableSize];
        table.Clear();

        int d = 0;
        int sLimit = block.Length - InputMargin;
        int nextEmit = 0;
        int s = 1;
        uint nextHash = Hash(Load32(block, s), shift);

        while (true)
        {
            int skip = 32;
            int nextS = s;
            int candidate;
            while (true)
            {
                s = nextS;
                int bytesBetweenHashLookups = skip >> 5;
                nextS = s + bytesBetweenHashLookups;
                skip += bytesBetweenHashLookups;
                if (nextS > sLimit)
                {
                    goto EmitRemainder;
                }

                candidate = table[(int)nextHash];
                table[(int)nextHash] = (ushort)s;
                nextHash = Hash(Load32(block, nextS), shift);
                if (Load32(block, s) == Load32(block, candidate))
                {
                    break;
                }
            }

            d += EmitLiteral(dst[d..], block[nextEmit..s]);

            // Emit copies for as long as the byte after a match starts another match.
            while (true)
            {
                int matchStart = s;
                s = ExtendMatch(block, candidate + 4, s + 4);
                d += EmitCopy(dst[d..], matchStart - candidate, s - matchStart);
                nextEmit = s;
                if (s >= sLimit)
                {
                    goto EmitRemainder;
                }

                ulong x = Load64(block, s - 1);
                table[(int)Hash((uint)x, shift)] = (ushort)(s - 1);
                uint currHash = Hash((uint)(x >> 8), shift);
                candidate = table[(int)currHash];
                table[(int)currHash] = (ushort)s;
                if ((uint)(x >> 8) != Load32(block, candidate))
                {
                    nextHash = Hash((uint)(x >> 16), shift);
                    s++;
                    break;
                }
            }
        }

    EmitRemainder:
        if (nextEmit < block.Length)
        {
            d += EmitLiteral(dst[d..], block[nextEmit..]);
        }

        return d;
    }

    // Returns the end of the match: compares 8 bytes at a time and locates the first difference
    // with a trailing-zero count, then finishes byte by byte near the block end.
    private static int ExtendMatch(ReadOnlySpan<byte> block, int i, int j)
    {
        while (j <= block.Length - 8)
        {
            ulong diff = Load64(block, i) ^ Load64(block, j);
            if (diff != 0)
            {
                return j + (BitOperations.TrailingZeroCount(diff) >> 3);
            }

            i += 8;
            j += 8;
        }

        while (j < block.Length && block[i] == block[j])
        {
            i++;
            j++;
        }

        return j;
    }

    private static int EmitLiteral(Span<byte> dst, ReadOnlySpan<byte> literal)
    {
        // Literals never exceed one 64 KiB block, so at most two length bytes are needed.
        uint n = (uint)literal.Length - 1;
        int i;
        if (n < 60)
        {
            dst[0] = (byte)((n << 2) | TagLiteral);
            i = 1;
        }
        else if (n < 1 << 8)
        {
            dst[0] = (60 << 2) | TagLiteral;
            dst[1] = (byte)n;
            i = 2;
        }
        else
        {
            dst[0] = (61 << 2) | TagLiteral;
            dst[1] = (byte)n;
            dst[2] = (byte)(n >> 8);
            i = 3;
        }

        literal.CopyTo(dst[i..]);
        return i + literal.Length;
    }

    // Same element choice as Go: copy-2 chunks of 64 (or 60, so that the tail is >= 4 and can
    // still use copy-1), then copy-1 for short near matches.
    private static int EmitCopy(Span<byte> dst, int offset, int length)
    {
        int i = 0;
        while (length >= 68)
        {
            dst[i] = (63 << 2) | TagCopy2;
            dst[i + 1] = (byte)offset;
            dst[i + 2] = (byte)(offset >> 8);
            i += 3;
            length -= 64;
        }

        if (length > 64)
        {
            dst[i] = (59 << 2) | TagCopy2;
            dst[i + 1] = (byte)offset;
            dst[i + 2] = (byte)(offset >> 8);
            i += 3;
            length -= 60;
        }

        if (length >= 12 || offset >= 2048)
        {
            dst[i] = (byte)(((length - 1) << 2) | TagCopy2);
            dst[i + 1] = (byte)offset;
            dst[i + 2] = (byte)(offset >> 8);
            return i + 3;
        }

        dst[i] = (byte)(((offset >> 8) << 5) | ((length - 4) << 2) | TagCopy1);
        dst[i + 1] = (byte)offset;
        return i + 2;
    }

    private static int WriteUvarint(Span<byte> dst, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            dst[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        dst[i++] = (byte)value;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint u, int shift) => (u * 0x1e35a7bd) >> shift;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Load32(ReadOnlySpan<byte> b, int i) => BinaryPrimitives.ReadUInt32LittleEndian(b[i..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Load64(ReadOnlySpan<byte> b, int i) => BinaryPrimitives.ReadUInt64LittleEndian(b[i..]);

    // Error text is built out of line so the decode loop stays small; corrupt input is rare.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string DstTooSmall(int length, int dstLength)
        => $"snappy: decoded length {length} exceeds destination of {dstLength} bytes";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Truncated(string what, int at, int decoded)
        => $"snappy: corrupt input: truncated {what} at body offset {at} after {decoded} bytes decoded";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string LiteralBeyondInput(long length, int remaining, int decoded)
        => $"snappy: corrupt input: literal of {length} bytes but only {remaining} input bytes remain after {decoded} bytes decoded";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Overflow(string what, int length, int decoded, int declared)
        => $"snappy: corrupt input: {what} of {length} bytes at {decoded} overruns declared length {declared}";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string BadOffset(uint offset, int decoded)
        => offset == 0
            ? $"snappy: corrupt input: copy offset 0 after {decoded} bytes decoded"
            : $"snappy: corrupt input: copy offset {offset} beyond {decoded} bytes decoded";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ShortOutput(int decoded, int declared)
        => $"snappy: corrupt input: decoded {decoded} bytes but header declared {declared}";

    [DoesNotReturn]
    private static void ThrowDestinationTooSmall(int required)
        => throw new ArgumentException(
            required < 0
                ? "snappy: source too large to encode"
                : $"snappy: destination must be at least MaxEncodedLength = {required} bytes",
            "dst");
}
