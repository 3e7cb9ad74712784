namespace Strata.Storage.Logs;

/// <summary>
/// Compression of a block's payload. Persisted in every block header (FORMAT.md): values are never
/// reused or renumbered (frozen by <c>LogFormatStabilityTests</c>).
/// </summary>
public enum LogBlockCodec : byte
{
    /// <summary>Stored as is (chosen automatically when compression would not shrink a block).</summary>
    None = 0,
    /// <summary>Raw DEFLATE (RFC 1951) through zlib-ng, the default: see FORMAT.md for the measurements behind it.</summary>
    Deflate = 1,
    /// <summary>Brotli: at level 5 about 14 % smaller than Deflate 5, but decodes ~16 % and compresses ~2.4× slower (FORMAT.md).</summary>
    Brotli = 2,
}
