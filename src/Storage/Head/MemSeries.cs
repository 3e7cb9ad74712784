using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Head;

/// <summary>
/// One series in the head: its labels and its chunks (sealed ones plus the open head chunk).
/// </summary>
/// <remarks>
/// Contract: <see cref="Ref"/>, <see cref="Labels"/> and the hash are immutable. Appends and
/// snapshots lock on the series object itself (no separate lock object: most series are never
/// contended, and the monitor costs nothing until they are). Sealed chunks live in an array that is
/// only appended to (copy on growth), so a snapshot is a reference plus a count.
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

    public long MaxTime
    {
        get
        {
            lock (this) return _maxTime;
        }
    }

    /// <summary>Appends under the caller's lock on this series (see <see cref="Head.Append"/>).</summary>
    internal AppendResult AppendLocked(long t, double v, HeadOptions options)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(v);
        if (_head != null)
        {
            if (t < _maxTime) return HoldsLocked(t, bits) ? AppendResult.Duplicate : AppendResult.OutOfOrder;
            if (t == _maxTime) return bits == _lastValueBits ? AppendResult.Duplicate : AppendResult.DuplicateTimestamp;
            if (_head.Count >= options.SamplesPerChunk || t >= _headEnd) Cut();
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

    /// <summary>
    /// True if the series already holds exactly this sample. Only called for a sample older than the
    /// newest one, so that a retried batch of several samples per series is a no-op rather than
    /// an out-of-order error (Prometheus only recognises a retry of the newest sample).
    /// </summary>
    private bool HoldsLocked(long t, ulong bits)
    {
        if (_head != null && t >= _head.MinTime) return Contains(_head.Snapshot(), t, bits);
        for (int i = _sealedCount - 1; i >= 0; i--)
        {
            ref readonly var c = ref _sealed[i];
            if (t > c.MaxTime) return false;
            if (t >= c.MinTime) return Contains(c, t, bits);
        }
        return false;
    }

    private static bool Contains(ChunkSnapshot chunk, long t, ulong bits)
    {
        var it = new XorIterator(chunk);
        if (!it.Seek(t)) return false;
        return it.Timestamp == t && it.ValueBits == bits;
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

    /// <summary>Chunks that may hold samples in [mint, maxt], oldest first.</summary>
    public void CollectChunks(long mint, long maxt, List<ChunkSnapshot> into)
    {
        ChunkSnapshot[] sealedChunks;
        int count;
        ChunkSnapshot? head = null;
        lock (this)
        {
            sealedChunks = _sealed;
            count = _sealedCount;
            if (_head != null && _head.Count > 0) head = _head.Snapshot();
        }
        for (int i = 0; i < count; i++)
        {
            ref readonly var c = ref sealedChunks[i];
            if (c.MaxTime >= mint && c.MinTime <= maxt) into.Add(c);
        }
        if (head is { } h && h.MaxTime >= mint && h.MinTime <= maxt) into.Add(h);
    }

    /// <summary>Number of chunks, sealed and open (for status pages).</summary>
    public int ChunkCount
    {
        get
        {
            lock (this) return _sealedCount + (_head != null ? 1 : 0);
        }
    }
}
