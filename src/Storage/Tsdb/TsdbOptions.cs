using Strata.Storage.Head;

namespace Strata.Storage.Tsdb;

/// <summary>Settings of the durable TSDB (head + WAL + blocks). Validated once at start-up.</summary>
public sealed record TsdbOptions
{
    /// <summary>The data directory (<c>--storage.tsdb.path</c>); Prometheus blocks live directly under it.</summary>
    public required string Path { get; init; }

    public HeadOptions Head { get; init; } = new();

    /// <summary>Blocks whose newest sample is older than now minus this are deleted (<c>--storage.tsdb.retention.time</c>).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Upper bound for blocks + WAL on disk, oldest blocks deleted first; 0 = none (<c>--storage.tsdb.retention.size</c>).</summary>
    public long RetentionBytes { get; init; }

    /// <summary>Write-ahead logging; off only in benchmarks and tests of the in-memory path.</summary>
    public bool WalEnabled { get; init; } = true;

    /// <summary>How often block cutting, compaction and retention run.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Largest compacted block: Prometheus's rule (10 % of retention, at most 31 days), never below the block range.</summary>
    public long MaxBlockDurationMs => Math.Max(Head.ChunkRangeMs, Blocks.CompactionPlanner.MaxBlockDuration((long)Retention.TotalMilliseconds));

    public void Validate()
    {
        Head.Validate();
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("the data path must be set", nameof(Path));
        if (Retention <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Retention), "retention must be positive");
        if (RetentionBytes < 0) throw new ArgumentOutOfRangeException(nameof(RetentionBytes));
        if (MaintenanceInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaintenanceInterval));
    }
}
