using Strata.Storage.Head;
using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Storage;

/// <summary>
/// Read access to stored series by label matchers, implemented by the head, by each persisted block
/// and by the database that merges them. The query engine and the metadata endpoints read only
/// through this.
/// </summary>
public interface ISeriesReader
{
    /// <summary>Series matching all matchers with chunks overlapping [mint, maxt] (inclusive), sorted by labels when asked.</summary>
    List<SeriesChunks> Select(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt, bool sorted = true);

    /// <summary>Label sets of matching series with samples in [mint, maxt] (unsorted, distinct).</summary>
    List<LabelSet> SelectLabels(IReadOnlyList<LabelMatcher> matchers, long mint, long maxt);

    /// <summary>All label names, sorted.</summary>
    string[] LabelNames();

    /// <summary>All values of one label name, sorted.</summary>
    string[] LabelValues(string name);

    /// <summary>Oldest and newest sample time held (MaxValue/MinValue when empty).</summary>
    long MinTime { get; }

    long MaxTime { get; }
}
