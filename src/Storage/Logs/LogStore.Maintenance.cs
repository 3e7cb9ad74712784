namespace Strata.Storage.Logs;

public sealed partial class LogStore
{
    private readonly SemaphoreSlim _truncateGate = new(1, 1);

    /// <summary>
    /// One round of upkeep (the server calls it periodically; rounds never overlap): cuts head
    /// chunks older than <see cref="LogStoreOptions.MaxChunkAge"/>, writes every cut block to the
    /// chunk log, truncates the WAL behind them, and removes data past retention.
    /// </summary>
    public async ValueTask RunMaintenanceAsync(CancellationToken ct)
    {
        ThrowIfDisposed();
        await _maintenance.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            CutAgedHeads();
            await FlushCutBlocksAsync(ct).ConfigureAwait(false);
            await TruncateWalAsync().ConfigureAwait(false);
            await ApplyRetentionAsync(ct).ConfigureAwait(false);
            UpdateGauges();
        }
        finally
        {
            _maintenance.Release();
        }
    }

    private void UpdateGauges()
    {
        Metrics.WalBytes = _wal.SizeBytes;
        Metrics.ChunkLogBytes = _chunks.SizeBytes;
        Metrics.CompressionBacklogBytes = Volatile.Read(ref _queuedRawBytes);
    }

    private void CutAgedHeads()
    {
        long cutoff = NowMs - (long)_options.MaxChunkAge.TotalMilliseconds;
        bool cut = false;
        lock (_appendLock)
        {
            foreach (var s in _byLabels.Values)
            {
                if (s.Head.Count == 0 || s.Head.CreatedAtMs > cutoff) continue;
                lock (s.Lock) CutHead(s);
                cut = true;
            }
        }
        if (cut) SignalCompressor();
    }

    /// <summary>
    /// Truncates the WAL up to the oldest entry that is not yet durable in a block: the start of
    /// the oldest head chunk or of the oldest block not yet in the chunk log, after committing the
    /// chunk log so every block already written is durable. When the WAL spans more than
    /// <see cref="LogStoreOptions.MaxWalBytes"/>, head chunks pinning its older half are cut first
    /// (they free it on a later round, once written).
    /// </summary>
    private async Task TruncateWalAsync()
    {
        // The compressor and maintenance both truncate; one at a time keeps the begin address monotonic.
        await _truncateGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await TruncateWalCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _truncateGate.Release();
        }
    }

    private async Task TruncateWalCoreAsync()
    {
        long keepFrom;
        int forced = 0;
        lock (_appendLock)
        {
            long tail = _wal.TailAddress;
            keepFrom = tail;
            bool tooBig = tail - _wal.BeginAddress > _options.MaxWalBytes;
            long forceBelow = tail - _options.MaxWalBytes / 2;
            foreach (var s in _byLabels.Values)
            {
                long start = s.HeadWalStart;
                if (start < 0) continue;
                if (tooBig && start < forceBelow)
                {
                    lock (s.Lock) CutHead(s);
                    forced++;
                    continue;
                }
                if (start < keepFrom) keepFrom = start;
            }
            lock (_queueLock)
            {
                foreach (var b in _cutQueue)
                {
                    if (b.WalStart >= 0 && b.WalStart < keepFrom) keepFrom = b.WalStart;
                }
            }
            Volatile.Write(ref _lastTruncationTail, tail);
        }
        if (forced > 0)
        {
            Interlocked.Add(ref Metrics.ForcedCutsValue, forced);
            LogStoreLog.ForcedCuts(_logger, _wal.TailAddress - _wal.BeginAddress, forced);
            SignalCompressor();
        }
        await _chunks.CommitAsync().ConfigureAwait(false);
        ReleaseDurable();
        if (keepFrom > _wal.BeginAddress)
        {
            _wal.TruncateUntil(keepFrom);
            Interlocked.Increment(ref Metrics.WalTruncationsValue);
        }
    }

    /// <summary>
    /// Removes blocks, oldest written first, while they are past the time retention (newest entry
    /// older than now minus <see cref="LogStoreOptions.Retention"/>) or the data exceeds
    /// <see cref="LogStoreOptions.RetentionBytes"/>, then truncates the chunk log before the first
    /// block kept; FasterLog deletes the segment files wholly before it at the next commit.
    /// Streams left without data are forgotten.
    /// </summary>
    /// <remarks>
    /// Blocks are walked in chunk-log order, not time order: a block written late with old entries
    /// (out-of-order, at most <see cref="LogStoreOptions.OutOfOrderWindow"/> behind) keeps the
    /// blocks after it for that long. The size bound removes whole segments' worth, so it is met
    /// as soon as the truncation commits.
    /// </remarks>
    private async Task ApplyRetentionAsync(CancellationToken ct)
    {
        long cutoffNs = (_clock.GetUtcNow() - _options.Retention).ToUnixTimeMilliseconds() * 1_000_000;
        var removed = new List<BlockRef>();
        long keepFrom;
        string reason = "past retention time";
        // No block may enter the chunk log while the truncation point is chosen.
        await _drainGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            long sizeThreshold = long.MinValue;
            if (_options.RetentionBytes > 0)
            {
                long over = _chunks.SizeBytes + _wal.SizeBytes - _options.RetentionBytes;
                if (over > 0)
                {
                    long segment = 1L << _options.ChunkSegmentSizeBits;
                    long segStart = _chunks.BeginAddress & ~(segment - 1);
                    // Segments go whole: keep only blocks from the first segment boundary that frees enough.
                    sizeThreshold = (segStart + over + segment - 1) & ~(segment - 1);
                }
            }
            lock (_queueLock)
            {
                while (_stored.Count > 0)
                {
                    var b = _stored.Peek();
                    bool expired = b.MaxTs < cutoffNs;
                    if (!expired && b.Address >= sizeThreshold) break;
                    if (!expired) reason = "over retention size";
                    removed.Add(_stored.Dequeue());
                }
                keepFrom = _stored.Count > 0 ? _stored.Peek().Address : _chunks.TailAddress;
            }
            if (removed.Count == 0) return;
            _chunks.TruncateUntil(keepFrom);
        }
        finally
        {
            _drainGate.Release();
        }

        int streamsRemoved = 0;
        long bytes = 0;
        lock (_appendLock)
        {
            var byStream = new Dictionary<LogStream, HashSet<BlockRef>>();
            foreach (var b in removed)
            {
                bytes += b.StoredBytes;
                if (!byStream.TryGetValue(b.Stream, out var set)) byStream.Add(b.Stream, set = []);
                set.Add(b);
            }
            var forgotten = new Dictionary<int, Labels.LabelSet>();
            foreach (var (s, set) in byStream)
            {
                lock (s.Lock)
                {
                    s.Blocks = Array.FindAll(s.Blocks, b => !set.Contains(b));
                    s.RecomputeBounds();
                    if (s.Blocks.Length > 0 || s.Head.Count > 0) continue;
                }
                forgotten.Add(s.Id, s.Labels);
                _byLabels.Remove(s.Labels);
            }
            if (forgotten.Count > 0)
            {
                foreach (var (id, s) in _byId)
                {
                    if (forgotten.ContainsKey(s.Id)) _byId.TryRemove(id, out _);
                }
                _index.Remove(forgotten);
                streamsRemoved = forgotten.Count;
                Interlocked.Add(ref Metrics.StreamsValue, -forgotten.Count);
            }
        }
        Interlocked.Add(ref Metrics.RetentionDeletedBlocksValue, removed.Count);
        Interlocked.Add(ref Metrics.RetentionDeletedBytesValue, bytes);
        Interlocked.Add(ref Metrics.RetentionDeletedStreamsValue, streamsRemoved);
        LogStoreLog.RetentionDeleted(_logger, removed.Count, bytes, streamsRemoved, reason);
        // The truncation takes effect (and segment files go) with this commit.
        await _chunks.CommitAsync(ct).ConfigureAwait(false);
        lock (_queueLock)
        {
            // Records of removed blocks still held in memory are dropped with them.
            while (_unreleased.Count > 0 && _unreleased.Peek().Address < keepFrom) _unreleased.Dequeue();
        }
        _reader.DropBelow(_chunks.BeginAddress);
    }
}
