namespace Strata.Storage.Logs;

/// <summary>
/// The in-memory index entry of one block: where it is and what it holds. A block moves through
/// three states: <em>cut</em> (<see cref="Raw"/> holds the head chunk it was cut from, not yet
/// compressed), <em>compressed</em> (<see cref="Record"/> holds the record bytes, which may not be
/// durable yet), and <em>stored</em> (<see cref="Address"/> is set and the chunk log has committed
/// past it, so <see cref="Record"/> is dropped and readers read the segment file).
/// </summary>
/// <remarks>
/// Contract: the fields without setters never change. <see cref="Raw"/>, <see cref="Record"/> and the
/// section offsets change only under <see cref="Lock"/>, and readers capture them under it (a raw
/// chunk is copied out, since the compressor returns its buffers to the pool right after).
/// <see cref="Address"/> is written once, before <see cref="Record"/> is dropped.
/// </remarks>
internal sealed class BlockRef(LogStream stream, long seq, long minTs, long maxTs, int count, long entryBytes, long lineBytes, long walStart, long walEnd)
{
    public readonly Lock Lock = new();
    public readonly LogStream Stream = stream;
    public readonly long Seq = seq;
    public readonly long MinTs = minTs;
    public readonly long MaxTs = maxTs;
    public readonly int Count = count;

    /// <summary>Line and metadata bytes (the uncompressed size Loki reports).</summary>
    public readonly long EntryBytes = entryBytes;
    public readonly long LineBytes = lineBytes;

    /// <summary>WAL address of the first WAL entry that contributed (−1 for blocks recovered from the chunk log).</summary>
    public readonly long WalStart = walStart;

    /// <summary>Every WAL entry of this stream before this address is in this block or an earlier one.</summary>
    public readonly long WalEnd = walEnd;

    public HeadChunk? Raw;
    public byte[]? Record;
    public LogBlockCodec Codec;
    public int RawLength;
    public int FilterOffset;
    public int FilterLength;
    public int PayloadOffset;
    public int PayloadLength;
    public uint FilterCrc;
    public uint PayloadCrc;

    /// <summary>FasterLog address of the chunk-log entry holding the record, or −1 before it is enqueued.</summary>
    public long Address = -1;

    /// <summary>1 once a compressor took the block (under the store's queue lock).</summary>
    public int Claimed;

    /// <summary>Set when a read found the block corrupt; it is skipped from then on.</summary>
    public volatile bool Corrupt;

    /// <summary>Compressed size on disk (record length), 0 while cut but not compressed.</summary>
    public int StoredBytes => PayloadOffset + PayloadLength;

    /// <summary>Fills the section fields from a parsed header (recovery, or after compressing).</summary>
    public void SetSections(in BlockHeader h)
    {
        Codec = h.Codec;
        RawLength = h.RawLength;
        FilterOffset = h.FilterOffset;
        FilterLength = h.FilterLength;
        PayloadOffset = h.PayloadOffset;
        PayloadLength = h.PayloadLength;
        FilterCrc = h.FilterCrc;
        PayloadCrc = h.PayloadCrc;
    }
}
