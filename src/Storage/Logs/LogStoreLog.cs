using Microsoft.Extensions.Logging;

namespace Strata.Storage.Logs;

/// <summary>Source-generated log messages of the log store (stable event ids 1101–1120).</summary>
internal static partial class LogStoreLog
{
    [LoggerMessage(1101, LogLevel.Information, "Log store recovered: {Streams} streams, {Blocks} blocks from the chunk log, {WalEntries} WAL entries ({HeadEntries} head entries) in {Elapsed} ms")]
    public static partial void Recovered(ILogger logger, long streams, long blocks, long walEntries, long headEntries, long elapsed);

    [LoggerMessage(1102, LogLevel.Warning, "Log store {Log} had a torn or corrupt tail at address {Address}: {Reason}; the rest was cut off")]
    public static partial void TornTail(ILogger logger, string log, long address, string reason);

    [LoggerMessage(1103, LogLevel.Error, "Log block of stream {Stream} at chunk address {Address} is unreadable and is skipped: {Reason}")]
    public static partial void BlockCorrupt(ILogger logger, string stream, long address, string reason);

    [LoggerMessage(1104, LogLevel.Information, "Log retention removed {Blocks} blocks ({Bytes} bytes stored) and {Streams} streams: {Reason}")]
    public static partial void RetentionDeleted(ILogger logger, int blocks, long bytes, int streams, string reason);

    [LoggerMessage(1105, LogLevel.Error, "Log store background compression failed; it retries")]
    public static partial void CompressorFailed(ILogger logger, Exception exception);

    [LoggerMessage(1106, LogLevel.Warning, "Log WAL replay skipped {Entries} entries of {Streams} unknown stream ids")]
    public static partial void OrphanEntries(ILogger logger, long entries, int streams);

    [LoggerMessage(1107, LogLevel.Warning, "Log WAL spans {Bytes} bytes; cut {Heads} head chunks early so it can be truncated")]
    public static partial void ForcedCuts(ILogger logger, long bytes, int heads);
}
