using Strata.Storage.Labels;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// An ordered list of stages run over each entry (Loki's <c>pipeline</c>/<c>streamPipeline</c>).
/// <para>
/// Fast path: the leading run of line filters (everything before the first parser, label filter or
/// formatter) is merged into one filter with the cheap substring searches first, and runs on the
/// caller's UTF-8 bytes before the entry is copied, decoded or reset. A pipeline made only of line
/// filters therefore costs one vectorised search per line and nothing else for the lines it drops.
/// </para>
/// Thread-safety: immutable; share one instance between threads, each with its own <see cref="LogLine"/>.
/// </summary>
public sealed class Pipeline
{
    public static readonly Pipeline Empty = new([]);

    private readonly LineFilter? _prefilter;
    private readonly Stage[] _rest;

    public Pipeline(IEnumerable<Stage> stages)
    {
        Stages = [.. stages];
        int i = 0;
        var leading = new List<LineFilter>();
        while (i < Stages.Count && Stages[i] is LineFilter f)
        {
            leading.Add(f);
            i++;
        }
        if (leading.Count > 0)
        {
            var merged = LineFilter.And([.. leading]);
            if (merged is not TrueLineFilter) _prefilter = merged;
        }
        _rest = new Stage[Stages.Count - i];
        for (int j = 0; j < _rest.Length; j++) _rest[j] = Stages[i + j];
    }

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>True when the pipeline keeps every line unchanged.</summary>
    public bool IsEmpty => _prefilter == null && _rest.Length == 0;

    /// <summary>True when the pipeline only filters lines: labels and line of kept entries are unchanged.</summary>
    public bool IsFilterOnly => _rest.Length == 0;

    /// <summary>Runs only the leading line filters on raw bytes (true when there are none).</summary>
    public bool MatchesLineFilters(ReadOnlySpan<byte> line) => _prefilter == null || _prefilter.Matches(line);

    /// <summary>
    /// Processes one entry: leading line filters on <paramref name="line"/> first, then, if it survives,
    /// <see cref="LogLine.Reset"/> and the remaining stages. On true, <paramref name="entry"/> holds the
    /// resulting line and labels.
    /// </summary>
    public bool Process(LogLine entry, LabelSet stream, long timestampNs, ReadOnlySpan<byte> line, ReadOnlySpan<Label> structuredMetadata = default)
    {
        if (_prefilter != null && !_prefilter.Matches(line)) return false;
        entry.Reset(stream, timestampNs, line, structuredMetadata);
        return RunRest(entry);
    }

    /// <summary>Runs all stages on an entry the caller has already <see cref="LogLine.Reset"/>.</summary>
    public bool Process(LogLine entry)
    {
        if (_prefilter != null && !_prefilter.Matches(entry.Line)) return false;
        return RunRest(entry);
    }

    private bool RunRest(LogLine entry)
    {
        foreach (var s in _rest)
        {
            if (!s.Process(entry)) return false;
        }
        return true;
    }
}
