using Strata.Storage.Labels;

namespace Strata.Storage.Logs;

/// <summary>
/// One stream: its labels, its head chunk and its blocks (oldest cut first).
/// </summary>
/// <remarks>
/// Contract: <see cref="Head"/> and <see cref="Blocks"/> are replaced or mutated under
/// <see cref="Lock"/> (and, for appends and cuts, also under the store's append lock, which orders
/// them with the WAL). Readers take <see cref="Lock"/> to capture both at once, so an entry is
/// never seen twice or missed while its chunk is being cut. <see cref="Blocks"/> is an immutable
/// array replaced on every change (one copy per cut, i.e. per ~256 KiB of data). The append-state
/// fields (<see cref="NewestTs"/>, <see cref="NextSeq"/>, <see cref="HeadWalStart"/>,
/// <see cref="WalEnd"/>, <see cref="BatchNo"/>) belong to the append lock.
/// </remarks>
internal sealed class LogStream(int id, LabelSet labels)
{
    public readonly int Id = id;
    public readonly LabelSet Labels = labels;
    public readonly Lock Lock = new();

    public HeadChunk Head = new();
    public volatile BlockRef[] Blocks = [];

    /// <summary>Newest timestamp ever accepted (the out-of-order window is measured from it).</summary>
    public long NewestTs = long.MinValue;

    /// <summary>Sequence number of the next block cut.</summary>
    public long NextSeq;

    /// <summary>WAL address of the entry that holds the head's first entry, or −1 (empty head, or started in the batch being built).</summary>
    public long HeadWalStart = -1;

    /// <summary>WAL entries of this stream before this address are in blocks (replay skips them).</summary>
    public long WalEnd;

    /// <summary>The append batch that last wrote this stream (to know whether the head holds unlogged entries).</summary>
    public long BatchNo = -1;

    /// <summary>Oldest and newest entry over blocks and head; read without locks (selection is approximate at the edges).</summary>
    public long MinTs = long.MaxValue;
    public long MaxTs = long.MinValue;

    public void Widen(long minTs, long maxTs)
    {
        if (minTs < MinTs) MinTs = minTs;
        if (maxTs > MaxTs) MaxTs = maxTs;
    }

    /// <summary>Recomputes <see cref="MinTs"/>/<see cref="MaxTs"/> after blocks were removed; under <see cref="Lock"/>.</summary>
    public void RecomputeBounds()
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var b in Blocks)
        {
            if (b.MinTs < min) min = b.MinTs;
            if (b.MaxTs > max) max = b.MaxTs;
        }
        if (Head.Count > 0)
        {
            if (Head.MinTs < min) min = Head.MinTs;
            if (Head.MaxTs > max) max = Head.MaxTs;
        }
        MinTs = min;
        MaxTs = max;
    }

    public bool Overlaps(long fromNs, long toNs) => MinTs < toNs && MaxTs >= fromNs;
}
