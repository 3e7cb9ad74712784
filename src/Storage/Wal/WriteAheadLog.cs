using System.Buffers.Binary;
using FASTER.core;

namespace Strata.Storage.Wal;

/// <summary>
/// The write-ahead log: <see cref="WalRecords"/> entries appended to a FASTER <see cref="FasterLog"/>,
/// each wrapped in a frame carrying a sequence number (FORMAT.md). Many writers enqueue
/// synchronously and then await durability; one background committer turns all pending waits into
/// a single FasterLog commit (group commit).
/// </summary>
/// <remarks>
/// <para>Thread safety: <see cref="Enqueue"/>, <see cref="WaitForCommitAsync"/>, <see cref="TruncateUntil"/>
/// and the address properties may be called from any thread. <see cref="Replay{THandler}"/> must
/// run before appends start and not concurrently with them (it may cut a torn tail and reopen the
/// log underneath). Lock order: <c>_commitGate</c>, then <c>_appendLock</c>.</para>
/// <para>Addresses are FasterLog logical addresses: an entry's address is where its frame starts;
/// <see cref="TailAddress"/> is where the next entry will go (or the start of the next page).
/// <see cref="CommittedAddress"/> is the end of the last durable entry.</para>
/// <para>Sequence numbers are assigned under <c>_appendLock</c>, so they increase with address;
/// replay requires each entry's number to follow its predecessor's. That catches what a per-entry
/// CRC cannot: an entry that is missing, or a valid but stale entry from before a crash read back
/// in its place. The next number to use is stored as the commit cookie, so a log reopened without
/// replay (or replayed from its tail) continues the sequence.</para>
/// </remarks>
public sealed partial class WriteAheadLog : IAsyncDisposable
{
    /// <summary>Base name of the segment files: <c>wal.0</c>, <c>wal.1</c>, … (FASTER's device naming).</summary>
    public const string SegmentBaseName = "wal";

    /// <summary>Frame header before each entry: sequence number u64, CRC-32C u32 (FORMAT.md).</summary>
    internal const int FrameSize = 12;

    private const int FasterRecordHeader = 4;
    private const uint CookieMagic = 0x4C415753; // "SWAL"
    private const int CookieSize = 16;

    private readonly string _dir;
    private readonly WalOptions _options;
    private readonly WalCommitStore _commitStore;
    private readonly Lock _appendLock = new();
    private readonly SemaphoreSlim _commitGate = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private IDevice _device;
    private volatile FasterLog _log;
    private ulong _nextSeq;
    private int _commitRequested;
    private TaskCompletionSource _committed = NewSignal();
    private readonly TaskCompletionSource _faulted = NewSignal();
    private Task _committer = Task.CompletedTask;
    private volatile bool _stopping;
    private volatile Exception? _fault;
    private int _disposed;
    private long _commits;
    private long _entries;
    private long _entriesAtLastCommit;  // committer only
    private long _lastCommitEntries;    // committer only
    private long _bytes;
    private byte[] _scratch = new byte[64 * 1024];
    private Func<IDevice, IDevice>? _wrapDevice;

    private WriteAheadLog(string dir, WalOptions options, WalCommitStore commitStore, IDevice device, FasterLog log, ulong nextSeq)
    {
        _dir = dir;
        _options = options;
        _commitStore = commitStore;
        _device = device;
        _log = log;
        _nextSeq = nextSeq;
        commitStore.OnFailure = e =>
        {
            _fault ??= e;
            _faulted.TrySetResult();
        };
    }

    /// <summary>
    /// Opens the log in <paramref name="dir"/> (creating it if needed), recovering to the last commit.
    /// Entries enqueued but not committed before a crash are gone; call <see cref="Replay{THandler}"/>
    /// before appending to verify what is there and cut a torn tail.
    /// </summary>
    public static WriteAheadLog Open(string dir, WalOptions? options = null) => Open(dir, options, wrapDevice: null);

