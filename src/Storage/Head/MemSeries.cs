using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Head;

/// <summary>
/// One series in the head: its labels, its in-order chunks (sealed ones plus the open head chunk)
/// and, when an out-of-order window is configured, a small sorted buffer of out-of-order samples.
/// </summary>
/// <remarks>
/// Contract: <see cref="Ref"/>, <see cref="Labels"/> and the key are immutable. Appends, truncation
/// and snapshots lock on the series object itself (no separate lock object: most series are never
/// contended, and the monitor costs nothing until they are). Sealed chunks live in an array that is
/// replaced, never modified in place below its count, so a snapshot is a reference plus a count.
/// Invariant: sealed chunks and the head chunk are in time order and do not overlap; out-of-order
/// samples live only in the OOO buffer, sorted by time, unique timestamps.
/// </remarks>
public sealed class MemSeries
{
    private static readonly ChunkSnapshot[] NoChunks = [];

    private ChunkSnapshot[] _sealed = NoChunks;
    private int _sealedCount;
    private XorChunk? _head;
    private long _headEnd;           // first timestamp that must go into a new chunk
    private long _maxTime = long.MinValue;
    private ulong _lastValueBits;
    private List<(long T, ulong Bits)>? _ooo;

    internal MemSeries(int id, LabelSet labels, byte[] key, ulong hash)
    {
        Ref = id;
        Labels = labels;
        Key = key;
        Hash = hash;
    }

    public int Ref { get; }
    public LabelSet Labels { get; }
    /// <summary>The <see cref="SeriesKey"/> bytes the ingest path compares against.</summary>
    internal byte[] Key { get; }
    internal ulong Hash { get; }
    internal MemSeries? NextSameHash { get; set; }

    /// <summary>Set once the WAL holds this series' definition (guarded by the database's append lock).</summary>
    internal bool Logged { get; set; }

    /// <summary>
    /// Set when garbage collection removed the series from the head (under the database's append
    /// lock). An appender that resolved the series earlier must resolve it again.
    /// </summary>
    public bool Removed { get; internal set; }

    public long MaxTime
    {
        get
        {
            lock (this) return _maxTime;
        }
    }

