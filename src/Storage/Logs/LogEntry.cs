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
