namespace Strata.Storage.Wal;

/// <summary>
/// The type byte of a record inside a WAL entry (FORMAT.md). Persisted: values are never reused or
/// renumbered (frozen by <c>WalRecordsTests.RecordTypesAreStable</c>). Decoders skip types they do
/// not know by the record's length, so a newer writer's records do not stop an older reader.
/// </summary>
public enum WalRecordType : byte
{
    /// <summary>Never written; a zero type byte means the entry is corrupt.</summary>
    Invalid = 0,
    /// <summary>Series definitions: ref and label pairs.</summary>
    Series = 1,
    /// <summary>Float samples: ref, timestamp delta, raw value bits.</summary>
    Samples = 2,
    /// <summary>Reserved: metric metadata (type, unit, help).</summary>
    Metadata = 3,
    /// <summary>Reserved: native histogram samples.</summary>
    Histograms = 4,
    /// <summary>Reserved: deletion intervals.</summary>
    Tombstones = 5,
    /// <summary>Reserved: log lines (Loki push).</summary>
    LogEntries = 6,
}

/// <summary>Outcome of decoding a WAL entry, a WAL scan or a checkpoint.</summary>
public enum WalDecodeStatus : byte
{
    Ok = 0,
    Corrupt = 1,
}

/// <summary>
/// The result of decoding: <see cref="WalDecodeStatus.Ok"/>, or <see cref="WalDecodeStatus.Corrupt"/>
/// with the byte offset (within the entry or file) where decoding failed and a static reason string.
/// Corruption is an expected outcome of reading data written before a crash, so it is a value, not
/// an exception.
/// </summary>
public readonly record struct WalDecodeResult(WalDecodeStatus Status, long Offset, string? Reason)
{
    public static WalDecodeResult Ok => default;
    public static WalDecodeResult Corrupt(long offset, string reason) => new(WalDecodeStatus.Corrupt, offset, reason);
    public bool IsOk => Status == WalDecodeStatus.Ok;

    public override string ToString() => IsOk ? "ok" : $"corrupt at {Offset}: {Reason}";
}
