namespace Strata.Storage.Head;

/// <summary>
/// The outcome of appending one sample. Rejections are ordinary results, counted by reason and mapped
/// to HTTP by the API; only <see cref="Appended"/> and <see cref="Duplicate"/> mean the sample is stored.
/// </summary>
public enum AppendResult : byte
{
    /// <summary>Stored.</summary>
    Appended = 0,
    /// <summary>Same timestamp and bit-identical value as the newest sample: accepted as a no-op (idempotent retries).</summary>
    Duplicate = 1,
    /// <summary>Older than the newest sample of the series and outside any out-of-order window.</summary>
    OutOfOrder = 2,
    /// <summary>Same timestamp as the newest sample but a different value.</summary>
    DuplicateTimestamp = 3,
    /// <summary>Older than the head accepts (before its appendable window).</summary>
    OutOfBounds = 4,
    /// <summary>Timestamp too far in the future (checked at ingest against the wall clock).</summary>
    TooFarInFuture = 5,
}
