using Strata.Storage.Labels;

namespace Strata.Storage.Logs;

/// <summary>
/// One log line as pushed: timestamp in Unix ns, the line as UTF-8, structured metadata (may be empty).
/// The store copies the bytes it keeps; the caller may reuse <see cref="Line"/>'s memory once
/// <see cref="LogStore.AppendAsync"/> returns.
/// </summary>
public readonly record struct LogEntry(long TimestampNs, ReadOnlyMemory<byte> Line, Label[] Metadata);

/// <summary>Entries for one stream; <see cref="Labels"/> is the stream's label set (sorted, validated by the caller).</summary>
public sealed record LogStreamPush(LabelSet Labels, List<LogEntry> Entries);

/// <summary>
/// Outcome of one <see cref="LogStore.AppendAsync"/>. <see cref="Accepted"/> counts entries that are
/// stored or were already stored (exact duplicates, dropped silently, are included and also counted in
/// <see cref="Duplicates"/>); <see cref="Rejected"/> counts entries refused (too far behind the
/// stream's newest entry, or a line over the size limit), and <see cref="FirstRejection"/> describes
/// the first of them. Accepted + Rejected is the number of entries pushed.
/// </summary>
public readonly record struct LogAppendResult(int Accepted, int Rejected, string? FirstRejection)
{
    /// <summary>Exact duplicates (same stream, timestamp and line as an entry still in the stream's head chunk) that were dropped.</summary>
    public int Duplicates { get; init; }
}

/// <summary>Index statistics for a selection (Loki's <c>/index/stats</c>): streams, chunks, entries and raw line bytes; chunk-granular, so approximate at the range edges.</summary>
public readonly record struct LogIndexStats(long Streams, long Chunks, long Entries, long Bytes);

/// <summary>
/// A stream selected by <see cref="LogStore.SelectStreams"/>: its labels, the store's id for it and the
/// time span of its entries when it was selected. Pass it to <see cref="LogStore.Open"/>.
/// </summary>
public sealed record LogStreamInfo(LabelSet Labels, int Id, long MinTimeNs, long MaxTimeNs)
{
    internal LogStream? Stream { get; init; }
}
