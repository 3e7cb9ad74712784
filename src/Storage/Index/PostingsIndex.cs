using System.Text.Unicode;
using Strata.Storage.Labels;

namespace Strata.Storage.Index;

/// <summary>
/// The inverted index of the head: label name → value → sorted series ids, plus the list of all ids.
/// It is also the string interner: every name and value held by a stored series is the key
/// instance stored here, so each distinct string exists once.
/// </summary>
/// <remarks>
/// Thread safety: one lock guards the dictionaries and the lists' writes. Reads take the lock only
/// to capture (array, count) snapshots or copy key lists, then work without it.
/// </remarks>
public sealed class PostingsIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, PostingsList>> _byName = new(StringComparer.Ordinal);
    private readonly PostingsList _all = new();

    /// <summary>Returns interned strings for a pair given as UTF-8, allocating only for unseen strings.</summary>
    public Label Intern(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Span<char> nbuf = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        Span<char> vbuf = value.Length <= 1024 ? stackalloc char[value.Length] : new char[value.Length];
        Utf8.ToUtf16(name, nbuf, out _, out int nlen, replaceInvalidSequences: true);
        Utf8.ToUtf16(value, vbuf, out _, out int vlen, replaceInvalidSequences: true);
        var n = nbuf[..nlen];
        var v = vbuf[..vlen];
        lock (_lock)
        {
            string nameStr;
            string? valueStr = null;
            if (_byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(n, out var existingName, out var values))
            {
                nameStr = existingName;
                if (values.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(v, out var existingValue, out _))
                    valueStr = existingValue;
            }
            else
            {
                nameStr = new string(n);
            }
            return new Label(nameStr, valueStr ?? new string(v));
        }
    }

    /// <summary>Returns the interned instances of a pair given as strings (used by replay and tests).</summary>
    public Label Intern(string name, string value)
    {
        lock (_lock)
        {
            if (_byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var existingName, out var values))
            {
                name = existingName;
                if (values.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(value, out var existingValue, out _))
                    value = existingValue;
            }
            return new Label(name, value);
        }
    }

    public void Add(int id, LabelSet labels)
    {
        lock (_lock)
        {
            _all.Add(id);
            foreach (var l in labels.AsSpan())
            {
                if (!_byName.TryGetValue(l.Name, out var values))
                {
                    values = new Dictionary<string, PostingsList>(StringComparer.Ordinal);
                    _byName.Add(l.Name, values);
                }
                if (!values.TryGetValue(l.Value, out var list))
                {
                    list = new PostingsList();
                    values.Add(l.Value, list);
                }
                list.Add(id);
            }
        }
    }

    /// <summary>Removes the given series; empty values and names disappear.</summary>
    public void Remove(IReadOnlyDictionary<int, LabelSet> removed)
    {
        if (removed.Count == 0) return;
        lock (_lock)
        {
            _all.RemoveWhere(removed.ContainsKey);
            var touched = new HashSet<(string, string)>();
            foreach (var labels in removed.Values)
            {
                foreach (var l in labels.AsSpan()) touched.Add((l.Name, l.Value));
            }
            foreach (var (name, value) in touched)
            {
                if (!_byName.TryGetValue(name, out var values) || !values.TryGetValue(value, out var list)) continue;
                list.RemoveWhere(removed.ContainsKey);
                if (list.Count == 0)
                {
                    values.Remove(value);
                    if (values.Count == 0) _byName.Remove(name);
                }
            }
        }
    }

    public int SeriesCount
    {
        get
        {
            lock (_lock) return _all.Count;
        }
    }

    public ArraySegment<int> All()
    {
        lock (_lock) return _all.Snapshot();
    }

    public ArraySegment<int> Get(string name, string value)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var values) && values.TryGetValue(value, out var list)) return list.Snapshot();
            // Not default: ArraySegment.ToArray() throws on a default segment, which made {a="missing"} throw.
            return ArraySegment<int>.Empty;
        }
    }

    /// <summary>Sorted label names.</summary>
    public string[] LabelNames()
    {
        string[] names;
        lock (_lock) names = [.. _byName.Keys];
        Array.Sort(names, Utf8Order.Instance);
        return names;
    }

    /// <summary>Sorted values of one label name.</summary>
    public string[] LabelValues(string name)
    {
        string[] values;
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var dict)) return [];
            values = [.. dict.Keys];
        }
        Array.Sort(values, Utf8Order.Instance);
        return values;
    }

    /// <summary>Number of label pairs (for status pages).</summary>
    public int LabelPairCount
    {
        get
        {
            lock (_lock)
            {
                int n = 0;
                foreach (var v in _byName.Values) n += v.Count;
                return n;
            }
        }
    }

    /// <summary>
    /// Series ids matching all matchers, ascending. A matcher that accepts the empty string also
    /// selects series without that label, so it is applied by subtracting its inverse.
    /// </summary>
    public int[] Select(IReadOnlyList<LabelMatcher> matchers)
    {
        var positive = new List<int[]>();
        var negative = new List<int[]>();
        foreach (var m in matchers)
        {
            if (m.MatchesEmpty)
            {
                // {a=~".*"}-style matchers accept everything: no constraint.
                if (m.Type == MatchType.Regex && m.Value is ".*" or ".*?" ) continue;
                negative.Add(ValuesMatching(m.Name, v => !m.Matches(v)));
            }
            else
            {
                positive.Add(ValuesMatching(m, m.Name));
            }
        }
        int[] result;
        if (positive.Count == 0)
        {
            result = All().ToArray();
        }
        else
        {
            positive.Sort(static (a, b) => a.Length.CompareTo(b.Length));
            result = positive[0];
            for (int i = 1; i < positive.Count && result.Length > 0; i++) result = Postings.Intersect(result, positive[i]);
        }
        foreach (var n in negative)
        {
            if (result.Length == 0) break;
            result = Postings.Subtract(result, n);
        }
        return result;
    }

    private int[] ValuesMatching(LabelMatcher m, string name)
    {
        if (m.Type == MatchType.Equal) return Get(name, m.Value).ToArray();
        var set = m.SetMatches;
        if (set != null)
        {
            var lists = new List<ArraySegment<int>>();
            lock (_lock)
            {
                if (_byName.TryGetValue(name, out var values))
                {
                    foreach (var v in set)
                    {
                        if (values.TryGetValue(v, out var list)) lists.Add(list.Snapshot());
                    }
                }
            }
            return Postings.Union(lists);
        }
        return ValuesMatching(name, m.Matches);
    }

    private int[] ValuesMatching(string name, Func<string, bool> predicate)
    {
        KeyValuePair<string, PostingsList>[] entries;
        lock (_lock)
        {
            if (!_byName.TryGetValue(name, out var values)) return [];
            entries = [.. values];
        }
        var lists = new List<ArraySegment<int>>();
        foreach (var (value, list) in entries)
        {
            if (!predicate(value)) continue;
            lock (_lock) lists.Add(list.Snapshot());
        }
        return Postings.Union(lists);
    }
}
