using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

/// <summary>
/// The log store (Loki's ingester and chunk store in one): streams keyed by label set and found
/// through the same <see cref="PostingsIndex"/> as the TSDB; entries go to per-stream head chunks
/// and a WAL, head chunks are cut into compressed blocks with a substring filter, and blocks are
/// kept in a second FasterLog, the chunk log. Layout and measurements: FORMAT.md.
/// </summary>
/// <remarks>
/// <para>Durability: <see cref="AppendAsync"/> returns after the WAL entry holding the accepted
/// entries is committed (group commit, shared with concurrent appends), so an acknowledged push
/// survives kill -9. Blocks are written to the chunk log later, in cut order, and only once the WAL
/// has committed everything they hold; the WAL is truncated only up to the oldest entry not yet
/// durable in a block. Recovery reads the chunk log's block headers (the index), then replays the
/// WAL entries each stream's blocks do not cover into its head chunk.</para>
/// <para>Locks, in order: the append lock (orders head appends, cuts and WAL enqueues; one per
/// store, as the TSDB's), a stream's lock (head and block list), the queue lock (cut and stored
/// block queues), a block's lock (its in-memory state). Readers take only stream and block locks,
/// briefly, to capture immutable arrays or copy a head chunk.</para>
/// <para>Threads: a background compressor compresses cut blocks and writes them to the chunk
/// log; appenders help when it falls behind. <see cref="RunMaintenanceAsync"/> cuts aged heads and
/// applies retention.</para>
/// </remarks>
public sealed partial class LogStore : IAsyncDisposable
{
    internal const string WalDirName = "wal";
    internal const string ChunksDirName = "chunks";

    private readonly LogStoreOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly PostingsIndex _index = new();
    private readonly Lock _appendLock = new();
    // Written under the append lock; _byId is also read by queries, hence concurrent.
    private readonly Dictionary<LabelSet, LogStream> _byLabels = [];
    private readonly ConcurrentDictionary<int, LogStream> _byId = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private WriteAheadLog _wal = null!;
    private WriteAheadLog _chunks = null!;
    private ChunkFileReader _reader = null!;
    private StreamIdAllocator _ids = null!;
    private Task _compressor = Task.CompletedTask;
    private int _disposed;

    private LogStore(LogStoreOptions options, ILogger logger, TimeProvider clock)
    {
        _options = options;
        _logger = logger;
        _clock = clock;
    }

    public LogStoreOptions Options => _options;

    public LogStoreMetrics Metrics { get; } = new();

    /// <summary>
    /// Opens (or creates) the store in <see cref="LogStoreOptions.Directory"/>: reads the chunk log's
    /// block headers, replays the WAL into head chunks and starts the background compressor.
    /// </summary>
    public static async Task<LogStore> OpenAsync(LogStoreOptions options, ILogger? logger = null, TimeProvider? clock = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.Directory);
        var store = new LogStore(options, logger ?? NullLogger.Instance, clock ?? TimeProvider.System);
        try
        {
            // Synchronous reads of both logs (FasterLog scans); nothing to overlap them with at start-up.
            store.Recover(ct);
        }
        catch
        {
            await store.CloseLogsAsync().ConfigureAwait(false);
            throw;
        }
        store._compressor = Task.Run(store.CompressLoopAsync, CancellationToken.None);
        return store;
    }

    /// <summary>
    /// Stops background work, writes every cut block to the chunk log, truncates the WAL as far as
    /// the blocks allow and closes both logs. Head chunks stay in the WAL and are replayed at open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        SignalCompressor();
        await _compressor.ConfigureAwait(false);
        await _maintenance.WaitAsync().ConfigureAwait(false);
        try
        {
            await FlushCutBlocksAsync(CancellationToken.None).ConfigureAwait(false);
            await TruncateWalAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // A failed log on the way out: acknowledged data is in the WAL, which replay reads.
            LogStoreLog.CompressorFailed(_logger, e);
        }
        finally
        {
            _maintenance.Release();
        }
        await CloseLogsAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task CloseLogsAsync()
    {
        if (_wal != null) await _wal.DisposeAsync().ConfigureAwait(false);
        if (_chunks != null) await _chunks.DisposeAsync().ConfigureAwait(false);
        _reader?.Dispose();
    }

    /// <summary>For tests: the WAL's tail (where the next WAL entry goes).</summary>
    internal long WalTailAddress => _wal.TailAddress;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private string WalDir => Path.Combine(_options.Directory, WalDirName);
    private string ChunksDir => Path.Combine(_options.Directory, ChunksDirName);

    /// <summary>
    /// Both logs commit at once, without the WAL's gathering spin (<see cref="WalOptions.GroupCommitQuietTime"/>):
    /// a push is ~230 KB, so a commit carries plenty per fsync without waiting for more, and the
    /// spin (a core yielding in a loop for up to 0.5 ms per commit) cost more CPU than the whole
    /// append path on this 2-core VM.
    /// </summary>
    private static WalOptions WalOptionsFor(int segmentBits) => new() { SegmentSizeBits = segmentBits, GroupCommitQuietTime = TimeSpan.Zero };

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Interns a label set's strings in the index (each distinct string kept once).</summary>
    private LabelSet Intern(LabelSet labels)
    {
        var src = labels.AsSpan();
        var copy = new Label[src.Length];
        for (int i = 0; i < src.Length; i++) copy[i] = _index.Intern(src[i].Name, src[i].Value);
        return new LabelSet(copy);
    }

    /// <summary>Finds or creates a stream; under the append lock.</summary>
    private LogStream GetOrCreateStream(LabelSet labels)
    {
        if (_byLabels.TryGetValue(labels, out var s)) return s;
        var interned = Intern(labels);
        s = new LogStream(_ids.Next(), interned);
        AddStream(s);
        Interlocked.Increment(ref Metrics.StreamsCreatedValue);
        return s;
    }

    private void AddStream(LogStream s)
    {
        _byLabels.Add(s.Labels, s);
        _byId[s.Id] = s;
        _index.Add(s.Id, s.Labels);
        Interlocked.Increment(ref Metrics.StreamsValue);
    }
}