    /// <summary>Opens with the FASTER device wrapped, for tests that inject device faults.</summary>
    internal static WriteAheadLog Open(string dir, WalOptions? options, Func<IDevice, IDevice>? wrapDevice)
    {
        options ??= new WalOptions();
        options.Validate();
        Directory.CreateDirectory(dir);
        var store = new WalCommitStore(dir);
        try
        {
            ulong nextSeq = 0;
            if (store.TryReadLatest(out _, out var info))
            {
                nextSeq = DecodeCookie(info.Cookie);
                ZeroPageTail(dir, options, info.UntilAddress);
            }
            else
            {
                // No commit ever completed: segment files can only hold unacknowledged writes, and
                // FASTER would start at address 64 over them anyway.
                DeleteSegments(dir, fromSegment: 0);
            }
            var (device, log) = OpenFaster(dir, options, store, wrapDevice);
            var wal = new WriteAheadLog(dir, options, store, device, log, nextSeq) { _wrapDevice = wrapDevice };
            wal._committer = Task.Run(wal.CommitLoopAsync);
            return wal;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Largest entry <see cref="Enqueue"/> accepts: a FasterLog page less its record header and our frame.</summary>
    public int MaxEntrySize => (1 << _options.PageSizeBits) - FasterRecordHeader - FrameSize;

    /// <summary>Address of the oldest entry kept (moves forward with <see cref="TruncateUntil"/>).</summary>
    public long BeginAddress => _log.BeginAddress;

    /// <summary>Address the next entry will be written at (or the start of a later page).</summary>
    public long TailAddress => _log.TailAddress;

    /// <summary>End of the durable part of the log: every entry before it survives a crash.</summary>
    public long CommittedAddress => _log.CommittedUntilAddress;

    /// <summary>Disk space the log spans: from the start of the first kept segment to the tail, plus the commit file.</summary>
    public long SizeBytes
    {
        get
        {
            var log = _log;
            long segStart = log.BeginAddress & ~((1L << _options.SegmentSizeBits) - 1);
            return log.TailAddress - segStart + 8192;
        }
    }

    /// <summary>FasterLog commits completed (each one is one flush and one commit-file write).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Entries enqueued since open.</summary>
    public long EntriesEnqueued => Interlocked.Read(ref _entries);

    /// <summary>Entry bytes enqueued since open (without framing).</summary>
    public long BytesEnqueued => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Appends one entry (built by <see cref="EntryBuilder"/>) to the in-memory log and returns its
    /// address; it is durable once <see cref="WaitForCommitAsync"/> for that address completes.
    /// Synchronous and allocation-free: it copies the entry into FasterLog's page under a short
    /// lock, and only spins when the in-memory ring is full of pages still being written.
    /// </summary>
    /// <exception cref="ArgumentException">Not a version-1 entry, or larger than <see cref="MaxEntrySize"/>.</exception>
    public unsafe long Enqueue(ReadOnlySpan<byte> entry)
    {
        if (entry.Length < WalRecords.HeaderSize || entry[0] != WalRecords.Version)
            throw new ArgumentException("not a WAL entry built by EntryBuilder", nameof(entry));
        if (entry.Length > MaxEntrySize)
            throw new ArgumentException($"WAL entry of {entry.Length} bytes exceeds the maximum of {MaxEntrySize}", nameof(entry));
        ThrowIfUnusable();
        long address;
        fixed (byte* p = entry)
        {
            lock (_appendLock)
            {
                var frame = new FrameEntry(p, entry.Length, _nextSeq);
                var log = _log;
                if (!log.TryEnqueue(frame, out address)) address = EnqueueUnderPressure(log, frame);
                _nextSeq++;
            }
        }
        Interlocked.Increment(ref _entries);
        Interlocked.Add(ref _bytes, entry.Length);
        return address;
    }

    private static long EnqueueUnderPressure(FasterLog log, FrameEntry frame)
    {
        // The ring is full of pages being flushed; they drain without a commit, at disk speed.
        var spin = new SpinWait();
        long address;
        while (!log.TryEnqueue(frame, out address)) spin.SpinOnce(sleep1Threshold: -1);
        return address;
    }

    /// <summary>
    /// Completes when the entry at <paramref name="address"/> is durable, or, when
    /// <paramref name="address"/> is a <see cref="TailAddress"/> read earlier, when every entry before it
    /// is. Completes synchronously if it already is; otherwise asks the committer for a commit and
    /// waits for the commit that covers it, together with every other waiter.
    /// </summary>
    public ValueTask WaitForCommitAsync(long address, CancellationToken ct = default)
    {
        if (IsDurable(address)) return ValueTask.CompletedTask;
        return WaitSlowAsync(address, ct);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitSlowAsync(long address, CancellationToken ct)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _committed);
            if (IsDurable(address)) return;
            ThrowIfUnusable();
            RequestCommit();
            if (ct.CanBeCanceled) await signal.Task.WaitAsync(ct).ConfigureAwait(false);
            else await signal.Task.ConfigureAwait(false);
        }
    }

    private bool IsDurable(long address)
    {
        var log = _log;
        long committed = log.CommittedUntilAddress;
        // A commit always ends at an entry boundary: the entry at `address` is in it iff it ends
        // after `address`. A tail address with nothing after it is covered when everything is.
        return committed > address || committed >= log.TailAddress;
    }

    /// <summary>
    /// Drops entries before <paramref name="address"/>, which must be an entry's address (or the
    /// tail): typically the WAL address a checkpoint covers. Takes effect with the next commit, which
    /// this requests; whole segment files before it are then deleted.
    /// </summary>
    public void TruncateUntil(long address)
    {
        ThrowIfUnusable();
        var log = _log;
        if (address > log.TailAddress) throw new ArgumentOutOfRangeException(nameof(address), "beyond the tail of the log");
        log.TruncateUntil(address);
        RequestCommit();
    }

    /// <summary>Commits everything enqueued so far and waits for it (tests, checkpoints, shutdown).</summary>
    public ValueTask CommitAsync(CancellationToken ct = default) => WaitForCommitAsync(TailAddress, ct);

