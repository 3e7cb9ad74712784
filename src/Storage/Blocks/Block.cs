using Strata.Storage.Labels;

namespace Strata.Storage.Blocks;

/// <summary>
/// An immutable, persisted block (a Prometheus TSDB block directory): meta.json, a memory-mapped
/// index and chunk segments, and tombstones. Queries read through the maps; nothing is loaded whole.
/// </summary>
/// <remarks>
/// Thread safety: any number of threads may query at once. Every query holds a reader lease;
/// <see cref="Dispose"/> waits for running queries to finish and refuses new ones, because unmapping
/// under a reader would leave it pointing at freed memory (Prometheus's <c>Block.Close</c> waits on
/// <c>pendingReaders</c> for the same reason).
/// Lifecycle: <see cref="Open"/> validates the structure (magic numbers, versions, TOC and table
/// checksums); series records, postings lists and chunks are checksummed when read, and a mismatch
/// throws <see cref="CorruptBlockException"/> for that read only.
/// </remarks>
public sealed partial class Block : ISeriesReader, IDisposable
{
    private readonly IndexReader _index;
    private readonly ChunkSegmentReader _chunks;
    private readonly Dictionary<long, TombstoneInterval[]> _tombstones;
    private readonly object _gate = new();
    private int _readers;
    private bool _disposed;

    private Block(string dir, BlockMeta meta, IndexReader index, ChunkSegmentReader chunks, Dictionary<long, TombstoneInterval[]> tombstones, long sizeBytes)
    {
        Directory = dir;
        Meta = meta;
        _index = index;
        _chunks = chunks;
        _tombstones = tombstones;
        SizeBytes = sizeBytes;
    }

    public string Directory { get; }
    public BlockMeta Meta { get; }

    /// <summary>The block's lower time bound (meta.json minTime), as a bound on the oldest sample.</summary>
    public long MinTime => Meta.MinTime;

    /// <summary>The newest timestamp the block may hold: meta.json maxTime is exclusive.</summary>
    public long MaxTime => Meta.MaxTime - 1;

    /// <summary>Total size of the block's files in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>Deleted intervals by series reference (the series record's offset in the index / 16).</summary>
    public IReadOnlyDictionary<long, TombstoneInterval[]> Tombstones => _tombstones;

    public static Block Open(string dir)
    {
        string metaPath = Path.Combine(dir, BlockMeta.FileName);
        if (!File.Exists(metaPath)) throw new CorruptBlockException(metaPath, 0, "meta.json missing");
        var metaBytes = File.ReadAllBytes(metaPath);
        var meta = BlockMeta.Parse(metaBytes, metaPath);
        if (meta.Version != BlockMeta.CurrentVersion) throw new CorruptBlockException(metaPath, 0, $"unsupported meta.json version {meta.Version}");

        string tombPath = Path.Combine(dir, TombstonesFile.FileName);
        var tombstones = TombstonesFile.Read(tombPath);
        var index = IndexReader.Open(Path.Combine(dir, IndexFormat.FileName));
        ChunkSegmentReader chunks;
        try
        {
            chunks = ChunkSegmentReader.Open(Path.Combine(dir, "chunks"));
        }
        catch
        {
            index.Dispose();
            throw;
        }
        long size = metaBytes.Length + index.SizeBytes + chunks.SizeBytes + (File.Exists(tombPath) ? new FileInfo(tombPath).Length : 0);
        return new Block(dir, meta, index, chunks, tombstones, size);
    }

    /// <summary>Label names present in the block, ordinal order.</summary>
    public string[] LabelNames()
    {
        using var lease = Acquire();
        return _index.LabelNames();
    }

    /// <summary>Values of one label name, ordinal order.</summary>
    public string[] LabelValues(string name)
    {
        using var lease = Acquire();
        return _index.LabelValues(name);
    }

    /// <summary>The reference of the series with exactly these labels, or -1 (for tombstones and tests).</summary>
    public long SeriesRef(LabelSet labels)
    {
        if (labels.Count == 0) return -1;
        using var lease = Acquire();
        var chunks = new List<ChunkMeta>();
        foreach (int r in _index.Materialize(_index.View(labels[0].Name, labels[0].Value)))
        {
            if (_index.ReadSeries(r, chunks).Equals(labels)) return r;
        }
        return -1;
    }

    private Lease Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _readers++;
        }
        return new Lease(this);
    }

    private void Release()
    {
        lock (_gate)
        {
            if (--_readers == 0 && _disposed) Monitor.PulseAll(_gate);
        }
    }

    private readonly struct Lease(Block block) : IDisposable
    {
        public void Dispose() => block.Release();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            while (_readers > 0) Monitor.Wait(_gate);
        }
        _index.Dispose();
        _chunks.Dispose();
    }

    public override string ToString() => $"block {Meta.Ulid} [{Meta.MinTime}, {Meta.MaxTime})";
}
