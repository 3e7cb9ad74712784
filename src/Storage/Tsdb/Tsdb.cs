using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strata.Storage.Blocks;
using Strata.Storage.Wal;

namespace Strata.Storage.Tsdb;

/// <summary>
/// The durable TSDB: the in-memory head, its write-ahead log on FASTER, and the persisted
/// Prometheus-format blocks, with block cutting, compaction and retention run in the background.
/// Reads merge head and blocks (<see cref="ISeriesReader"/>).
/// </summary>
/// <remarks>
/// Write path (see <see cref="AppendTransaction"/>): callers resolve series without locks, then one
/// append lock orders "append to the head" and "enqueue the WAL entry" so the WAL holds samples in
/// the order the head accepted them; the caller then awaits durability outside the lock (group
/// commit). Replay therefore reproduces the head exactly. Lock order: append lock, then stripe,
/// then series, then index. Block list: an immutable array swapped atomically; retired blocks are
/// closed once no reader holds them.
/// </remarks>
public sealed partial class Tsdb : IAsyncDisposable
{
    public const string WalDirName = "strata-wal";

    private readonly Lock _appendLock = new();
    private readonly Lock _blockListLock = new();
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();
    private volatile BlockHandle[] _blocks = [];
    private WriteAheadLog? _wal;
    private Task? _background;
    private long _corruptions;
    private long _walTornTails;
    private long _blocksWritten;
    private long _compactions;
    private long _blocksDeleted;

    private Tsdb(TsdbOptions options, ILogger logger, TimeProvider clock)
    {
        Options = options;
        _logger = logger;
        _clock = clock;
        Head = new Head.Head(options.Head);
    }

    public TsdbOptions Options { get; }
    public Head.Head Head { get; }

    /// <summary>Corrupt blocks, chunks or checkpoints detected since start.</summary>
    public long Corruptions => Interlocked.Read(ref _corruptions);
    public long WalTornTails => Interlocked.Read(ref _walTornTails);
    public long BlocksWritten => Interlocked.Read(ref _blocksWritten);
    public long Compactions => Interlocked.Read(ref _compactions);
    public long BlocksDeleted => Interlocked.Read(ref _blocksDeleted);
    public int BlockCount => _blocks.Length;
    public long WalSizeBytes => _wal?.SizeBytes ?? 0;

    public long BlocksSizeBytes
    {
        get
        {
            long n = 0;
            foreach (var b in _blocks) n += b.Block.SizeBytes;
            return n;
        }
    }

    /// <summary>Metas of the blocks currently served, oldest first.</summary>
    public IReadOnlyList<BlockMeta> Blocks => Array.ConvertAll(_blocks, b => b.Block.Meta);

    /// <summary>
    /// Opens (or creates) the data directory: opens blocks, restores the last checkpoint, replays the
    /// WAL after it, and starts background maintenance unless <paramref name="startMaintenance"/> is false.
    /// </summary>
    public static async Task<Tsdb> OpenAsync(TsdbOptions options, ILogger? logger = null, TimeProvider? clock = null, bool startMaintenance = true)
    {
        options.Validate();
        Directory.CreateDirectory(options.Path);
        var db = new Tsdb(options, logger ?? NullLogger.Instance, clock ?? TimeProvider.System);
        db.OpenBlocks();
        if (options.WalEnabled) await db.RecoverAsync().ConfigureAwait(false);
        if (startMaintenance)
        {
            db._background = Task.Run(() => db.MaintenanceLoopAsync(db._stop.Token));
        }
        return db;
    }

    /// <summary>Begins an append: takes the append lock until the transaction is disposed. Keep it short and synchronous.</summary>
    public AppendTransaction BeginAppend() => new(this);

    /// <summary>Completes when everything enqueued up to <paramref name="address"/> is on disk.</summary>
    public ValueTask WaitDurableAsync(long address, CancellationToken ct = default) =>
        _wal == null || address < 0 ? ValueTask.CompletedTask : _wal.WaitForCommitAsync(address, ct);

    internal Lock AppendLock => _appendLock;
    internal WriteAheadLog? Wal => _wal;

    private sealed class BlockHandle(Block block)
    {
        public readonly Block Block = block;
        public int Readers;
        public volatile bool Retired;
        public volatile bool DeleteOnClose;
    }

    private async Task MaintenanceLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Options.MaintenanceInterval, _clock);
        try
        {
            do
            {
                try
                {
                    await MaintainAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed round (disk full, corrupt input) must not stop future rounds; it is logged.
                    Log.MaintenanceFailed(_logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Clean shutdown: stops maintenance, writes a checkpoint of the whole head at the WAL tail so the
    /// next start only reads the checkpoint, and closes the WAL and blocks.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_background != null) await _background.ConfigureAwait(false);
        await _maintenance.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_wal != null)
            {
                await CheckpointAsync().ConfigureAwait(false);
                await _wal.DisposeAsync().ConfigureAwait(false);
                _wal = null;
            }
            foreach (var b in _blocks) b.Block.Dispose();
            _blocks = [];
        }
        finally
        {
            _maintenance.Release();
        }
        _stop.Dispose();
    }
}
