using System.Diagnostics;
using System.Globalization;
using Strata.Storage.Blocks;
using Strata.Storage.Head;
using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Storage.Tsdb;

public sealed partial class Tsdb
{
    private const string CheckpointPrefix = "checkpoint.";

    private string WalDir => Path.Combine(Options.Path, WalDirName);

    /// <summary>
    /// Opens every block directory under the data path (ours or Prometheus's: same format). Corrupt
    /// blocks are logged, counted and left on disk unserved; leftovers of interrupted writes and
    /// deletes are removed.
    /// </summary>
    private void OpenBlocks()
    {
        var handles = new List<BlockHandle>();
        foreach (var dir in Directory.EnumerateDirectories(Options.Path))
        {
            string name = Path.GetFileName(dir);
            if (name.EndsWith(BlockWriter.TmpForCreationSuffix, StringComparison.Ordinal) || name.EndsWith(".deleting", StringComparison.Ordinal) ||
                name.EndsWith(".tmp-for-deletion", StringComparison.Ordinal))
            {
                TryDeleteDirectory(dir);
                continue;
            }
            if (!File.Exists(Path.Combine(dir, BlockMeta.FileName))) continue;
            try
            {
                handles.Add(new BlockHandle(Block.Open(dir)));
            }
            catch (CorruptBlockException e)
            {
                Interlocked.Increment(ref _corruptions);
                Log.BlockCorrupt(_logger, dir, e.Message);
            }
        }
        handles.Sort(static (a, b) => a.Block.Meta.MinTime.CompareTo(b.Block.Meta.MinTime));
        _blocks = [.. handles];
    }

    /// <summary>
    /// Restores the head: the newest readable checkpoint, then every WAL entry after the address it
    /// covers. Samples already persisted in blocks are skipped (out of bounds); a torn WAL tail is
    /// cut off, logged and counted.
    /// </summary>
    private async Task RecoverAsync()
    {
        long blocksEnd = long.MinValue;
        foreach (var h in _blocks) blocksEnd = Math.Max(blocksEnd, h.Block.Meta.MaxTime);
        if (blocksEnd != long.MinValue) Head.SetMinValidTime(blocksEnd);

        Directory.CreateDirectory(WalDir);
        long from = LoadCheckpoint();
        _wal = WriteAheadLog.Open(WalDir);

        var sw = Stopwatch.StartNew();
        var handler = new ReplayHandler(Head);
        var result = _wal.Replay(Math.Max(from, _wal.BeginAddress), ref handler);
        if (!result.IsOk)
        {
            Interlocked.Increment(ref _walTornTails);
            Log.WalTornTail(_logger, result.TornAt, result.Reason ?? "corrupt entry");
        }
        Log.WalReplayed(_logger, from, result.Entries, handler.Samples, sw.ElapsedMilliseconds);
        // A crash between writing a block and the next checkpoint leaves its data in the older
        // checkpoint too: drop what the blocks already hold.
        if (blocksEnd != long.MinValue) Head.Truncate(blocksEnd);
        // A checkpoint beyond the log's end (the WAL was lost or cut) must not let the next restart
        // skip entries written from here on: checkpoint now at the actual tail.
        if (from > _wal.TailAddress) await CheckpointAsync().ConfigureAwait(false);
    }

    /// <summary>Loads the newest checkpoint that reads cleanly; returns the WAL address to replay from.</summary>
    private long LoadCheckpoint()
    {
        var files = Directory.GetFiles(WalDir, CheckpointPrefix + "*")
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .OrderByDescending(f => f, StringComparer.Ordinal)
            .ToList();
        foreach (var path in files)
        {
            var sw = Stopwatch.StartNew();
            var status = CheckpointReader.TryOpen(path, out var reader);
            if (!status.IsOk)
            {
                Interlocked.Increment(ref _corruptions);
                Log.CheckpointCorrupt(_logger, path, status.ToString());
                continue;
            }
            using (reader)
            {
                var restored = new List<(MemSeries, Chunks.ChunkSnapshot[])>();
                while (reader!.MoveNext())
                {
                    var series = Head.CreateWithRef(reader.SeriesRef, reader.LabelBuffer, reader.Labels);
                    restored.Add((series, reader.ToChunkSnapshots()));
                }
                if (!reader.Result.IsOk)
                {
                    // A partly read checkpoint would leave gaps: start over from an empty head.
                    Interlocked.Increment(ref _corruptions);
                    Log.CheckpointCorrupt(_logger, path, reader.Result.ToString());
                    throw new InvalidDataException($"checkpoint {path} is corrupt ({reader.Result}); move it away to start from the WAL alone");
                }
                foreach (var (series, chunks) in restored) Head.Restore(series, chunks);
                Log.CheckpointLoaded(_logger, path, restored.Count, sw.ElapsedMilliseconds);
                return reader.WalAddress;
            }
        }
        return 0;
    }

    /// <summary>
    /// Writes a checkpoint of the whole head at the current WAL tail, then drops the WAL before it and
    /// older checkpoints. The snapshot is taken under the append lock, so the WAL after that address
    /// holds exactly the samples appended after the snapshot.
    /// </summary>
    private async Task CheckpointAsync()
    {
        if (_wal == null) return;
        var sw = Stopwatch.StartNew();
        long address;
        List<(int Ref, LabelSet Labels, IReadOnlyList<Chunks.ChunkSnapshot> Chunks)> snapshot;
        lock (_appendLock)
        {
            address = _wal.TailAddress;
            snapshot = Head.Snapshot();
        }
        // The checkpoint names a WAL address to replay from; that address must be durable first, or
        // a crash could leave the log shorter than the checkpoint says and later entries unreplayed.
        await _wal.WaitForCommitAsync(address).ConfigureAwait(false);
        string path = Path.Combine(WalDir, CheckpointPrefix + address.ToString("D20", CultureInfo.InvariantCulture));
        CheckpointWriter.Write(path, address, snapshot);
        Log.CheckpointWritten(_logger, path, snapshot.Count, address, sw.ElapsedMilliseconds);
        _wal.TruncateUntil(address);
        foreach (var old in Directory.GetFiles(WalDir, CheckpointPrefix + "*"))
        {
            if (!string.Equals(old, path, StringComparison.Ordinal)) File.Delete(old);
        }
    }

    /// <summary>Applies replayed WAL records to the head.</summary>
    private struct ReplayHandler(Head.Head head) : IWalEntryHandler, IWalRecordHandler
    {
        private readonly Dictionary<int, MemSeries> _byRef = [];
        public long Samples;

        public void OnEntry(long address, ReadOnlySpan<byte> entry)
        {
            var self = this;
            WalRecords.Decode(entry, ref self);
            Samples = self.Samples;
        }

        public readonly void OnSeries(int seriesRef, ReadOnlySpan<byte> buffer, ReadOnlySpan<Utf8Label> labels) =>
            _byRef[seriesRef] = head.CreateWithRef(seriesRef, buffer, labels);

        public void OnSample(int seriesRef, long timestamp, double value)
        {
            var series = _byRef.GetValueOrDefault(seriesRef) ?? head.GetById(seriesRef);
            if (series == null) return; // defined in a truncated part of the log and since removed: nothing to restore
            head.Append(series, timestamp, value);
            Samples++;
        }

        public readonly void OnOtherRecord(WalRecordType type, ReadOnlySpan<byte> payload)
        {
        }
    }
}
