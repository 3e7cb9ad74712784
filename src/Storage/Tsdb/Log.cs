using Microsoft.Extensions.Logging;

namespace Strata.Storage.Tsdb;

/// <summary>Source-generated log messages of the storage layer (stable event ids).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Replayed checkpoint {Path}: {Series} series in {Elapsed} ms")]
    public static partial void CheckpointLoaded(ILogger logger, string path, int series, long elapsed);

    [LoggerMessage(1002, LogLevel.Information, "Replayed WAL from address {From}: {Entries} entries, {Samples} samples in {Elapsed} ms")]
    public static partial void WalReplayed(ILogger logger, long from, long entries, long samples, long elapsed);

    [LoggerMessage(1003, LogLevel.Warning, "WAL tail was torn or corrupt at address {Address}: {Reason}; the rest was cut off")]
    public static partial void WalTornTail(ILogger logger, long address, string reason);

    [LoggerMessage(1004, LogLevel.Error, "Block {Dir} is corrupt and is not served: {Reason}")]
    public static partial void BlockCorrupt(ILogger logger, string dir, string reason);

    [LoggerMessage(1005, LogLevel.Information, "Wrote block {Ulid} [{MinTime}, {MaxTime}) with {Series} series in {Elapsed} ms")]
    public static partial void BlockWritten(ILogger logger, string ulid, long minTime, long maxTime, int series, long elapsed);

    [LoggerMessage(1006, LogLevel.Information, "Compacted {Count} blocks into {Ulid} in {Elapsed} ms")]
    public static partial void BlocksCompacted(ILogger logger, int count, string ulid, long elapsed);

    [LoggerMessage(1007, LogLevel.Information, "Deleted block {Ulid} ({Reason})")]
    public static partial void BlockDeleted(ILogger logger, string ulid, string reason);

    [LoggerMessage(1008, LogLevel.Error, "Storage maintenance failed")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(1009, LogLevel.Error, "Reading block {Ulid} failed, its data is left out of this query: {Reason}")]
    public static partial void BlockReadFailed(ILogger logger, string ulid, string reason);

    [LoggerMessage(1010, LogLevel.Information, "Checkpoint {Path} written: {Series} series up to WAL address {Address} in {Elapsed} ms")]
    public static partial void CheckpointWritten(ILogger logger, string path, int series, long address, long elapsed);

    [LoggerMessage(1011, LogLevel.Warning, "Checkpoint {Path} is unreadable and was skipped: {Reason}")]
    public static partial void CheckpointCorrupt(ILogger logger, string path, string reason);
}
