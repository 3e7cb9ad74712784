using System.Buffers.Binary;

namespace Strata.Storage.Blocks;

/// <summary>A deleted time range of one series, inclusive at both ends (Prometheus's <c>tombstones.Interval</c>).</summary>
public readonly record struct TombstoneInterval(long MinTime, long MaxTime)
{
    public bool Contains(long t) => MinTime <= t && t <= MaxTime;
    public bool Overlaps(long mint, long maxt) => MinTime <= maxt && mint <= MaxTime;
}

/// <summary>
/// The <c>tombstones</c> file: magic 0x0130BA30, format byte 1, then (series ref uvarint, mint varint,
/// maxt varint) per interval, then CRC-32C of everything after the format byte. See FORMAT.md.
/// </summary>
internal static class TombstonesFile
{
    public const string FileName = "tombstones";
    public const uint Magic = 0x0130BA30;
    public const byte FormatV1 = 1;
    private const int HeaderSize = 5;

    /// <summary>Serialises intervals by series ref, refs ascending as Prometheus writes them.</summary>
    public static byte[] Encode(IReadOnlyDictionary<long, TombstoneInterval[]> tombstones)
    {
        var buf = new EncBuf();
        buf.PutBE32(Magic);
        buf.PutByte(FormatV1);
        var refs = tombstones.Keys.ToArray();
        Array.Sort(refs);
        foreach (long r in refs)
        {
            foreach (var iv in tombstones[r])
            {
                buf.PutUvarint((ulong)r);
                buf.PutVarint(iv.MinTime);
                buf.PutVarint(iv.MaxTime);
            }
        }
        buf.PutCrcOf(HeaderSize);
        return buf.Span.ToArray();
    }

    /// <summary>Reads the file; a missing file means no tombstones (Prometheus tolerates that too).</summary>
    public static Dictionary<long, TombstoneInterval[]> Read(string path)
    {
        var result = new Dictionary<long, TombstoneInterval[]>();
        if (!File.Exists(path)) return result;
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < HeaderSize + 4) throw new CorruptBlockException(path, 0, $"tombstones file too short ({b.Length} bytes)");
        if (BinaryPrimitives.ReadUInt32BigEndian(b) != Magic) throw new CorruptBlockException(path, 0, "invalid tombstones magic");
        if (b[4] != FormatV1) throw new CorruptBlockException(path, 4, $"unsupported tombstones format {b[4]}");
        var body = b.AsSpan(HeaderSize, b.Length - HeaderSize - 4);
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(b.Length - 4)))
            throw new CorruptBlockException(path, b.Length - 4, "tombstones checksum mismatch");

        var byRef = new Dictionary<long, List<TombstoneInterval>>();
        var r = new BinReader(body);
        while (r.Remaining > 0)
        {
            int at = r.Position;
            ulong sref = r.Uvarint();
            long mint = r.Varint64();
            long maxt = r.Varint64();
            if (r.Failed || sref > long.MaxValue) throw new CorruptBlockException(path, HeaderSize + at, "truncated tombstone");
            if (!byRef.TryGetValue((long)sref, out var list)) byRef[(long)sref] = list = [];
            list.Add(new TombstoneInterval(mint, maxt));
        }
        foreach (var (k, v) in byRef) result[k] = Merge(v);
        return result;
    }

    /// <summary>Sorts and coalesces overlapping or adjacent intervals (as Prometheus's <c>Intervals.Add</c>).</summary>
    public static TombstoneInterval[] Merge(List<TombstoneInterval> list)
    {
        list.Sort(static (a, b) => a.MinTime.CompareTo(b.MinTime));
        var merged = new List<TombstoneInterval>(list.Count);
        foreach (var iv in list)
        {
            if (merged.Count > 0 && iv.MinTime <= merged[^1].MaxTime + 1 && merged[^1].MaxTime != long.MaxValue)
            {
                var last = merged[^1];
                merged[^1] = last with { MaxTime = Math.Max(last.MaxTime, iv.MaxTime) };
            }
            else if (merged.Count > 0 && merged[^1].MaxTime == long.MaxValue)
            {
                continue;
            }
            else
            {
                merged.Add(iv);
            }
        }
        return [.. merged];
    }
}
