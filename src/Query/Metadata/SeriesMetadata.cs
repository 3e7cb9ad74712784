using Strata.Storage;
using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Query.Metadata;

/// <summary>
/// Answers the series, label-names and label-values lookups (<c>/api/v1/series</c>, <c>/labels</c>,
/// <c>/label/&lt;name&gt;/values</c>): several selectors are OR-ed, results are de-duplicated and sorted,
/// and time bounds select series with samples in [start, end].
/// </summary>
public sealed class SeriesMetadata(ISeriesReader storage)
{
    /// <summary>Distinct label sets matching any selector, sorted.</summary>
    public List<LabelSet> Series(IReadOnlyList<IReadOnlyList<LabelMatcher>> selectors, long start, long end)
    {
        var seen = new HashSet<LabelSet>();
        var result = new List<LabelSet>();
        foreach (var matchers in selectors)
        {
            foreach (var ls in storage.SelectLabels(matchers, start, end))
            {
                if (seen.Add(ls)) result.Add(ls);
            }
        }
        result.Sort(static (a, b) => a.CompareTo(b));
        return result;
    }

    /// <summary>Sorted label names; without selectors, every name of series with samples in the range.</summary>
    public List<string> LabelNames(IReadOnlyList<IReadOnlyList<LabelMatcher>> selectors, long start, long end)
    {
        if (selectors.Count == 0 && CoversHead(start, end)) return [.. storage.LabelNames()];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ls in SeriesOrAll(selectors, start, end))
        {
            foreach (var l in ls.AsSpan()) names.Add(l.Name);
        }
        var list = names.ToList();
        list.Sort(Utf8Order.Instance);
        return list;
    }

    /// <summary>Sorted distinct values of <paramref name="name"/>.</summary>
    public List<string> LabelValues(string name, IReadOnlyList<IReadOnlyList<LabelMatcher>> selectors, long start, long end)
    {
        if (selectors.Count == 0 && CoversHead(start, end)) return [.. storage.LabelValues(name)];
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ls in SeriesOrAll(selectors, start, end))
        {
            string? v = ls.Get(name);
            if (v != null) values.Add(v);
        }
        var list = values.ToList();
        list.Sort(Utf8Order.Instance);
        return list;
    }

    private IEnumerable<LabelSet> SeriesOrAll(IReadOnlyList<IReadOnlyList<LabelMatcher>> selectors, long start, long end)
    {
        if (selectors.Count > 0) return Series(selectors, start, end);
        return storage.SelectLabels([], start, end);
    }

    // The index answers directly when the range includes everything stored.
    private bool CoversHead(long start, long end) => start <= storage.MinTime && end >= storage.MaxTime;
}
