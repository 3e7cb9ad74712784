namespace Strata.Ingest.Loki;

/// <summary>How a push ended as a whole; <c>src/Api</c> maps it to the HTTP status.</summary>
public enum LokiPushStatus : byte
{
    /// <summary>Every entry was accepted (204 No Content).</summary>
    Ok,

    /// <summary>
    /// Malformed request (nothing decoded) or some streams/entries rejected; the accepted ones are in
    /// <see cref="LokiPushResult.Streams"/> and must still be stored (400, plain-text body
    /// <see cref="LokiPushResult.Message"/>). Promtail and Alloy do not retry a 400.
    /// </summary>
    BadRequest,

    /// <summary>Decompressed body over <see cref="LokiLimits.MaxDecompressedBytes"/>; nothing decoded (413).</summary>
    TooLarge,
}
