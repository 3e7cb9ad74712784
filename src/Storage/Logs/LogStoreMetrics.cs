namespace Strata.Storage.Logs;

/// <summary>
/// Counters of the log store for <c>/metrics</c>. Monotonic counters since open unless named as a
/// gauge; updated with one interlocked add per append call or block, never per line.
/// </summary>
public sealed class LogStoreMetrics
{
    internal long EntriesAppendedValue;
    internal long BytesAppendedValue;
    internal long EntriesRejectedValue;
    internal long DuplicatesDroppedValue;
    internal long BlocksCutValue;
    internal long BlocksStoredValue;
    internal long UncompressedBytesValue;
    internal long CompressedBytesValue;
    internal long FastCompressedBlocksValue;
    internal long RetentionDeletedBlocksValue;
    internal long RetentionDeletedBytesValue;
    internal long RetentionDeletedStreamsValue;
    internal long CorruptBlocksValue;
    internal long WalTruncationsValue;
    internal long ForcedCutsValue;
    internal long StreamsValue;
    internal long StreamsCreatedValue;

    /// <summary>Entries accepted (duplicates included).</summary>
    public long EntriesAppended => Interlocked.Read(ref EntriesAppendedValue);

    /// <summary>Line bytes of the entries accepted.</summary>
    public long BytesAppended => Interlocked.Read(ref BytesAppendedValue);

    /// <summary>Entries rejected: too far behind the stream's newest entry, or too long.</summary>
    public long EntriesRejected => Interlocked.Read(ref EntriesRejectedValue);

    /// <summary>Exact duplicates dropped.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref DuplicatesDroppedValue);

    /// <summary>Head chunks cut into blocks.</summary>
    public long BlocksCut => Interlocked.Read(ref BlocksCutValue);

    /// <summary>Blocks written to the chunk log.</summary>
    public long BlocksStored => Interlocked.Read(ref BlocksStoredValue);

    /// <summary>Line and metadata bytes of the blocks written.</summary>
    public long UncompressedBytes => Interlocked.Read(ref UncompressedBytesValue);

    /// <summary>Record bytes (header, labels, filter, compressed payload) of the blocks written.</summary>
    public long CompressedBytes => Interlocked.Read(ref CompressedBytesValue);

    /// <summary>Blocks compressed at the fast level because compression fell behind ingest.</summary>
    public long FastCompressedBlocks => Interlocked.Read(ref FastCompressedBlocksValue);

    public long RetentionDeletedBlocks => Interlocked.Read(ref RetentionDeletedBlocksValue);

    /// <summary>Stored (compressed) bytes of the blocks retention removed.</summary>
    public long RetentionDeletedBytes => Interlocked.Read(ref RetentionDeletedBytesValue);

    /// <summary>Streams forgotten because retention removed all their data.</summary>
    public long RetentionDeletedStreams => Interlocked.Read(ref RetentionDeletedStreamsValue);

    /// <summary>Blocks found corrupt (checksum or format) when read; they are skipped.</summary>
    public long CorruptBlocks => Interlocked.Read(ref CorruptBlocksValue);

    public long WalTruncations => Interlocked.Read(ref WalTruncationsValue);

    /// <summary>Head chunks cut early because they pinned more than <see cref="LogStoreOptions.MaxWalBytes"/> of WAL.</summary>
    public long ForcedCuts => Interlocked.Read(ref ForcedCutsValue);

    /// <summary>Gauge: streams held.</summary>
    public long Streams => Interlocked.Read(ref StreamsValue);

    public long StreamsCreated => Interlocked.Read(ref StreamsCreatedValue);

    /// <summary>Gauge: raw bytes of cut blocks waiting to be compressed.</summary>
    public long CompressionBacklogBytes { get; internal set; }

    /// <summary>Gauge: bytes of the WAL and of the chunk log on disk (whole segments).</summary>
    public long WalBytes { get; internal set; }

    public long ChunkLogBytes { get; internal set; }

    // Recovery, set once at open.
    public long RecoveredStreams { get; internal set; }
    public long RecoveredBlocks { get; internal set; }
    public long RecoveredWalEntries { get; internal set; }
    public long RecoveredHeadEntries { get; internal set; }
    public long RecoveryTornTails { get; internal set; }
    public long RecoveryMilliseconds { get; internal set; }
}
