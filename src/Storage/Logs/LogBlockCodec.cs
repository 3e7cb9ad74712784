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
    /// <summary>Brotli: about 10 % smaller than Deflate at level 5, but decodes about 35 % slower.</summary>
    Brotli = 2,
}
