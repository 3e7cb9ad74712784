using Strata.Query.LogQL.Pipeline;
using Strata.Storage.Labels;

namespace Strata.Query.LogQL.Engine;

/// <summary>One selected log entry after the pipeline: its line and labels split by origin.</summary>
public sealed record LogResultEntry(long TimestampNs, string Line, CategorizedLabels Labels);

/// <summary>
/// What a log query returns: at most <c>limit</c> entries, newest first for backward queries and
/// oldest first for forward ones, plus the counters Loki reports in its <c>stats</c> object.
/// </summary>
public sealed class LogQueryResult(List<LogResultEntry> entries, LogQueryStats stats)
{
    public List<LogResultEntry> Entries { get; } = entries;
    public LogQueryStats Stats { get; } = stats;
}

/// <summary>Work done by a log query (Loki's summary and store counters).</summary>
public sealed class LogQueryStats
{
    public long Streams { get; set; }
    public long LinesProcessed { get; set; }
    public long BytesProcessed { get; set; }
    public long PostFilterLines { get; set; }
    public long BlocksRead { get; set; }
    public long BlocksSkipped { get; set; }
    public long BytesDecompressed { get; set; }
    public long HeadBytes { get; set; }
    public TimeSpan ExecTime { get; set; }
}
