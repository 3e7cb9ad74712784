namespace Strata.Storage.Logs;

/// <summary>Settings of the log store (Loki's ingester and retention settings). Validated once by <see cref="LogStore.OpenAsync"/>.</summary>
public sealed record LogStoreOptions
{
    /// <summary>Largest <see cref="TargetBlockBytes"/> and <see cref="MaxLineBytes"/>: a block (at most both together) must fit one 4 MiB FasterLog page.</summary>
    public const int MaxBlockSetting = 1 << 20;

    /// <summary>Data directory; the store keeps <c>wal/</c> and <c>chunks/</c> (two FasterLogs) and a stream-id file under it (FORMAT.md).</summary>
    public required string Directory { get; init; }

    /// <summary>Blocks whose newest entry is older than now minus this are deleted, a segment at a time (Loki's <c>retention_period</c>).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Upper bound for the data on disk (chunks + WAL), oldest blocks removed first; 0 = no bound.</summary>
    public long RetentionBytes { get; init; }

    /// <summary>
    /// Entries older than the stream's newest entry minus this are rejected (Loki's rule, which uses
    /// half of <c>max_chunk_age</c>: 1 h by default).
    /// </summary>
    public TimeSpan OutOfOrderWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Uncompressed size (line and metadata bytes) at which a stream's head chunk is cut into a block.</summary>
    public int TargetBlockBytes { get; init; } = 256 * 1024;

    /// <summary>Head chunks older than this (wall clock since their first entry) are cut by <see cref="LogStore.RunMaintenanceAsync"/> even if small.</summary>
    public TimeSpan MaxChunkAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Longest line accepted (Loki's <c>max_line_size</c>, 256 KB by default); longer lines are rejected.</summary>
    public int MaxLineBytes { get; init; } = 256 * 1024;

    /// <summary>Codec of new blocks. Blocks keep the codec they were written with; all are readable.</summary>
    public LogBlockCodec Codec { get; init; } = LogBlockCodec.Deflate;

    /// <summary>Level for <see cref="Codec"/> (Deflate 1–9, Brotli 0–11). 5 is the measured sweet spot for Deflate (FORMAT.md, "Compression").</summary>
    public int CompressionLevel { get; init; } = 5;

    /// <summary>
    /// Level used while blocks wait to be compressed faster than one core compresses them at
    /// <see cref="CompressionLevel"/> (ingest bursts): Deflate 1 compresses about three times as fast
    /// for about 30 % larger blocks, which keeps ingest, not compression, the limit.
    /// </summary>
    public int FastCompressionLevel { get; init; } = 1;

    /// <summary>
    /// The WAL holds raw entries from the oldest head chunk on; when it spans more than this, head
    /// chunks that pin its oldest part are cut early so it can be truncated (bounds disk use and replay time).
    /// </summary>
    public long MaxWalBytes { get; init; } = 1L << 30;

    /// <summary>Chunk log segment size (log2). Retention removes whole segments; tests use small ones.</summary>
    public int ChunkSegmentSizeBits { get; init; } = 26;

    /// <summary>WAL segment size (log2); the WAL is truncated a segment at a time.</summary>
    public int WalSegmentSizeBits { get; init; } = 26;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) throw new ArgumentException("the log store directory must be set", nameof(Directory));
        if (Retention <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Retention), "retention must be positive");
        if (RetentionBytes < 0) throw new ArgumentOutOfRangeException(nameof(RetentionBytes));
        if (OutOfOrderWindow < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(OutOfOrderWindow));
        if (TargetBlockBytes is < 1024 or > MaxBlockSetting) throw new ArgumentOutOfRangeException(nameof(TargetBlockBytes), $"between 1 KiB and {MaxBlockSetting} bytes");
        if (MaxLineBytes is < 1 or > MaxBlockSetting) throw new ArgumentOutOfRangeException(nameof(MaxLineBytes), $"between 1 and {MaxBlockSetting} bytes");
        if (MaxChunkAge <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxChunkAge));
        if (!Enum.IsDefined(Codec)) throw new ArgumentOutOfRangeException(nameof(Codec));
        int maxLevel = Codec == LogBlockCodec.Brotli ? 11 : 9;
        int minLevel = Codec == LogBlockCodec.Brotli ? 0 : 1;
        if (Codec != LogBlockCodec.None && (CompressionLevel < minLevel || CompressionLevel > maxLevel)) throw new ArgumentOutOfRangeException(nameof(CompressionLevel));
        if (Codec != LogBlockCodec.None && (FastCompressionLevel < minLevel || FastCompressionLevel > maxLevel)) throw new ArgumentOutOfRangeException(nameof(FastCompressionLevel));
        if (MaxWalBytes < 1L << 20) throw new ArgumentOutOfRangeException(nameof(MaxWalBytes), "at least 1 MiB");
        // Segments hold at least one 4 MiB page (WalOptions.PageSizeBits = 22).
        if (ChunkSegmentSizeBits is < 22 or > 34) throw new ArgumentOutOfRangeException(nameof(ChunkSegmentSizeBits));
        if (WalSegmentSizeBits is < 22 or > 34) throw new ArgumentOutOfRangeException(nameof(WalSegmentSizeBits));
    }
}
