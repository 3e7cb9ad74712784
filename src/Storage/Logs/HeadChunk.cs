using System.Buffers;
using System.Runtime.CompilerServices;

namespace Strata.Storage.Logs;

/// <summary>Where one entry of a head chunk lives in its buffer: the line, then its serialised metadata (FORMAT.md, "Metadata pairs").</summary>
internal struct HeadEntry
{
    public long Ts;
    public int Offset;
    public int LineLength;
    public int MetaLength;
}

/// <summary>
/// A stream's open chunk: entries in arrival order, lines and metadata copied into one growable
/// buffer. Sorting by time happens once, when the chunk is encoded into a block.
/// </summary>
/// <remarks>
/// Contract: written under the store's append lock and the stream's lock; read (copied) under the
/// stream's lock. After the chunk is cut, it is immutable and owned by its <see cref="BlockRef"/>
/// until compressed, when <see cref="Release"/> returns its arrays to the pool; readers copy under
/// the block's lock, so no reader sees a returned array. Buffers come from
/// <see cref="ArrayPool{T}.Shared"/> and grow by doubling (a chunk of the default 256 KiB target
/// ends in a 256–512 KiB buffer); an idle stream holds none.
/// </remarks>
internal sealed class HeadChunk
{
    private const int InitialBytes = 4096;
    private const int InitialEntries = 32;

    private byte[] _data = [];
    private HeadEntry[] _entries = [];

    public int Count { get; private set; }
    public int DataLength { get; private set; }

    /// <summary>Line and metadata bytes (what <see cref="LogStoreOptions.TargetBlockBytes"/> measures).</summary>
    public long RawBytes { get; private set; }

    public long LineBytes { get; private set; }
    public long MinTs { get; private set; } = long.MaxValue;
    public long MaxTs { get; private set; } = long.MinValue;

    /// <summary>True while every entry arrived in timestamp order (then encoding needs no sort).</summary>
    public bool Sorted { get; private set; } = true;

    public bool HasMetadata { get; private set; }

    /// <summary>Wall-clock time of the first entry (for <see cref="LogStoreOptions.MaxChunkAge"/>).</summary>
    public long CreatedAtMs { get; set; }

    public ReadOnlySpan<byte> Data => _data.AsSpan(0, DataLength);
    public ReadOnlySpan<HeadEntry> Entries => _entries.AsSpan(0, Count);

    /// <summary>Appends an entry: the line, then <paramref name="meta"/> (already serialised) right after it (WAL replay).</summary>
    public void Append(long ts, ReadOnlySpan<byte> line, ReadOnlySpan<byte> meta)
    {
        int need = line.Length + meta.Length;
        if (_data.Length - DataLength < need) GrowData(need);
        if (Count == _entries.Length) GrowEntries();
        int off = DataLength;
        line.CopyTo(_data.AsSpan(off));
        meta.CopyTo(_data.AsSpan(off + line.Length));
        _entries[Count++] = new HeadEntry { Ts = ts, Offset = off, LineLength = line.Length, MetaLength = meta.Length };
        DataLength += need;
        RawBytes += need;
        LineBytes += line.Length;
        if (ts < MaxTs) Sorted = false;
        if (ts > MaxTs) MaxTs = ts;
        if (ts < MinTs) MinTs = ts;
        if (meta.Length > 0) HasMetadata = true;
    }

    /// <summary>Appends an entry and returns the <paramref name="metaLength"/> bytes where the caller writes its metadata (ingest path, no intermediate copy).</summary>
    public Span<byte> AppendLine(long ts, ReadOnlySpan<byte> line, int metaLength)
    {
        int need = line.Length + metaLength;
        if (_data.Length - DataLength < need) GrowData(need);
        if (Count == _entries.Length) GrowEntries();
        int off = DataLength;
        line.CopyTo(_data.AsSpan(off));
        _entries[Count++] = new HeadEntry { Ts = ts, Offset = off, LineLength = line.Length, MetaLength = metaLength };
        DataLength += need;
        RawBytes += need;
        LineBytes += line.Length;
        if (ts < MaxTs) Sorted = false;
        if (ts > MaxTs) MaxTs = ts;
        if (ts < MinTs) MinTs = ts;
        if (metaLength > 0) HasMetadata = true;
        return _data.AsSpan(off + line.Length, metaLength);
    }

    /// <summary>
    /// True if an entry with this timestamp and line is already here (Loki's exact-duplicate rule).
    /// Only called when <paramref name="ts"/> is not past the newest entry, which in-order streams never hit.
    /// </summary>
    public bool Contains(long ts, ReadOnlySpan<byte> line)
    {
        if (ts > MaxTs || ts < MinTs) return false;
        var entries = _entries.AsSpan(0, Count);
        // Retried pushes repeat the newest entries: search from the end.
        for (int i = entries.Length - 1; i >= 0; i--)
        {
            ref readonly var e = ref entries[i];
            if (e.Ts == ts && e.LineLength == line.Length && _data.AsSpan(e.Offset, e.LineLength).SequenceEqual(line)) return true;
        }
        return false;
    }

    /// <summary>Copies the chunk into pooled arrays owned by the caller (readers snapshot this way).</summary>
    public RawChunkCopy CopyOut()
    {
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(DataLength, 1));
        var entries = ArrayPool<HeadEntry>.Shared.Rent(Math.Max(Count, 1));
        _data.AsSpan(0, DataLength).CopyTo(data);
        _entries.AsSpan(0, Count).CopyTo(entries);
        return new RawChunkCopy(data, entries, Count, DataLength, Sorted, HasMetadata);
    }

    /// <summary>Returns the buffers to the pool; the chunk must not be used afterwards.</summary>
    public void Release()
    {
        if (_data.Length > 0) ArrayPool<byte>.Shared.Return(_data);
        if (_entries.Length > 0) ArrayPool<HeadEntry>.Shared.Return(_entries);
        _data = [];
        _entries = [];
        Count = 0;
        DataLength = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowData(int need)
    {
        int size = Math.Max(InitialBytes, _data.Length * 2);
        while (size - DataLength < need) size *= 2;
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _data.AsSpan(0, DataLength).CopyTo(bigger);
        if (_data.Length > 0) ArrayPool<byte>.Shared.Return(_data);
        _data = bigger;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowEntries()
    {
        var bigger = ArrayPool<HeadEntry>.Shared.Rent(Math.Max(InitialEntries, _entries.Length * 2));
        _entries.AsSpan(0, Count).CopyTo(bigger);
        if (_entries.Length > 0) ArrayPool<HeadEntry>.Shared.Return(_entries);
        _entries = bigger;
    }
}

/// <summary>A reader's private copy of a head or unsealed chunk, in pooled arrays it must <see cref="Release"/>.</summary>
internal readonly record struct RawChunkCopy(byte[] Data, HeadEntry[] Entries, int Count, int DataLength, bool Sorted, bool HasMetadata)
{
    public void Release()
    {
        ArrayPool<byte>.Shared.Return(Data);
        ArrayPool<HeadEntry>.Shared.Return(Entries);
    }
}
