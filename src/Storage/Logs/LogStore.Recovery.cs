using System.Diagnostics;
using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

public sealed partial class LogStore
{
    private int _maxSeenId = -1;

    /// <summary>
    /// Rebuilds the index from the chunk log's block headers, then replays the WAL: for each stream,
    /// entries in WAL entries before its newest block's <see cref="BlockRef.WalEnd"/> are in blocks
    /// already; the rest go back into its head chunk. Torn tails of either log are cut and counted.
    /// </summary>
    private void Recover(CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(ChunksDir);
        Directory.CreateDirectory(WalDir);
        _chunks = WriteAheadLog.Open(ChunksDir, WalOptionsFor(_options.ChunkSegmentSizeBits));
        _reader = new ChunkFileReader(ChunksDir, _options.ChunkSegmentSizeBits);
        var blocks = new Dictionary<LogStream, List<BlockRef>>();
        var chunkReplay = new ChunkReplay(this, blocks);
        var r = _chunks.Replay(_chunks.BeginAddress, ref chunkReplay);
        if (!r.IsOk)
        {
            Metrics.RecoveryTornTails++;
            LogStoreLog.TornTail(_logger, "chunk log", r.TornAt, r.Reason ?? "corrupt entry");
        }
        foreach (var (s, list) in blocks)
        {
            list.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
            s.Blocks = [.. list];
        }
        ct.ThrowIfCancellationRequested();

        _wal = WriteAheadLog.Open(WalDir, WalOptionsFor(_options.WalSegmentSizeBits));
        var walReplay = new WalReplay(this, NowMs);
        r = _wal.Replay(_wal.BeginAddress, ref walReplay);
        if (!r.IsOk)
        {
            Metrics.RecoveryTornTails++;
            LogStoreLog.TornTail(_logger, "WAL", r.TornAt, r.Reason ?? "corrupt entry");
        }
        if (walReplay.Orphans > 0) LogStoreLog.OrphanEntries(_logger, walReplay.Orphans, walReplay.OrphanIds.Count);
        _ids = StreamIdAllocator.Open(_options.Directory, _maxSeenId + 1);
        // Every replayed entry is before the tail now: heads over the target can be cut.
        lock (_appendLock)
        {
            foreach (var s in _byLabels.Values)
            {
                lock (s.Lock)
                {
                    if (s.Head.RawBytes >= _options.TargetBlockBytes) CutHead(s);
                    s.RecomputeBounds();
                    s.BatchNo = -1; // replay used it to number WAL entries
                }
            }
        }
        ForgetEmptyStreams();
        _lastTruncationTail = _wal.TailAddress;
        Metrics.RecoveredStreams = _byLabels.Count;
        Metrics.RecoveredWalEntries = r.Entries;
        Metrics.RecoveredHeadEntries = walReplay.HeadEntries;
        Metrics.RecoveryMilliseconds = sw.ElapsedMilliseconds;
        LogStoreLog.Recovered(_logger, _byLabels.Count, Metrics.RecoveredBlocks, r.Entries, walReplay.HeadEntries, sw.ElapsedMilliseconds);
    }

    /// <summary>
    /// Drops streams recovery created that hold nothing (a WAL definition whose entries were all
    /// in blocks retention has removed since): they would never be selected nor expire.
    /// </summary>
    private void ForgetEmptyStreams()
    {
        var empty = new Dictionary<int, LabelSet>();
        foreach (var s in _byLabels.Values)
        {
            if (s.Blocks.Length == 0 && s.Head.Count == 0) empty.Add(s.Id, s.Labels);
        }
        if (empty.Count == 0) return;
        foreach (var (id, s) in _byId)
        {
            if (empty.ContainsKey(s.Id)) _byId.TryRemove(id, out _);
        }
        foreach (var labels in empty.Values) _byLabels.Remove(labels);
        _index.Remove(empty);
        Interlocked.Add(ref Metrics.StreamsValue, -empty.Count);
    }

    /// <summary>The stream a recovered record names: by id if known, else by labels (an id alias after a restart), else new.</summary>
    private LogStream StreamForRecovery(int id, LabelSet labels)
    {
        if (id > _maxSeenId) _maxSeenId = id;
        if (_byId.TryGetValue(id, out var s) && s.Labels.Equals(labels)) return s;
        if (_byLabels.TryGetValue(labels, out s))
        {
            // Retention truncation not yet committed at a crash can bring back an older id of the same labels.
            _byId[id] = s;
            return s;
        }
        s = new LogStream(id, Intern(labels));
        if (_byId.ContainsKey(id))
        {
            // Ids are never reused (StreamIdAllocator); a clash means a damaged record that still had a valid CRC.
            throw new InvalidDataException($"stream id {id} names two label sets ({_byId[id].Labels} and {labels})");
        }
        AddStream(s);
        return s;
    }

    private Label InternPair(string name, string value) => _index.Intern(name, value);

