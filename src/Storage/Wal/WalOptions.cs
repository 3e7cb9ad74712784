namespace Strata.Storage.Wal;

/// <summary>Settings of the write-ahead log. Validated once by <see cref="WriteAheadLog.Open"/>.</summary>
public sealed record WalOptions
{
    /// <summary>
    /// FasterLog page size (log2, default 22 = 4 MiB). An entry plus its 16-byte framing must fit in
    /// one page, so this bounds the largest write batch (<see cref="WriteAheadLog.MaxEntrySize"/>).
    /// Partial pages are flushed on every commit, so a larger page costs memory, not write amplification.
    /// </summary>
    public int PageSizeBits { get; init; } = 22;

    /// <summary>
    /// In-memory ring of pages (log2, default 24 = 16 MiB = 4 pages). Enqueue blocks (spins) only when
    /// the ring is full of pages not yet written: at 200 MB/s that is 80 ms of writes in flight.
    /// </summary>
    public int MemorySizeBits { get; init; } = 24;

    /// <summary>Segment file size (log2, default 26 = 64 MiB); truncation deletes whole segments.</summary>
    public int SegmentSizeBits { get; init; } = 26;

    /// <summary>
    /// How often the committer commits entries nobody waits for. Waiters trigger a commit at once;
    /// this only bounds how long an un-awaited entry stays volatile.
    /// </summary>
    public TimeSpan IdleCommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Group-commit gathering: before committing, the committer waits until no entry has been
    /// enqueued for this long (or <see cref="GroupCommitMaxDelay"/> has passed), so that writers
    /// released by the previous commit join this one instead of forming a second cohort that
    /// alternates with the first. Zero commits at once. See <c>WalGroupCommitBenchmarks</c>.
    /// </summary>
    public TimeSpan GroupCommitQuietTime { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>Upper bound of the gathering wait before a commit.</summary>
    public TimeSpan GroupCommitMaxDelay { get; init; } = TimeSpan.FromMicroseconds(500);

    public void Validate()
    {
        if (PageSizeBits is < 12 or > 30) throw new ArgumentOutOfRangeException(nameof(PageSizeBits));
        if (MemorySizeBits < PageSizeBits + 1 || MemorySizeBits > 34) throw new ArgumentOutOfRangeException(nameof(MemorySizeBits), "the ring must hold at least two pages");
        if (SegmentSizeBits < PageSizeBits || SegmentSizeBits > 40) throw new ArgumentOutOfRangeException(nameof(SegmentSizeBits));
        if (IdleCommitInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleCommitInterval));
        if (GroupCommitQuietTime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(GroupCommitQuietTime));
        if (GroupCommitMaxDelay < GroupCommitQuietTime) throw new ArgumentOutOfRangeException(nameof(GroupCommitMaxDelay));
    }
}
