using Strata.Storage.Chunks;
using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Storage.Head;

public sealed partial class Head
{
    /// <summary>
    /// Series matching all matchers with their chunks overlapping [mint, maxt]; series without such
    /// chunks are left out. Sorted by label set when <paramref name="sorted"/> is set.
    /// </summary>
    public List<SeriesChunks> Select(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt, bool sorted = true)
    {
        int[] ids = Index.Select(matchers);
        var result = new List<SeriesChunks>(ids.Length);
        var chunks = new List<ChunkSnapshot>();
        foreach (int id in ids)
        {
            var s = GetById(id);
            if (s == null) continue;
            chunks.Clear();
            s.CollectChunks(mint, maxt, chunks);
            if (chunks.Count == 0) continue;
            result.Add(new SeriesChunks(s.Labels, chunks.ToArray()));
        }
        if (sorted) result.Sort(static (a, b) => a.Labels.CompareTo(b.Labels));
        return result;
    }

    public string[] LabelNames() => Index.LabelNames();

    public string[] LabelValues(string name) => Index.LabelValues(name);

    /// <summary>Label sets of series matching the matchers that have samples in [mint, maxt] (unsorted).</summary>
    public List<LabelSet> SelectLabels(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt)
    {
        int[] ids = Index.Select(matchers);
        var result = new List<LabelSet>(ids.Length);
        bool unbounded = mint == long.MinValue && maxt == long.MaxValue;
        var chunks = new List<ChunkSnapshot>();
        foreach (int id in ids)
        {
            var s = GetById(id);
            if (s == null) continue;
            if (!unbounded)
            {
                chunks.Clear();
                s.CollectChunks(mint, maxt, chunks);
                if (chunks.Count == 0) continue;
            }
            result.Add(s.Labels);
        }
        return result;
    }
}

/// <summary>A series' labels and the chunks a query reads, oldest first.</summary>
public sealed record SeriesChunks(LabelSet Labels, ChunkSnapshot[] Chunks)
{
    /// <summary>Iterates samples in time order; overlapping chunks (out-of-order data, head over blocks) are merged first.</summary>
    public SeriesIterator Iterator() => new(ChunkMerger.Overlaps(Chunks) ? [.. ChunkMerger.Merge(Chunks, ushort.MaxValue)] : Chunks);
}

/// <summary>
/// Iterates the samples of a series across its chunks in time order. Chunks of one series are
/// written in order and never overlap within the head.
/// </summary>
public struct SeriesIterator
{
    private readonly ChunkSnapshot[] _chunks;
    private int _next;          // index of the chunk after the one being read
    private XorIterator _it;
    private bool _active;       // _it points into _chunks[_next - 1]
    private bool _hasCurrent;

    public SeriesIterator(ChunkSnapshot[] chunks)
    {
        _chunks = chunks;
        _next = 0;
        _it = default;
        _active = false;
        _hasCurrent = false;
    }

    public readonly long Timestamp => _it.Timestamp;
    public readonly double Value => _it.Value;
    public readonly ulong ValueBits => _it.ValueBits;
    public readonly bool Failed => _it.Failed;

    public bool MoveNext()
    {
        while (true)
        {
            if (_active)
            {
                if (_it.MoveNext()) return _hasCurrent = true;
                if (_it.Failed) return _hasCurrent = false;
            }
            if (_next >= _chunks.Length) return _hasCurrent = false;
            _it.Reset(_chunks[_next++]);
            _active = true;
        }
    }

    /// <summary>Advances to the first sample at or after t, skipping whole chunks that end before it.</summary>
    public bool Seek(long t)
    {
        // A corrupt chunk ends the series: resetting into a later chunk would clear the error.
        if (_it.Failed) return _hasCurrent = false;
        if (_hasCurrent && _it.Timestamp >= t) return true;
        if (!_active || _chunks[_next - 1].MaxTime < t)
        {
            while (_next < _chunks.Length && _chunks[_next].MaxTime < t) _next++;
            if (_next >= _chunks.Length)
            {
                // Exhausted: without dropping the current chunk, a later MoveNext would resume behind t.
                _active = false;
                return _hasCurrent = false;
            }
            _it.Reset(_chunks[_next++]);
            _active = true;
            _hasCurrent = false;
        }
        while (MoveNext())
        {
            if (_it.Timestamp >= t) return true;
        }
        return false;
    }
}
