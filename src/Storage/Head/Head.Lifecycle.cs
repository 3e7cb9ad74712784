using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Head;

public sealed partial class Head
{
    /// <summary>
    /// Creates a series with a given ref (WAL replay and checkpoint restore keep refs stable across
    /// restarts, so refs in the WAL and in checkpoints always mean the same series). If the labels
    /// already exist under another ref, that series is returned.
    /// </summary>
    public MemSeries CreateWithRef(int reference, LabelSet labels)
    {
        byte[] key = SeriesKey.Of(labels);
        ulong hash = SeriesKey.Hash(key);
        var found = Find(key, hash);
        if (found != null) return found;
        var pairs = new Label[labels.Count];
        for (int i = 0; i < pairs.Length; i++) pairs[i] = Index.Intern(labels[i].Name, labels[i].Value);
        return CreateWithRef(reference, new LabelSet(pairs), key, hash);
    }

    /// <summary>
    /// <see cref="CreateWithRef(int, LabelSet)"/> for labels given as UTF-8 ranges (checkpoint and WAL
    /// records): no strings are allocated for names and values the index already holds.
    /// </summary>
    public MemSeries CreateWithRef(int reference, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
    {
        byte[] key = new byte[SeriesKey.Size(labels)];
        SeriesKey.Write(buffer, labels, key);
        ulong hash = SeriesKey.Hash(key);
        var found = Find(key, hash);
        if (found != null) return found;
        var pairs = new Label[labels.Length];
        for (int i = 0; i < pairs.Length; i++) pairs[i] = Index.Intern(labels[i].Name(buffer), labels[i].Value(buffer));
        return CreateWithRef(reference, new LabelSet(pairs), key, hash);
    }

    private MemSeries CreateWithRef(int reference, LabelSet interned, byte[] key, ulong hash)
    {
        var stripe = _stripes[(int)(hash & (ulong)(_stripes.Length - 1))];
        MemSeries series;
        lock (stripe.Lock)
        {
            stripe.ByHash.TryGetValue(hash, out var first);
            for (var s = first; s != null; s = s.NextSameHash)
            {
                if (key.AsSpan().SequenceEqual(s.Key)) return s;
            }
            if (GetById(reference) != null) throw new InvalidOperationException($"series ref {reference} is already taken");
            series = new MemSeries(reference, interned, key, hash) { NextSameHash = first, Logged = true };
            Publish(series);
            stripe.ByHash[hash] = series;
            int last;
            while (reference > (last = Volatile.Read(ref _lastId)))
            {
                if (Interlocked.CompareExchange(ref _lastId, reference, last) == last) break;
            }
        }
        Index.Add(series.Ref, series.Labels);
        Interlocked.Increment(ref _numSeries);
        return series;
    }

    /// <summary>Restores a series' chunks from a checkpoint.</summary>
    public void Restore(MemSeries series, IReadOnlyList<ChunkSnapshot> chunks)
    {
        long min = long.MaxValue, max = long.MinValue;
        lock (series)
        {
            series.RestoreLocked(chunks, Options);
        }
        foreach (var c in chunks)
        {
            if (c.Count == 0) continue;
            min = Math.Min(min, c.MinTime);
            max = Math.Max(max, c.MaxTime);
        }
        if (min <= max) UpdateBounds(min, max);
    }

    /// <summary>Calls <paramref name="action"/> for every live series, in ref order.</summary>
    public void ForEachSeries(Action<MemSeries> action)
    {
        int last = Volatile.Read(ref _lastId);
        for (int id = 1; id <= last; id++)
        {
            var s = GetById(id);
            if (s != null && !s.Removed) action(s);
        }
    }

    /// <summary>
    /// Drops data before <paramref name="before"/> (now persisted in blocks) and removes series left
    /// empty. The caller holds the database's append lock, so no append is in flight; appenders that
    /// resolved a removed series see <see cref="MemSeries.Removed"/> and resolve it again.
    /// </summary>
    public int Truncate(long before)
    {
        SetMinValidTime(before);
        var removed = new Dictionary<int, LabelSet>();
        ForEachSeries(s =>
        {
            bool empty;
            lock (s) empty = s.TruncateLocked(before);
            if (empty) removed[s.Ref] = s.Labels;
        });
        foreach (var id in removed.Keys)
        {
            var s = GetById(id)!;
            var stripe = _stripes[(int)(s.Hash & (ulong)(_stripes.Length - 1))];
            lock (stripe.Lock)
            {
                // Unlink from the hash chain.
                if (stripe.ByHash.TryGetValue(s.Hash, out var first))
                {
                    if (first == s)
                    {
                        if (s.NextSameHash == null) stripe.ByHash.Remove(s.Hash);
                        else stripe.ByHash[s.Hash] = s.NextSameHash;
                    }
                    else
                    {
                        for (var p = first; p != null; p = p.NextSameHash)
                        {
                            if (p.NextSameHash == s)
                            {
                                p.NextSameHash = s.NextSameHash;
                                break;
                            }
                        }
                    }
                }
                s.Removed = true;
            }
            var seg = _segments[id >> SegmentBits]!;
            Volatile.Write(ref seg[id & (SegmentSize - 1)], null);
        }
        Index.Remove(removed);
        Interlocked.Add(ref _numSeries, -removed.Count);
        // The head's time bounds shrink to what is left.
        long min = long.MaxValue;
        ForEachSeries(s =>
        {
            var chunks = new List<ChunkSnapshot>();
            s.CollectChunks(long.MinValue, long.MaxValue, chunks);
            foreach (var c in chunks) min = Math.Min(min, c.MinTime);
        });
        Interlocked.Exchange(ref _minTime, min);
        return removed.Count;
    }

    /// <summary>Every live series with all its chunks (for checkpoints). Call under the database's append lock.</summary>
    public List<(int Ref, LabelSet Labels, IReadOnlyList<ChunkSnapshot> Chunks)> Snapshot()
    {
        var result = new List<(int, LabelSet, IReadOnlyList<ChunkSnapshot>)>(NumSeries);
        ForEachSeries(s =>
        {
            List<ChunkSnapshot> chunks;
            lock (s) chunks = s.SnapshotLocked();
            result.Add((s.Ref, s.Labels, chunks));
        });
        return result;
    }

    /// <summary>
    /// Series with samples in [mint, maxt), sorted by labels, their chunks merged and cut to lie
    /// inside the range (for writing a block).
    /// </summary>
    public List<SeriesChunks> ExportRange(long mint, long maxt)
    {
        var result = new List<SeriesChunks>();
        var chunks = new List<ChunkSnapshot>();
        ForEachSeries(s =>
        {
            chunks.Clear();
            s.CollectChunks(mint, maxt - 1, chunks);
            if (chunks.Count == 0) return;
            bool inside = true;
            foreach (var c in chunks) inside &= c.MinTime >= mint && c.MaxTime < maxt;
            ChunkSnapshot[] final = !inside || ChunkMerger.Overlaps(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chunks))
                ? [.. ChunkMerger.Merge(Clip(chunks, mint, maxt), Options.SamplesPerChunk)]
                : [.. chunks];
            if (final.Length > 0) result.Add(new SeriesChunks(s.Labels, final));
        });
        result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        return result;
    }

    private static List<ChunkSnapshot> Clip(List<ChunkSnapshot> chunks, long mint, long maxt)
    {
        var clipped = new List<ChunkSnapshot>(chunks.Count);
        foreach (var c in chunks)
        {
            if (c.MinTime >= mint && c.MaxTime < maxt)
            {
                clipped.Add(c);
                continue;
            }
            var it = new XorIterator(c);
            XorChunk? part = null;
            while (it.MoveNext())
            {
                if (it.Timestamp < mint || it.Timestamp >= maxt) continue;
                part ??= new XorChunk(64);
                part.Append(it.Timestamp, it.Value);
            }
            if (part != null) clipped.Add(part.Seal());
        }
        return clipped;
    }
}