    /// <summary>Commits what is pending and closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping = true;
        _wake.Release();
        await _committer.ConfigureAwait(false);
        _log.Dispose();
        _device.Dispose();
        _commitStore.Dispose();
        Volatile.Read(ref _committed).TrySetException(new ObjectDisposedException(nameof(WriteAheadLog)));
        _commitGate.Dispose();
        _wake.Dispose();
    }

    private void ThrowIfUnusable()
    {
        if (_fault is { } f) throw new IOException("the WAL failed to commit and no longer accepts writes", f);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static (IDevice, FasterLog) OpenFaster(string dir, WalOptions options, WalCommitStore store, Func<IDevice, IDevice>? wrapDevice)
    {
        var device = Devices.CreateLogDevice(Path.Combine(dir, SegmentBaseName), preallocateFile: false, deleteOnClose: false,
            capacity: Devices.CAPACITY_UNSPECIFIED, recoverDevice: true);
        if (wrapDevice != null) device = wrapDevice(device);
        try
        {
            var settings = new FasterLogSettings
            {
                LogDevice = device,
                PageSizeBits = options.PageSizeBits,
                MemorySizeBits = options.MemorySizeBits,
                SegmentSizeBits = options.SegmentSizeBits,
                LogCommitManager = store,
                // Recover explicitly: TryRecoverLatest swallows recovery errors and starts an empty log.
                TryRecoverLatest = false,
                AutoRefreshSafeTailAddress = false,
                RemoveOutdatedCommits = false,
            };
            var log = new FasterLog(settings);
            try
            {
                log.Recover(-1);
            }
            catch
            {
                log.Dispose();
                throw;
            }
            return (device, log);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static byte[] EncodeCookie(ulong nextSeq)
    {
        var c = new byte[CookieSize];
        BinaryPrimitives.WriteUInt32LittleEndian(c, CookieMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(c.AsSpan(8), nextSeq);
        return c;
    }

    private static ulong DecodeCookie(byte[]? cookie)
    {
        if (cookie is not { Length: CookieSize } || BinaryPrimitives.ReadUInt32LittleEndian(cookie) != CookieMagic) return 0;
        return BinaryPrimitives.ReadUInt64LittleEndian(cookie.AsSpan(8));
    }

    private static string SegmentPath(string dir, long segment) => Path.Combine(dir, SegmentBaseName + "." + segment.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Zeroes the on-disk remainder of the page holding <paramref name="untilAddress"/>. Bytes after
    /// the commit point are leftovers: entries flushed but never committed, or a cut-off corrupt
    /// tail. FasterLog reloads that page on recovery and keeps appending into it; if a later entry
    /// did not fit, the rest of the page becomes padding, which the scan must read as zeros.
    /// FasterLog 2.6.5 already clears the in-memory page past the recovered tail (the test
    /// <c>LeftoversAfterTheCommitPointNeverBecomePagePadding</c> passes without this), so this is a
    /// guard that keeps the file itself clean rather than relying on that internal; it costs at
    /// most one page write per open.
    /// </summary>
    private static void ZeroPageTail(string dir, WalOptions options, long untilAddress)
    {
        long pageMask = (1L << options.PageSizeBits) - 1;
        if ((untilAddress & pageMask) == 0) return;
        string path = SegmentPath(dir, untilAddress >> options.SegmentSizeBits);
        if (!File.Exists(path)) return;
        long offset = untilAddress & ((1L << options.SegmentSizeBits) - 1);
        long length = (1L << options.PageSizeBits) - (untilAddress & pageMask);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        long fileLength = RandomAccess.GetLength(file);
        if (offset >= fileLength) return;
        length = Math.Min(length, fileLength - offset);
        var zeros = new byte[(int)Math.Min(length, 1 << 20)];
        for (long done = 0; done < length;)
        {
            int n = (int)Math.Min(zeros.Length, length - done);
            RandomAccess.Write(file, zeros.AsSpan(0, n), offset + done);
            done += n;
        }
        RandomAccess.FlushToDisk(file);
    }

    private static void DeleteSegments(string dir, long fromSegment)
    {
        foreach (var path in Directory.EnumerateFiles(dir, SegmentBaseName + ".*"))
        {
            var suffix = Path.GetFileName(path).AsSpan(SegmentBaseName.Length + 1);
            if (long.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seg) && seg >= fromSegment)
                File.Delete(path);
        }
    }

    /// <summary>
    /// The frame FasterLog copies into its page (FORMAT.md): sequence number, CRC-32C over the
    /// sequence number and the entry's header (whose own CRC covers the rest), then the entry.
    /// A struct over a pinned pointer so the generic <c>TryEnqueue&lt;T&gt;</c> writes it in place
    /// without boxing or a staging copy.
    /// </summary>
    private readonly unsafe struct FrameEntry(byte* entry, int length, ulong seq) : ILogEnqueueEntry
    {
        public int SerializedLength => FrameSize + length;

        public void SerializeTo(Span<byte> dest)
        {
            var src = new ReadOnlySpan<byte>(entry, length);
            BinaryPrimitives.WriteUInt64LittleEndian(dest, seq);
            uint crc = Crc32C.Compute(src[..WalRecords.HeaderSize], Crc32C.Compute(dest[..8]));
            BinaryPrimitives.WriteUInt32LittleEndian(dest[8..], crc);
            src.CopyTo(dest[FrameSize..]);
        }
    }
}
