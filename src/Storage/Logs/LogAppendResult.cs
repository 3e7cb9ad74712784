namespace Strata.Storage.Logs;

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
