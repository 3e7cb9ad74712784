using System.Buffers;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

public sealed partial class LogStore
{
    /// <summary>
    /// Backlog (raw bytes of cut, uncompressed blocks) above which blocks are compressed at
    /// <see cref="LogStoreOptions.FastCompressionLevel"/>: about 16 default blocks, ~35 ms of work at level 5.
    /// </summary>
    private long FastBacklogBytes => 16L * _options.TargetBlockBytes;

    /// <summary>Backlog above which appenders compress a block themselves before waiting for their commit.</summary>
    private long HelpBacklogBytes => 64L * _options.TargetBlockBytes;

    private readonly Lock _queueLock = new();
    // Cut blocks in cut order, until written to the chunk log (under _queueLock).
    private readonly Queue<BlockRef> _cutQueue = new();
    // Blocks in the chunk log whose record is still held in memory, in address order (under _queueLock).
    private readonly Queue<BlockRef> _unreleased = new();
    // Every block in the chunk log, in address order: what retention walks (under _queueLock).
    private readonly Queue<BlockRef> _stored = new();
    private readonly SemaphoreSlim _compressSignal = new(0, 1);
    // One writer to the chunk log at a time: blocks go in cut order (FORMAT.md, "Ordering").
    private readonly SemaphoreSlim _drainGate = new(1, 1);
    private readonly EntryBuilder _chunkEntry = new(1 << 20);
    private long _queuedRawBytes;
    private long _lastTruncationTail;

    private void SignalCompressor()
    {
        if (_compressSignal.CurrentCount == 0)
        {
            try
            {
                _compressSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled first: the compressor wakes either way.
            }
        }
    }

