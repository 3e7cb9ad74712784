using System.Buffers.Binary;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace Strata.Storage.Wal;

/// <summary>
/// FasterLog's commit metadata, kept in one file of two fixed 4 KiB slots written alternately
/// (commit number parity), each with its own CRC-32C (FORMAT.md, "Commit file").
/// </summary>
/// <remarks>
/// Replaces FASTER's default <c>DeviceLogCommitCheckpointManager</c>, which creates a new file
/// <c>log-commits/commit.N.0</c> per commit and deletes the previous one without ever syncing the
/// directory: after a power loss the new name may be gone while the old one is already deleted,
/// and FasterLog then silently starts an empty log at address 64 over the old data. Here the file
/// is created (and its directory synced) once; each commit is one 4 KiB write through an
/// O_SYNC handle, so it is durable when <see cref="Commit"/> returns, and a torn slot write leaves
/// the other slot (the previous commit) intact.
/// Thread safety: FasterLog calls <see cref="Commit"/> from its serial commit worker; the lock
/// also orders it against <see cref="WriteTruncation"/> and reads.
/// </remarks>
internal sealed class WalCommitStore : ILogCommitManager
{
    // Must not start with the segment base name: FASTER's device recovery parses every "wal*" file as a segment.
    public const string FileName = "commit";
    private const int SlotSize = 4096;
    private const uint Magic = 0x4D435753; // "SWCM" little-endian
    private const byte SlotVersion = 1;
    private const int SlotHeader = 24;     // magic u32, version u8, pad u8×3, commitNum i64, length u32, crc u32

    private readonly SafeFileHandle _file;
    private readonly byte[] _slot = new byte[SlotSize];
    private readonly Lock _lock = new();

    public WalCommitStore(string dir)
    {
        string path = Path.Combine(dir, FileName);
        bool created = !File.Exists(path);
        _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, FileOptions.WriteThrough);
        if (created)
        {
            RandomAccess.SetLength(_file, 2 * SlotSize);
            RandomAccess.FlushToDisk(_file);
            FileSync.SyncDirectory(dir);
        }
    }

    /// <summary>Commits written through this store (FasterLog's and truncations).</summary>
    public long Commits { get; private set; }

    /// <summary>
    /// Called when a commit write fails. FasterLog runs <see cref="Commit"/> on its commit worker and
    /// never completes that commit if it throws, so without this the failure would only show as
    /// waiters that never return.
    /// </summary>
    public Action<Exception>? OnFailure { get; set; }

    public void Commit(long beginAddress, long untilAddress, byte[] commitMetadata, long commitNum, bool forceWriteMetadata)
    {
        lock (_lock)
        {
            try
            {
                WriteSlot(commitNum, commitMetadata);
            }
            catch (IOException e)
            {
                OnFailure?.Invoke(e);
                throw;
            }
            Commits++;
        }
    }

    public byte[] GetCommitMetadata(long commitNum)
    {
        lock (_lock)
        {
            for (int s = 0; s < 2; s++)
            {
                if (TryReadSlot(s, out long num, out byte[]? meta) && num == commitNum) return meta!;
            }
        }
        // FasterLog treats null as "no such commit".
        return null!;
    }

    public IEnumerable<long> ListCommits()
    {
        var list = new List<long>(2);
        lock (_lock)
        {
            for (int s = 0; s < 2; s++)
            {
                if (TryReadSlot(s, out long num, out _)) list.Add(num);
            }
        }
        list.Sort(static (a, b) => b.CompareTo(a));
        return list;
    }

    /// <summary>The newest valid commit, if any.</summary>
    public bool TryReadLatest(out long commitNum, out FasterLogRecoveryInfo info)
    {
        commitNum = -1;
        info = default;
        byte[]? best = null;
        lock (_lock)
        {
            for (int s = 0; s < 2; s++)
            {
                if (TryReadSlot(s, out long num, out byte[]? meta) && num > commitNum)
                {
                    commitNum = num;
                    best = meta;
                }
            }
        }
        if (best == null) return false;
        info = new FasterLogRecoveryInfo();
        using var reader = new BinaryReader(new MemoryStream(best));
        info.Initialize(reader);
        return true;
    }

    /// <summary>
    /// Writes a commit that ends the log at <paramref name="untilAddress"/> (cutting a corrupt tail),
    /// with a commit number above every existing one. Only while no FasterLog is open on the store.
    /// </summary>
    public void WriteTruncation(long beginAddress, long untilAddress, byte[] cookie)
    {
        lock (_lock)
        {
            long latest = -1;
            for (int s = 0; s < 2; s++)
            {
                if (TryReadSlot(s, out long num, out _) && num > latest) latest = num;
            }
            var info = new FasterLogRecoveryInfo();
            info.Initialize();
            info.BeginAddress = beginAddress;
            info.UntilAddress = untilAddress;
            info.CommitNum = latest + 1;
            info.Cookie = cookie;
            WriteSlot(latest + 1, info.ToByteArray());
            Commits++;
        }
    }

    public void RemoveCommit(long commitNum)
    {
        // Slots are overwritten in turn; an old commit is never removed on its own.
    }

    public void RemoveAllCommits()
    {
        lock (_lock)
        {
            Array.Clear(_slot);
            RandomAccess.Write(_file, _slot, 0);
            RandomAccess.Write(_file, _slot, SlotSize);
        }
    }

    public void OnRecovery(long commitNum)
    {
    }

    public void Dispose() => _file.Dispose();

    private void WriteSlot(long commitNum, byte[] metadata)
    {
        if (metadata.Length > SlotSize - SlotHeader) throw new InvalidOperationException("FasterLog commit metadata does not fit a commit slot");
        var s = _slot.AsSpan();
        s.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(s, Magic);
        s[4] = SlotVersion;
        BinaryPrimitives.WriteInt64LittleEndian(s[8..], commitNum);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], metadata.Length);
        metadata.CopyTo(s[SlotHeader..]);
        uint crc = Crc32C.Compute(s.Slice(SlotHeader, metadata.Length), Crc32C.Compute(s[..20]));
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], crc);
        // The handle is O_SYNC (FileOptions.WriteThrough): the write is durable when it returns.
        RandomAccess.Write(_file, _slot, (commitNum & 1) * SlotSize);
    }

    private bool TryReadSlot(int slot, out long commitNum, out byte[]? metadata)
    {
        commitNum = -1;
        metadata = null;
        var s = _slot.AsSpan();
        int n = RandomAccess.Read(_file, s, (long)slot * SlotSize);
        if (n < SlotHeader) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(s) != Magic || s[4] != SlotVersion) return false;
        long num = BinaryPrimitives.ReadInt64LittleEndian(s[8..]);
        int len = BinaryPrimitives.ReadInt32LittleEndian(s[16..]);
        if (len < 0 || len > n - SlotHeader || num < 0) return false;
        uint crc = Crc32C.Compute(s.Slice(SlotHeader, len), Crc32C.Compute(s[..20]));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(s[20..])) return false;
        commitNum = num;
        metadata = s.Slice(SlotHeader, len).ToArray();
        return true;
    }
}
