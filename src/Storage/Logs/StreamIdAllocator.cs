using System.Buffers.Binary;

namespace Strata.Storage.Logs;

/// <summary>
/// Hands out stream ids that are never reused, even across restarts after retention removed every
/// trace of a stream: WAL records name streams by id, so a reused id could attach an old stream's
/// entries to a new stream's labels.
/// </summary>
/// <remarks>
/// Ids are leased in runs of <see cref="Lease"/>: before the first id of a run is used, the end of
/// the run is written durably to <c>stream-ids</c> (FORMAT.md). After a crash the next id is at
/// least that end, so at most one run is skipped per restart. Not thread-safe: called under the
/// store's append lock (and during recovery).
/// </remarks>
internal sealed class StreamIdAllocator
{
    public const string FileName = "stream-ids";
    private const uint Magic = 0x44494C53; // "SLID"
    private const int Lease = 4096;

    private readonly string _path;
    private int _next;
    private int _leasedUntil;

    private StreamIdAllocator(string path, int next, int leasedUntil)
    {
        _path = path;
        _next = next;
        _leasedUntil = leasedUntil;
    }

    /// <summary>Reads the lease file; the next id is past both it and <paramref name="minNext"/>.</summary>
    public static StreamIdAllocator Open(string dir, int minNext)
    {
        string path = Path.Combine(dir, FileName);
        int floor = 0;
        if (File.Exists(path))
        {
            var b = File.ReadAllBytes(path);
            if (b.Length != 12 || BinaryPrimitives.ReadUInt32LittleEndian(b) != Magic ||
                Crc32C.Compute(b.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(8)))
                throw new InvalidDataException($"{path} is corrupt; stream ids cannot be allocated safely (move it away only if the WAL is empty)");
            floor = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(4));
        }
        int next = Math.Max(floor, minNext);
        return new StreamIdAllocator(path, next, next);
    }

    public int Next()
    {
        if (_next >= _leasedUntil)
        {
            int until = checked(_next + Lease);
            var b = new byte[12];
            BinaryPrimitives.WriteUInt32LittleEndian(b, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), until);
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), Crc32C.Compute(b.AsSpan(0, 8)));
            FileSync.WriteFileAtomic(_path, b);
            FileSync.SyncDirectory(Path.GetDirectoryName(_path)!);
            _leasedUntil = until;
        }
        return _next++;
    }
}
