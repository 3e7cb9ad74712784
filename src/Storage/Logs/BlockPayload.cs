using System.Buffers;
using Strata.Storage.Chunks;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

/// <summary>
/// Encodes a chunk's entries into the uncompressed block payload of FORMAT.md ("Payload"): entries
/// sorted by (timestamp, arrival), stored column by column (timestamp deltas, line lengths,
/// metadata references, then all line bytes back to back), and builds the block's
/// <see cref="NgramFilter"/> on the way.
/// </summary>
/// <remarks>
/// Columns rather than Loki's interleaved (timestamp, length, line) records: the text then forms one
/// run the compressor sees uninterrupted, and decoding reads two small varint columns instead of
/// parsing every line's header. Measured on an earlier version of the benchmark corpus with
/// Deflate 6: 9.44× columnar vs 9.25× interleaved, and 5–15 % faster to inflate.
/// </remarks>
internal static class BlockPayload
{
    public const byte FlagMetadata = 1;

    /// <summary>Upper bound of the encoded size.</summary>
    public static int MaxLength(int count, int dataLength, bool hasMetadata) =>
        32 + count * 16 + (hasMetadata ? dataLength * 6 + count * 5 : dataLength);

    /// <summary>
    /// Encodes <paramref name="entries"/> (lines and metadata in <paramref name="data"/>) into
    /// <paramref name="dst"/>; adds every line to <paramref name="filter"/> when given.
    /// </summary>
    public static int Encode(ReadOnlySpan<byte> data, ReadOnlySpan<HeadEntry> entries, bool sorted, bool hasMetadata, Span<byte> dst, byte[]? filter,
        out long minTs, out long maxTs)
    {
        int n = entries.Length;
        (long Ts, int Index)[]? keys = null;
        int[] order = ArrayPool<int>.Shared.Rent(Math.Max(n, 1));
        try
        {
            if (sorted)
            {
                for (int i = 0; i < n; i++) order[i] = i;
            }
            else
            {
                // Stable by arrival: equal timestamps keep push order (the index breaks ties).
                keys = ArrayPool<(long, int)>.Shared.Rent(n);
                for (int i = 0; i < n; i++) keys[i] = (entries[i].Ts, i);
                keys.AsSpan(0, n).Sort();
                for (int i = 0; i < n; i++) order[i] = keys[i].Index;
            }
            minTs = n == 0 ? 0 : entries[order[0]].Ts;
            maxTs = n == 0 ? 0 : entries[order[n - 1]].Ts;

            dst[0] = hasMetadata ? FlagMetadata : (byte)0;
            int pos = 1;
            pos += Varint.PutUvarint(dst[pos..], (ulong)n);
            pos += Varint.PutVarint(dst[pos..], minTs);
            long prev = minTs;
            for (int i = 0; i < n; i++)
            {
                long ts = entries[order[i]].Ts;
                pos += Varint.PutUvarint(dst[pos..], (ulong)(ts - prev));
                prev = ts;
            }
            for (int i = 0; i < n; i++) pos += Varint.PutUvarint(dst[pos..], (ulong)entries[order[i]].LineLength);
            if (hasMetadata) pos += EncodeMetadata(data, entries, order.AsSpan(0, n), dst[pos..]);
            for (int i = 0; i < n; i++)
            {
                ref readonly var e = ref entries[order[i]];
                var line = data.Slice(e.Offset, e.LineLength);
                line.CopyTo(dst[pos..]);
                pos += line.Length;
                if (filter != null) NgramFilter.AddLine(filter, line);
            }
            return pos;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            if (keys != null) ArrayPool<(long, int)>.Shared.Return(keys);
        }
    }

    /// <summary>Symbol table (each distinct name or value once, in first-use order), then per entry its pairs as symbol numbers.</summary>
    private static int EncodeMetadata(ReadOnlySpan<byte> data, ReadOnlySpan<HeadEntry> entries, ReadOnlySpan<int> order, Span<byte> dst)
    {
        // Metadata is the rare case (most streams carry none), so a dictionary per block is fine here.
        var symbols = new Dictionary<string, int>(StringComparer.Ordinal);
        var symbolList = new List<(int Offset, int Length)>();
        foreach (int idx in order)
        {
            ref readonly var e = ref entries[idx];
            var reader = new SpanReader(data.Slice(e.Offset + e.LineLength, e.MetaLength));
            int pairs = e.MetaLength == 0 ? 0 : (int)reader.ReadUvarint();
            for (int p = 0; p < pairs * 2 && !reader.Failed; p++)
            {
                int len = (int)reader.ReadUvarint();
                int start = reader.Skip(len);
                if (start < 0) break;
                string key = System.Text.Encoding.UTF8.GetString(data.Slice(e.Offset + e.LineLength + start, len));
                if (!symbols.ContainsKey(key))
                {
                    symbols.Add(key, symbolList.Count);
                    symbolList.Add((e.Offset + e.LineLength + start, len));
                }
            }
        }
        int pos = Varint.PutUvarint(dst, (ulong)symbolList.Count);
        foreach (var (off, len) in symbolList)
        {
            pos += Varint.PutUvarint(dst[pos..], (ulong)len);
            data.Slice(off, len).CopyTo(dst[pos..]);
            pos += len;
        }
        foreach (int idx in order)
        {
            ref readonly var e = ref entries[idx];
            var meta = data.Slice(e.Offset + e.LineLength, e.MetaLength);
            var reader = new SpanReader(meta);
            int pairs = e.MetaLength == 0 ? 0 : (int)reader.ReadUvarint();
            pos += Varint.PutUvarint(dst[pos..], (ulong)pairs);
            for (int p = 0; p < pairs * 2; p++)
            {
                int len = (int)reader.ReadUvarint();
                int start = reader.Skip(len);
                string key = start < 0 ? "" : System.Text.Encoding.UTF8.GetString(meta.Slice(start, len));
                pos += Varint.PutUvarint(dst[pos..], (ulong)symbols.GetValueOrDefault(key));
            }
        }
        return pos;
    }
}
