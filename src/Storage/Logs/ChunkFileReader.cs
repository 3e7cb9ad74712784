using Microsoft.Win32.SafeHandles;

namespace Strata.Storage.Logs;

/// <summary>
/// Reads block sections straight from the chunk log's segment files with <c>pread</c>: a
/// <see cref="LogCursor"/> is synchronous, and FasterLog's random read is asynchronous and
/// allocates an array per record. Only data the chunk log has committed is read this way (newer
/// blocks are served from memory), so the bytes are on disk.
/// </summary>
/// <remarks>
/// Thread safety: any thread. Handles are cached per segment; <see cref="DropBelow"/> closes the
/// handles of segments retention removed. A read racing that close fails cleanly
/// (<see cref="ObjectDisposedException"/>), which readers treat like a removed file: the block is gone.
/// </remarks>
internal sealed class ChunkFileReader(string dir, int segmentSizeBits) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, SafeFileHandle> _handles = [];
    private readonly long _segmentMask = (1L << segmentSizeBits) - 1;

    /// <summary>Reads <paramref name="dst"/>.Length bytes at <paramref name="offset"/> of the block record in the entry at <paramref name="address"/>.</summary>
    public bool TryRead(long address, int offset, Span<byte> dst)
    {
        long segment = address >> segmentSizeBits;
        long position = (address & _segmentMask) + BlockRecord.OffsetInLogEntry + offset;
        try
        {
            var handle = Handle(segment);
            if (handle == null) return false;
            int total = 0;
            while (total < dst.Length)
            {
                int n = RandomAccess.Read(handle, dst[total..], position + total);
                if (n <= 0) return false;
                total += n;
            }
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private SafeFileHandle? Handle(long segment)
    {
        lock (_lock)
        {
            if (_handles.TryGetValue(segment, out var h)) return h;
            string path = Path.Combine(dir, Wal.WriteAheadLog.SegmentBaseName + "." + segment.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!File.Exists(path)) return null;
            h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            _handles.Add(segment, h);
            return h;
        }
    }

    /// <summary>Closes handles of segments wholly before <paramref name="beginAddress"/>.</summary>
    public void DropBelow(long beginAddress)
    {
        long first = beginAddress >> segmentSizeBits;
        lock (_lock)
        {
            List<long>? drop = null;
            foreach (var k in _handles.Keys)
            {
                if (k < first) (drop ??= []).Add(k);
            }
            if (drop == null) return;
            foreach (var k in drop)
            {
                _handles[k].Dispose();
                _handles.Remove(k);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var h in _handles.Values) h.Dispose();
            _handles.Clear();
        }
    }
}
