namespace Strata.Storage.Chunks;

/// <summary>
/// Merges chunks of one series that may overlap in time (out-of-order samples, a head that
/// overlaps a block, overlapping blocks) into time-ordered, non-overlapping chunks of at most
/// <c>samplesPerChunk</c> samples. For equal timestamps the chunk listed later wins.
/// </summary>
public static class ChunkMerger
{
    /// <summary>True unless the chunks are in time order without overlap (the fast path for readers).</summary>
    public static bool Overlaps(ReadOnlySpan<ChunkSnapshot> chunks)
    {
        for (int i = 1; i < chunks.Length; i++)
        {
            if (chunks[i].MinTime <= chunks[i - 1].MaxTime) return true;
        }
        return false;
    }

    /// <summary>Decodes all chunks into time order, the later chunk winning on equal timestamps.</summary>
    public static (long[] T, ulong[] V) Samples(IReadOnlyList<ChunkSnapshot> chunks)
    {
        int total = 0;
        foreach (var c in chunks) total += c.Count;
        var ts = new long[total];
        var vs = new ulong[total];
        var order = new int[total];
        int n = 0;
        for (int ci = 0; ci < chunks.Count; ci++)
        {
            var it = new XorIterator(chunks[ci]);
            while (it.MoveNext() && n < total)
            {
                ts[n] = it.Timestamp;
                vs[n] = it.ValueBits;
                order[n] = n;
                n++;
            }
        }
        // Stable sort by time keeps chunk order among equal timestamps; then keep the last of each run.
        Array.Sort(order, 0, n, Comparer<int>.Create((a, b) => ts[a] != ts[b] ? ts[a].CompareTo(ts[b]) : a.CompareTo(b)));
        var outT = new long[n];
        var outV = new ulong[n];
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            int k = order[i];
            if (m > 0 && outT[m - 1] == ts[k])
            {
                outV[m - 1] = vs[k];
                continue;
            }
            outT[m] = ts[k];
            outV[m] = vs[k];
            m++;
        }
        Array.Resize(ref outT, m);
        Array.Resize(ref outV, m);
        return (outT, outV);
    }

    /// <summary>Merges and re-encodes into non-overlapping chunks.</summary>
    public static List<ChunkSnapshot> Merge(IReadOnlyList<ChunkSnapshot> chunks, int samplesPerChunk = 120)
    {
        var (ts, vs) = Samples(chunks);
        var result = new List<ChunkSnapshot>(ts.Length / samplesPerChunk + 1);
        XorChunk? cur = null;
        for (int i = 0; i < ts.Length; i++)
        {
            cur ??= new XorChunk(64);
            cur.Append(ts[i], BitConverter.UInt64BitsToDouble(vs[i]));
            if (cur.Count == samplesPerChunk)
            {
                result.Add(cur.Seal());
                cur = null;
            }
        }
        if (cur != null) result.Add(cur.Seal());
        return result;
    }
}
