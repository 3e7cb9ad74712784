namespace Strata.Storage.Logs;

/// <summary>Index statistics for a selection (Loki's <c>/index/stats</c>): streams, chunks, entries and raw line bytes; chunk-granular, so approximate at the range edges.</summary>
public readonly record struct LogIndexStats(long Streams, long Chunks, long Entries, long Bytes);
