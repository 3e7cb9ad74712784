namespace Strata.Ingest.Loki;

/// <summary>
/// Counters over all decoded pushes since start: accepted entries and bytes, entries discarded by
/// reason (Loki's <c>loki_discarded_samples_total</c> / <c>_bytes_total</c> reasons), and requests
/// refused whole. Updated once per request with a few interlocked adds, read at scrape time.
/// </summary>
public sealed class LokiPushTotals
{
    private readonly long[] _discardedEntries = new long[LokiRejectReasons.Count];
    private readonly long[] _discardedBytes = new long[LokiRejectReasons.Count];
    private long _acceptedEntries;
    private long _acceptedBytes;
    private long _refusedRequests;

    public long AcceptedEntries => Interlocked.Read(ref _acceptedEntries);

    /// <summary>Line bytes (plus structured metadata, when present) of the accepted entries.</summary>
    public long AcceptedBytes => Interlocked.Read(ref _acceptedBytes);

    /// <summary>Requests rejected as a whole (malformed body, bad encoding, too large).</summary>
    public long RefusedRequests => Interlocked.Read(ref _refusedRequests);

    public long DiscardedEntries(LokiRejectReason reason) => Interlocked.Read(ref _discardedEntries[(int)reason]);

    public long DiscardedBytes(LokiRejectReason reason) => Interlocked.Read(ref _discardedBytes[(int)reason]);

    internal void Record(LokiPushResult result)
    {
        if (result.Status != LokiPushStatus.Ok && result.Streams.Count == 0 && result.RejectedEntriesTotal == 0)
        {
            Interlocked.Increment(ref _refusedRequests);
            return;
        }
        if (result.AcceptedEntries > 0)
        {
            Interlocked.Add(ref _acceptedEntries, result.AcceptedEntries);
            Interlocked.Add(ref _acceptedBytes, result.AcceptedBytes);
        }
        if (result.RejectedEntriesTotal == 0) return;
        for (int r = 1; r < LokiRejectReasons.Count; r++)
        {
            long n = result.RejectedEntries((LokiRejectReason)r);
            if (n == 0) continue;
            Interlocked.Add(ref _discardedEntries[r], n);
            Interlocked.Add(ref _discardedBytes[r], result.RejectedBytes((LokiRejectReason)r));
        }
    }
}
