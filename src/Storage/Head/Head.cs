using System.Buffers;
using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Storage.Head;

/// <summary>
/// The in-memory head of the TSDB: the series registry (a lock-striped hash map from label-set hash
/// to series), series by id, the postings index, and per-series XOR chunks.
/// </summary>
/// <remarks>
/// Thread safety: any number of threads may append and query at once. Lock order, where more than
/// one is held: stripe, then index; a series lock is never held while taking another lock.
/// Series ids increase monotonically from 1 and are never reused while the head lives.
/// </remarks>
public sealed partial class Head : ISeriesReader
{
    private const int SegmentBits = 16;
    private const int SegmentSize = 1 << SegmentBits;

    private readonly Stripe[] _stripes;
    private readonly MemSeries?[]?[] _segments = new MemSeries?[]?[1 << (31 - SegmentBits)];
    private readonly Lock _segmentLock = new();
    private int _lastId;
    private long _minTime = long.MaxValue;
    private long _minValidTime = long.MinValue;
    private long _maxTime = long.MinValue;
    private long _samplesAppended;
    private long _seriesCreated;
    private int _numSeries;

    public Head(HeadOptions? options = null)
    {
        Options = options ?? new HeadOptions();
        Options.Validate();
        _stripes = new Stripe[Options.Stripes];
        for (int i = 0; i < _stripes.Length; i++) _stripes[i] = new Stripe();
    }

    public HeadOptions Options { get; }
    public PostingsIndex Index { get; } = new();

    public int NumSeries => Volatile.Read(ref _numSeries);
    public long SamplesAppended => Interlocked.Read(ref _samplesAppended);
    public long SeriesCreated => Interlocked.Read(ref _seriesCreated);
    public long MinTime => Interlocked.Read(ref _minTime);

    /// <summary>Samples before this time are rejected as out of bounds: they belong to persisted blocks.</summary>
    public long MinValidTime => Volatile.Read(ref _minValidTime);

    public void SetMinValidTime(long t)
    {
        long cur;
        while (t > (cur = Volatile.Read(ref _minValidTime)))
        {
            if (Interlocked.CompareExchange(ref _minValidTime, t, cur) == cur) break;
        }
    }
    public long MaxTime => Interlocked.Read(ref _maxTime);

    private sealed class Stripe
    {
        public readonly Lock Lock = new();
        public readonly Dictionary<ulong, MemSeries> ByHash = new();
    }

    public MemSeries? GetById(int id)
    {
        if (id <= 0) return null;
        var seg = Volatile.Read(ref _segments[id >> SegmentBits]);
        return seg == null ? null : Volatile.Read(ref seg[id & (SegmentSize - 1)]);
    }

    /// <summary>Finds or creates the series with these labels (sorted, unique, non-empty values; validated by the caller).</summary>
    public MemSeries GetOrCreate(ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels, out bool created)
    {
        int size = SeriesKey.Size(labels);
        byte[]? rented = null;
        Span<byte> key = size <= 1024 ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            SeriesKey.Write(buffer, labels, key);
            ulong hash = SeriesKey.Hash(key);
            var found = Find(key, hash);
            if (found != null)
            {
                created = false;
                return found;
            }
            var pairs = new Label[labels.Length];
            for (int i = 0; i < labels.Length; i++) pairs[i] = Index.Intern(labels[i].Name(buffer), labels[i].Value(buffer));
            return Insert(new LabelSet(pairs), key.ToArray(), hash, out created);
        }
        finally
        {
            if (rented != null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Finds or creates the series for a label set built from strings.</summary>
    public MemSeries GetOrCreate(LabelSet labels, out bool created)
    {
        byte[] key = SeriesKey.Of(labels);
        ulong hash = SeriesKey.Hash(key);
        var found = Find(key, hash);
        if (found != null)
        {
            created = false;
            return found;
        }
        var pairs = new Label[labels.Count];
        for (int i = 0; i < pairs.Length; i++) pairs[i] = Index.Intern(labels[i].Name, labels[i].Value);
        return Insert(new LabelSet(pairs), key, hash, out created);
    }

    private MemSeries? Find(ReadOnlySpan<byte> key, ulong hash)
    {
        var stripe = _stripes[(int)(hash & (ulong)(_stripes.Length - 1))];
        lock (stripe.Lock)
        {
            for (var s = stripe.ByHash.GetValueOrDefault(hash); s != null; s = s.NextSameHash)
            {
                if (key.SequenceEqual(s.Key)) return s;
            }
        }
        return null;
    }

    private MemSeries Insert(LabelSet labels, byte[] key, ulong hash, out bool created)
    {
        var stripe = _stripes[(int)(hash & (ulong)(_stripes.Length - 1))];
        MemSeries series;
        lock (stripe.Lock)
        {
            // Another writer may have created it since the lookup.
            stripe.ByHash.TryGetValue(hash, out var first);
            for (var s = first; s != null; s = s.NextSameHash)
            {
                if (key.AsSpan().SequenceEqual(s.Key))
                {
                    created = false;
                    return s;
                }
            }
            int id = Interlocked.Increment(ref _lastId);
            series = new MemSeries(id, labels, key, hash) { NextSameHash = first };
            Publish(series);
            stripe.ByHash[hash] = series;
        }
        Index.Add(series.Ref, labels);
        Interlocked.Increment(ref _numSeries);
        Interlocked.Increment(ref _seriesCreated);
        created = true;
        return series;
    }

    private void Publish(MemSeries series)
    {
        int segIndex = series.Ref >> SegmentBits;
        var seg = Volatile.Read(ref _segments[segIndex]);
        if (seg == null)
        {
            lock (_segmentLock)
            {
                seg = _segments[segIndex];
                if (seg == null)
                {
                    seg = new MemSeries?[SegmentSize];
                    Volatile.Write(ref _segments[segIndex], seg);
                }
            }
        }
        Volatile.Write(ref seg[series.Ref & (SegmentSize - 1)], series);
    }
}