    /// <summary>Reads block headers from chunk-log entries.</summary>
    private struct ChunkReplay(LogStore store, Dictionary<LogStream, List<BlockRef>> blocks) : IWalEntryHandler, IWalRecordHandler
    {
        private long _address;

        public void OnEntry(long address, ReadOnlySpan<byte> entry)
        {
            _address = address;
            var self = this;
            WalRecords.Decode(entry, ref self);
        }

        public readonly void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
        {
        }

        public readonly void OnSample(int seriesRef, long timestamp, double value)
        {
        }

        public readonly void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload)
        {
            if (type != WalRecordType.LogEntries) return;
            var h = BlockRecord.TryParse(payload, out var labelBytes, out string? reason);
            LabelSet? labels = h == null ? null : BlockRecord.ReadLabels(labelBytes, store.InternPair);
            if (h is not { } header || labels == null)
            {
                Interlocked.Increment(ref store.Metrics.CorruptBlocksValue);
                LogStoreLog.BlockCorrupt(store._logger, "?", _address, reason ?? "malformed labels");
                return;
            }
            var s = store.StreamForRecovery(header.StreamId, labels);
            var b = new BlockRef(s, header.Seq, header.MinTs, header.MaxTs, header.Count, header.EntryBytes, header.LineBytes, -1, header.WalEnd)
            {
                Address = _address,
            };
            b.SetSections(header);
            if (!blocks.TryGetValue(s, out var list)) blocks.Add(s, list = []);
            list.Add(b);
            store._stored.Enqueue(b);
            if (header.WalEnd > s.WalEnd) s.WalEnd = header.WalEnd;
            if (header.Seq >= s.NextSeq) s.NextSeq = header.Seq + 1;
            if (header.MaxTs > s.NewestTs) s.NewestTs = header.MaxTs;
            store.Metrics.RecoveredBlocks++;
        }
    }

    /// <summary>Replays WAL items into head chunks.</summary>
    private struct WalReplay(LogStore store, long nowMs) : IWalEntryHandler, IWalRecordHandler, ILogWalHandler
    {
        public long HeadEntries;
        public long Orphans;
        public HashSet<int> OrphanIds = [];
        private long _address;
        private long _entryNo;

        public void OnEntry(long address, ReadOnlySpan<byte> entry)
        {
            _address = address;
            _entryNo++;
            WalRecords.Decode(entry, ref this);
        }

        public readonly void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels)
        {
        }

        public readonly void OnSample(int seriesRef, long timestamp, double value)
        {
        }

        public void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload)
        {
            if (type != WalRecordType.LogEntries) return;
            string? error = LogWalReader.Decode(payload, ref this);
            if (error != null)
            {
                // The entry's CRC matched, so this is a writer bug, not a torn write: count and go on.
                Interlocked.Increment(ref store.Metrics.CorruptBlocksValue);
                LogStoreLog.BlockCorrupt(store._logger, "WAL", _address, error);
            }
        }

        public readonly void OnStreamDef(int id, ReadOnlySpan<byte> labels)
        {
            var set = BlockRecord.ReadLabels(labels, store.InternPair);
            if (set != null) store.StreamForRecovery(id, set);
        }

        public void OnEntry(int id, long ts, ReadOnlySpan<byte> line, ReadOnlySpan<byte> meta)
        {
            if (!store._byId.TryGetValue(id, out var s))
            {
                // Only entries already in blocks that retention has since removed lose their stream.
                Orphans++;
                OrphanIds.Add(id);
                return;
            }
            if (_address < s.WalEnd) return; // in a block already
            var head = s.Head;
            if (s.BatchNo != _entryNo)
            {
                // First entry of this stream in this WAL entry: a cut here covers whole WAL entries,
                // as it did when the entries were appended (keeps heads bounded if blocks were lost).
                if (head.Count > 0 && head.RawBytes >= store._options.TargetBlockBytes)
                {
                    CutDuringReplay(s, _address);
                    head = s.Head;
                }
                s.BatchNo = _entryNo;
            }
            if (head.Count == 0)
            {
                s.HeadWalStart = _address;
                head.CreatedAtMs = nowMs;
            }
            head.Append(ts, line, meta);
            if (ts > s.NewestTs) s.NewestTs = ts;
            HeadEntries++;
        }

        private readonly void CutDuringReplay(LogStream s, long walEnd)
        {
            var head = s.Head;
            var b = new BlockRef(s, s.NextSeq++, head.MinTs, head.MaxTs, head.Count, head.RawBytes, head.LineBytes, s.HeadWalStart, walEnd) { Raw = head };
            s.Head = new HeadChunk();
            s.Blocks = [.. s.Blocks, b];
            s.HeadWalStart = -1;
            s.WalEnd = walEnd;
            lock (store._queueLock) store._cutQueue.Enqueue(b);
            Interlocked.Add(ref store._queuedRawBytes, b.EntryBytes);
            Interlocked.Increment(ref store.Metrics.BlocksCutValue);
        }
    }
}