    /// <summary>
    /// Appends under the caller's lock on this series. <paramref name="minValid"/> is the head's lower
    /// bound (older samples belong to persisted blocks); <paramref name="oooFloor"/> the oldest
    /// out-of-order timestamp accepted (long.MaxValue when the window is off).
    /// </summary>
    internal AppendResult AppendLocked(long t, double v, HeadOptions options, long minValid, long oooFloor)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        if (t < minValid) return AppendResult.OutOfBounds;
        if (_maxTime != long.MinValue)
        {
            if (t == _maxTime) return bits == _lastValueBits ? AppendResult.Duplicate : AppendResult.DuplicateTimestamp;
            if (t < _maxTime)
            {
                if (HoldsLocked(t, bits)) return AppendResult.Duplicate;
                if (t < oooFloor) return AppendResult.OutOfOrder;
                return InsertOutOfOrder(t, bits);
            }
            if (_head != null && (_head.Count >= options.SamplesPerChunk || t >= _headEnd)) Cut();
        }
        if (_head == null)
        {
            _head = new XorChunk(64);
            long range = options.ChunkRangeMs;
            long q = t / range;
            if (t % range != 0 && t < 0) q--;
            _headEnd = (q + 1) * range;
        }
        _head.Append(t, v);
        _maxTime = t;
        _lastValueBits = bits;
        return AppendResult.Appended;
    }

    private AppendResult InsertOutOfOrder(long t, ulong bits)
    {
        _ooo ??= [];
        int lo = 0, hi = _ooo.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_ooo[mid].T < t) lo = mid + 1;
            else hi = mid;
        }
        if (lo < _ooo.Count && _ooo[lo].T == t) return _ooo[lo].Bits == bits ? AppendResult.Duplicate : AppendResult.DuplicateTimestamp;
        // The in-order chunks may hold the timestamp with another value.
        if (HoldsTimestampLocked(t)) return AppendResult.DuplicateTimestamp;
        _ooo.Insert(lo, (t, bits));
        return AppendResult.Appended;
    }

    /// <summary>
    /// True if the series already holds exactly this sample. Only called for a sample older than the
    /// newest one, so that a retried batch of several samples per series is a no-op rather than
    /// an out-of-order error (Prometheus only recognises a retry of the newest sample).
    /// </summary>
    private bool HoldsLocked(long t, ulong bits)
    {
        if (_ooo != null)
        {
            foreach (var (ot, ob) in _ooo)
            {
                if (ot == t) return ob == bits;
            }
        }
        var c = FindChunk(t);
        if (c is not { } chunk) return false;
        var it = new XorIterator(chunk);
        return it.Seek(t) && it.Timestamp == t && it.ValueBits == bits;
    }

    private bool HoldsTimestampLocked(long t)
    {
        var c = FindChunk(t);
        if (c is not { } chunk) return false;
        var it = new XorIterator(chunk);
        return it.Seek(t) && it.Timestamp == t;
    }

    private ChunkSnapshot? FindChunk(long t)
    {
        if (_head != null && _head.Count > 0 && t >= _head.MinTime) return _head.Snapshot();
        for (int i = _sealedCount - 1; i >= 0; i--)
        {
            ref readonly var c = ref _sealed[i];
            if (t > c.MaxTime) return null;
            if (t >= c.MinTime) return c;
        }
        return null;
    }

    private void Cut()
    {
        if (_sealedCount == _sealed.Length)
        {
            var bigger = new ChunkSnapshot[Math.Max(4, _sealed.Length * 2)];
            _sealed.AsSpan(0, _sealedCount).CopyTo(bigger);
            _sealed = bigger;
        }
        _sealed[_sealedCount++] = _head!.Seal();
        _head = null;
    }

    /// <summary>
    /// Chunks that may hold samples in [mint, maxt], oldest first. Out-of-order samples in the range
    /// come as one extra chunk at the end, which overlaps the others; readers merge.
    /// </summary>
    public void CollectChunks(long mint, long maxt, List<ChunkSnapshot> into)
    {
        ChunkSnapshot[] sealedChunks;
        int count;
        ChunkSnapshot? head = null;
        ChunkSnapshot? ooo = null;
        lock (this)
        {
            sealedChunks = _sealed;
            count = _sealedCount;
            if (_head != null && _head.Count > 0) head = _head.Snapshot();
            if (_ooo is { Count: > 0 }) ooo = EncodeOutOfOrder(mint, maxt);
        }
        for (int i = 0; i < count; i++)
        {
            ref readonly var c = ref sealedChunks[i];
            if (c.MaxTime >= mint && c.MinTime <= maxt) into.Add(c);
        }
        if (head is { } h && h.MaxTime >= mint && h.MinTime <= maxt) into.Add(h);
        if (ooo is { } o) into.Add(o);
    }

    private ChunkSnapshot? EncodeOutOfOrder(long mint, long maxt)
    {
        XorChunk? chunk = null;
        foreach (var (t, bits) in _ooo!)
        {
            if (t < mint || t > maxt) continue;
            chunk ??= new XorChunk(64);
            if (chunk.Count == ushort.MaxValue) break;
            chunk.Append(t, BitConverter.UInt64BitsToDouble(bits));
        }
        return chunk?.Seal();
    }

    /// <summary>Number of chunks, sealed and open (for status pages).</summary>
    public int ChunkCount
    {
        get
        {
            lock (this) return _sealedCount + (_head != null ? 1 : 0);
        }
    }

    /// <summary>
    /// Drops chunks and out-of-order samples entirely before <paramref name="before"/> (they are in a
    /// block now). Returns true if the series holds no samples afterwards.
    /// </summary>
    internal bool TruncateLocked(long before)
    {
        int drop = 0;
        while (drop < _sealedCount && _sealed[drop].MaxTime < before) drop++;
        if (drop > 0)
        {
            var kept = _sealedCount - drop == 0 ? NoChunks : _sealed.AsSpan(drop, _sealedCount - drop).ToArray();
            _sealed = kept;
            _sealedCount = kept.Length;
        }
        if (_head != null && _head.Count > 0 && _head.MaxTime < before) _head = null;
        _ooo?.RemoveAll(s => s.T < before);
        if (_ooo is { Count: 0 }) _ooo = null;
        return _sealedCount == 0 && _head == null && _ooo == null;
    }

    /// <summary>Everything the series holds, for a checkpoint: in-order chunks, then out-of-order samples as one chunk.</summary>
    internal List<ChunkSnapshot> SnapshotLocked()
    {
        var list = new List<ChunkSnapshot>(_sealedCount + 2);
        for (int i = 0; i < _sealedCount; i++) list.Add(_sealed[i]);
        if (_head != null && _head.Count > 0) list.Add(_head.Snapshot());
        if (_ooo is { Count: > 0 } && EncodeOutOfOrder(long.MinValue, long.MaxValue) is { } o) list.Add(o);
        return list;
    }

    /// <summary>
    /// Rebuilds state from checkpointed chunks: in-order chunks become sealed chunks except the last,
    /// which is re-encoded into an open chunk so appends continue; a chunk overlapping its
    /// predecessor holds out-of-order samples.
    /// </summary>
    internal void RestoreLocked(IReadOnlyList<ChunkSnapshot> chunks, HeadOptions options)
    {
        long lastMax = long.MinValue;
        var inOrder = new List<ChunkSnapshot>(chunks.Count);
        var outOfOrder = new List<ChunkSnapshot>();
        foreach (var c in chunks)
        {
            if (c.Count == 0) continue;
            if (c.MinTime <= lastMax)
            {
                outOfOrder.Add(c);
                continue;
            }
            inOrder.Add(c);
            lastMax = c.MaxTime;
        }
        for (int i = 0; i < inOrder.Count - 1; i++)
        {
            if (_sealedCount == _sealed.Length) Array.Resize(ref _sealed, Math.Max(4, _sealed.Length * 2));
            _sealed[_sealedCount++] = inOrder[i];
        }
        if (inOrder.Count > 0)
        {
            var last = inOrder[^1];
            if (_sealedCount > 0) _maxTime = _sealed[_sealedCount - 1].MaxTime;
            var reopen = options with { SamplesPerChunk = ushort.MaxValue };
            var it = new XorIterator(last);
            // Re-appending reproduces the same bytes and restores the encoder's state.
            while (it.MoveNext()) AppendLocked(it.Timestamp, it.Value, reopen, long.MinValue, long.MaxValue);
        }
        foreach (var c in outOfOrder)
        {
            var it = new XorIterator(c);
            while (it.MoveNext()) InsertOutOfOrder(it.Timestamp, it.ValueBits);
        }
    }
}
