namespace Strata.Storage.Index;

/// <summary>
/// Sorted series ids for one label pair.
/// </summary>
/// <remarks>
/// Invariant: ids in [0, count) are sorted ascending and unique; intersect and union rely on it.
/// Writers hold the owning index's lock. Ids are handed out in increasing order, so nearly every add
/// is an append in place; an id that arrives late (two series created concurrently) is inserted
/// into a fresh copy so that a reader's (array, count) snapshot never sees a shifted element.
/// </remarks>
internal sealed class PostingsList
{
    private int[] _ids = new int[1];
    private int _count;

    public int Count => _count;

    public void Add(int id)
    {
        if (_count == 0 || _ids[_count - 1] < id)
        {
            if (_count == _ids.Length)
            {
                var bigger = new int[_ids.Length * 2];
                _ids.AsSpan(0, _count).CopyTo(bigger);
                _ids = bigger;
            }
            _ids[_count] = id;
            _count++;
            return;
        }
        int pos = _ids.AsSpan(0, _count).BinarySearch(id);
        if (pos >= 0) return;
        pos = ~pos;
        var copy = new int[Math.Max(_ids.Length, _count + 1)];
        _ids.AsSpan(0, pos).CopyTo(copy);
        copy[pos] = id;
        _ids.AsSpan(pos, _count - pos).CopyTo(copy.AsSpan(pos + 1));
        _ids = copy;
        _count++;
    }

    /// <summary>Removes every id for which <paramref name="remove"/> is true; writes a new array.</summary>
    public void RemoveWhere(Func<int, bool> remove)
    {
        var kept = new List<int>(_count);
        for (int i = 0; i < _count; i++)
        {
            if (!remove(_ids[i])) kept.Add(_ids[i]);
        }
        _ids = kept.Count == 0 ? new int[1] : kept.ToArray();
        _count = kept.Count;
    }

    /// <summary>A stable view; call under the owner's lock, read after releasing it.</summary>
    public ArraySegment<int> Snapshot() => new(_ids, 0, _count);
}
