using System.Globalization;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Logs;

public sealed partial class LogStore
{
    /// <summary>
    /// Largest WAL entry payload built before it is enqueued (a push bigger than this becomes
    /// several entries). Well under the 4 MiB page (WalOptions.PageSizeBits = 22) even with one
    /// maximal line on top.
    /// </summary>
    private const int MaxBatchBytes = 1 << 20;

    /// <summary>Metadata beyond this per entry is refused (it must fit a WAL entry with its line).</summary>
    private const int MaxMetadataBytes = 64 * 1024;

    private readonly LogWalBatch _batch = new();
    private readonly List<LogStream> _startedInBatch = [];
    private long _batchNo;
    private long _lastBatchAddress;

    /// <summary>
    /// Appends the pushed entries and returns once they are durable. Rejected entries (too far
    /// behind the stream's newest entry, or too long) are counted and the first is described;
    /// exact duplicates of entries in the stream's head chunk are dropped; everything else is kept.
    /// </summary>
    /// <remarks>
    /// The synchronous part (validation, copies into head chunks and the WAL entry, cuts) runs under
    /// the append lock and allocates nothing per line; then the call waits for the group commit
    /// that covers its WAL entry, the only await. When blocks wait to be compressed faster than the
    /// background compressor keeps up, the caller compresses some first (back-pressure).
    /// </remarks>
    /// <exception cref="IOException">The WAL failed; nothing of this call is acknowledged.</exception>
    public ValueTask<LogAppendResult> AppendAsync(IReadOnlyList<LogStreamPush> streams, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ThrowIfDisposed();
        LogAppendResult result;
        long waitFor;
        bool cut;
        lock (_appendLock)
        {
            result = AppendLocked(streams, out waitFor, out cut);
        }
        if (cut)
        {
            if (Volatile.Read(ref _queuedRawBytes) > HelpBacklogBytes) HelpCompress();
            SignalCompressor();
        }
        if (waitFor < 0) return new ValueTask<LogAppendResult>(result);
        var wait = _wal.WaitForCommitAsync(waitFor, ct);
        if (wait.IsCompletedSuccessfully) return new ValueTask<LogAppendResult>(result);
        return AwaitCommitAsync(wait, result);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<LogAppendResult> AwaitCommitAsync(ValueTask wait, LogAppendResult result)
    {
        await wait.ConfigureAwait(false);
        return result;
    }

    private LogAppendResult AppendLocked(IReadOnlyList<LogStreamPush> streams, out long waitFor, out bool cut)
    {
        _lastBatchAddress = -1;
        cut = false;
        int accepted = 0, rejected = 0, duplicates = 0;
        long bytes = 0;
        string? firstRejection = null;
        long window = _options.OutOfOrderWindow.Ticks * 100; // ns
        int maxLine = _options.MaxLineBytes;
        int target = _options.TargetBlockBytes;
        long nowMs = NowMs;
        for (int p = 0; p < streams.Count; p++)
        {
            var push = streams[p];
            var entries = push.Entries;
            if (entries.Count == 0) continue;
            if (!_byLabels.TryGetValue(push.Labels, out var s))
            {
                // A stream is created only for an entry it will keep: a push rejected whole leaves no trace.
                int firstOk = 0;
                while (firstOk < entries.Count && entries[firstOk].Line.Length > maxLine) firstOk++;
                for (int i = 0; i < firstOk; i++) firstRejection ??= DescribeTooLong(push.Labels, entries[i].TimestampNs, entries[i].Line.Length, maxLine);
                rejected += firstOk;
                if (firstOk == entries.Count) continue;
                s = GetOrCreateStream(push.Labels);
            }
            lock (s.Lock)
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    var e = entries[i];
                    var line = e.Line.Span;
                    long ts = e.TimestampNs;
                    if (line.Length > maxLine)
                    {
                        rejected++;
                        firstRejection ??= DescribeTooLong(s.Labels, ts, line.Length, maxLine);
                        continue;
                    }
                    if (ts < s.NewestTs && IsTooFarBehind(ts, s.NewestTs, window))
                    {
                        rejected++;
                        firstRejection ??= DescribeTooOld(s, ts, window);
                        continue;
                    }
                    if (ts <= s.Head.MaxTs && s.Head.Contains(ts, line))
                    {
                        duplicates++;
                        accepted++;
                        continue;
                    }
                    int metaLen = LogMetadata.Size(e.Metadata);
                    if (metaLen > MaxMetadataBytes)
                    {
                        rejected++;
                        firstRejection ??= $"entry for stream {s.Labels} at {FormatTs(ts)} has {metaLen} bytes of structured metadata, more than {MaxMetadataBytes}";
                        continue;
                    }
                    int size = line.Length + metaLen;
                    if (s.Head.Count > 0 && s.Head.RawBytes + size > target)
                    {
                        // A cut covers whole WAL entries of this stream: log what the head holds first.
                        if (s.BatchNo == _batchNo) FlushBatch();
                        CutHead(s);
                        cut = true;
                    }
                    if (_batch.Length > 0 && _batch.Length + size > MaxBatchBytes) FlushBatch();
                    if (s.HeadWalStart < 0 && s.BatchNo != _batchNo)
                    {
                        // The head starts in this WAL entry: it names the stream, so the WAL the head
                        // depends on is self-contained once older entries are truncated.
                        _batch.AddStreamDef(s);
                        _startedInBatch.Add(s);
                    }
                    s.BatchNo = _batchNo;
                    var head = s.Head;
                    if (head.Count == 0) head.CreatedAtMs = nowMs;
                    var walMeta = _batch.AddEntry(s, ts, line, metaLen);
                    var headMeta = head.AppendLine(ts, line, metaLen);
                    if (metaLen > 0)
                    {
                        LogMetadata.Write(e.Metadata, walMeta);
                        walMeta.CopyTo(headMeta);
                    }
                    if (ts > s.NewestTs) s.NewestTs = ts;
                    s.Widen(ts, ts);
                    accepted++;
                    bytes += line.Length;
                }
            }
        }
        FlushBatch();
        waitFor = _lastBatchAddress;
        Interlocked.Add(ref Metrics.EntriesAppendedValue, accepted);
        Interlocked.Add(ref Metrics.BytesAppendedValue, bytes);
        if (rejected > 0) Interlocked.Add(ref Metrics.EntriesRejectedValue, rejected);
        if (duplicates > 0) Interlocked.Add(ref Metrics.DuplicatesDroppedValue, duplicates);
        return new LogAppendResult(accepted, rejected, firstRejection) { Duplicates = duplicates };
    }

    /// <summary>newest − ts &gt; window for ts &lt; newest; the difference fits a ulong even when it overflows a long.</summary>
    private static bool IsTooFarBehind(long ts, long newest, long window) => unchecked((ulong)(newest - ts)) > (ulong)window;

    /// <summary>Enqueues the WAL entry being built (if any) and records where the heads started in it.</summary>
    private void FlushBatch()
    {
        if (_batch.IsEmpty) return;
        long address = _wal.Enqueue(_batch.Finish());
        foreach (var s in _startedInBatch) s.HeadWalStart = address;
        _startedInBatch.Clear();
        _batch.Reset();
        _batchNo++;
        _lastBatchAddress = address;
    }

    /// <summary>
    /// Cuts the stream's head chunk into a block waiting for compression. Under the append lock and
    /// the stream's lock, after every entry of the head has been enqueued in the WAL.
    /// </summary>
    private void CutHead(LogStream s)
    {
        var head = s.Head;
        if (head.Count == 0) return;
        var b = new BlockRef(s, s.NextSeq++, head.MinTs, head.MaxTs, head.Count, head.RawBytes, head.LineBytes, s.HeadWalStart, _wal.TailAddress)
        {
            Raw = head,
        };
        s.Head = new HeadChunk();
        s.Blocks = [.. s.Blocks, b];
        s.HeadWalStart = -1;
        s.WalEnd = b.WalEnd;
        lock (_queueLock) _cutQueue.Enqueue(b);
        Interlocked.Add(ref _queuedRawBytes, b.EntryBytes);
        Interlocked.Increment(ref Metrics.BlocksCutValue);
    }

    private static string FormatTs(long ns) =>
        DateTimeOffset.UnixEpoch.AddTicks(ns / 100).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static string DescribeTooOld(LogStream s, long ts, long window) =>
        $"entry for stream {s.Labels} has timestamp too old: {FormatTs(ts)}, oldest acceptable timestamp is: {FormatTs(s.NewestTs - window)}";

    private static string DescribeTooLong(Labels.LabelSet labels, long ts, int length, int max) =>
        $"line too long for stream {labels} at {FormatTs(ts)}: {length} bytes, limit {max}";
}