    /// <summary>The background compressor: compresses cut blocks, writes them to the chunk log, releases durable ones, truncates the WAL.</summary>
    private async Task CompressLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _compressSignal.WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                while (!ct.IsCancellationRequested && TryClaim() is { } b) Compress(b, ChooseLevel());
                await DrainAsync(ct).ConfigureAwait(false);
                ReleaseDurable();
                if (_wal.TailAddress - Volatile.Read(ref _lastTruncationTail) > (1L << _options.WalSegmentSizeBits))
                    await TruncateWalAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The one catch-all of the store, as the TSDB's maintenance loop: a failed round
                // (the chunk log or WAL failing, a bug) must not end compression for good. Data stays
                // in the WAL, which is never truncated past blocks not yet written; the next round retries.
                LogStoreLog.CompressorFailed(_logger, e);
            }
        }
    }

    private int ChooseLevel()
    {
        if (Volatile.Read(ref _queuedRawBytes) <= FastBacklogBytes) return _options.CompressionLevel;
        return _options.FastCompressionLevel;
    }

    /// <summary>Appender back-pressure: compress one waiting block at the fast level.</summary>
    private void HelpCompress()
    {
        if (TryClaim() is { } b) Compress(b, _options.FastCompressionLevel);
    }

    /// <summary>Claims the oldest cut block nobody compresses yet.</summary>
    private BlockRef? TryClaim()
    {
        lock (_queueLock)
        {
            foreach (var b in _cutQueue)
            {
                if (b.Claimed == 0)
                {
                    b.Claimed = 1;
                    return b;
                }
            }
        }
        return null;
    }

    /// <summary>Encodes, filters and compresses a claimed block into its record; then frees the head chunk it was cut from.</summary>
    private void Compress(BlockRef b, int level)
    {
        var raw = b.Raw!;
        var codec = _options.Codec;
        var labels = b.Stream.Labels;
        int labelsLength = BlockRecord.LabelsSize(labels);
        int payloadMax = BlockPayload.MaxLength(raw.Count, raw.DataLength, raw.HasMetadata);
        var payload = ArrayPool<byte>.Shared.Rent(payloadMax);
        var filterWords = NgramFilter.Rent();
        byte[] record;
        BlockHeader header;
        try
        {
            int rawLength = BlockPayload.Encode(raw.Data, raw.Entries, raw.Sorted, raw.HasMetadata, payload, filterWords, out long minTs, out long maxTs);
            int maxRecord = BlockRecord.HeaderSize + labelsLength + NgramFilter.MaxBytes + BlockCompression.MaxCompressedLength(rawLength);
            var scratch = ArrayPool<byte>.Shared.Rent(maxRecord);
            try
            {
                int filterOffset = BlockRecord.HeaderSize + labelsLength;
                BlockRecord.WriteLabels(labels, scratch.AsSpan(BlockRecord.HeaderSize));
                int filterLength = NgramFilter.Finish(filterWords, scratch.AsSpan(filterOffset));
                int payloadOffset = filterOffset + filterLength;
                int payloadLength = BlockCompression.Compress(codec, level, payload.AsSpan(0, rawLength), scratch, payloadOffset);
                if (payloadLength >= rawLength && codec != LogBlockCodec.None)
                {
                    codec = LogBlockCodec.None;
                    payloadLength = BlockCompression.Compress(codec, 0, payload.AsSpan(0, rawLength), scratch, payloadOffset);
                }
                header = new BlockHeader(codec, b.Stream.Id, b.Seq, minTs, maxTs, b.WalEnd, raw.Count, rawLength, (int)b.EntryBytes, (int)b.LineBytes,
                    labelsLength, filterLength, payloadLength,
                    Crc32C.Compute(scratch.AsSpan(filterOffset, filterLength)), Crc32C.Compute(scratch.AsSpan(payloadOffset, payloadLength)));
                BlockRecord.WriteHeader(header, scratch.AsSpan(BlockRecord.HeaderSize, labelsLength), scratch);
                record = scratch.AsSpan(0, header.RecordLength).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
            NgramFilter.Return(filterWords);
        }
        lock (b.Lock)
        {
            b.SetSections(header);
            b.Record = record;
            b.Raw = null;
        }
        // Readers copy a raw chunk under the block's lock, so none still reads it.
        raw.Release();
        Interlocked.Add(ref _queuedRawBytes, -b.EntryBytes);
        if (level != _options.CompressionLevel) Interlocked.Increment(ref Metrics.FastCompressedBlocksValue);
    }

    /// <summary>
    /// Writes compressed blocks to the chunk log in cut order, each once the WAL has committed
    /// every entry it holds: a block in the chunk log tells recovery to skip those WAL entries, so
    /// it must never outlive them in a crash. Returns when the oldest cut block is not compressed yet.
    /// </summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        await _drainGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (true)
            {
                BlockRef? b;
                lock (_queueLock) b = _cutQueue.Count > 0 ? _cutQueue.Peek() : null;
                if (b == null) return;
                byte[]? record;
                lock (b.Lock) record = b.Record;
                if (record == null) return;
                var durable = _wal.WaitForCommitAsync(b.WalEnd, ct);
                if (!durable.IsCompletedSuccessfully) await durable.ConfigureAwait(false);
                _chunkEntry.Reset();
                _chunkEntry.AddRecord(WalRecordType.LogEntries, record);
                long address = _chunks.Enqueue(_chunkEntry.Finish());
                Volatile.Write(ref b.Address, address);
                // Dequeued only after the enqueue: WAL truncation counts a block as pending until then.
                lock (_queueLock)
                {
                    _cutQueue.Dequeue();
                    _unreleased.Enqueue(b);
                    _stored.Enqueue(b);
                }
                Interlocked.Increment(ref Metrics.BlocksStoredValue);
                Interlocked.Add(ref Metrics.UncompressedBytesValue, b.EntryBytes);
                Interlocked.Add(ref Metrics.CompressedBytesValue, record.Length);
            }
        }
        finally
        {
            _drainGate.Release();
        }
    }

    /// <summary>Drops the in-memory records of blocks the chunk log has committed (readers then read the file).</summary>
    private void ReleaseDurable()
    {
        long committed = _chunks.CommittedAddress;
        while (true)
        {
            BlockRef b;
            lock (_queueLock)
            {
                if (_unreleased.Count == 0 || _unreleased.Peek().Address >= committed) return;
                b = _unreleased.Dequeue();
            }
            lock (b.Lock) b.Record = null;
        }
    }

    /// <summary>Compresses and writes every cut block, commits the chunk log and releases the records (maintenance, shutdown).</summary>
    private async Task FlushCutBlocksAsync(CancellationToken ct)
    {
        // Blocks claimed by an appender finish on its thread; wait for them to reach the chunk log.
        while (true)
        {
            while (TryClaim() is { } b) Compress(b, ChooseLevel());
            await DrainAsync(ct).ConfigureAwait(false);
            bool pending;
            lock (_queueLock) pending = _cutQueue.Count > 0;
            if (!pending) break;
            await Task.Delay(1, ct).ConfigureAwait(false);
        }
        await _chunks.CommitAsync(ct).ConfigureAwait(false);
        ReleaseDurable();
    }
}
