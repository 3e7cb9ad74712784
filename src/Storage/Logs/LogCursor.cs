using System.Buffers;
using Strata.Storage.Labels;

namespace Strata.Storage.Logs;

/// <summary>One chunk a cursor may read: a block, or a private copy of the head chunk.</summary>
internal struct CursorSource
{
    public BlockRef? Block;
    public RawChunkCopy? Head;
    public long MinTs;
    public long MaxTs;
    public long Seq;
    public DecodedBlock? Decoded;
    public int Pos;
    public int End;
}

/// <summary>
/// Iterates one stream's entries in a time range, in order, block by block. Line/Metadata are
/// valid until the next <see cref="MoveNext"/> (they may point into a pooled decompression buffer);
/// <see cref="Dispose"/> returns every buffer.
/// </summary>
/// <remarks>
/// <para>Blocks are grouped by overlapping time spans (a group is almost always one block; blocks
/// overlap only after out-of-order writes), and one group at a time is decompressed: a group of
/// several blocks is merged by (timestamp, block order), which keeps push order for equal
/// timestamps because blocks are cut in push order and the head chunk is newest.</para>
/// <para>Required literals are checked against a block's filter before its payload is read; a
/// skipped block costs one small read (or none, while the block is still in memory).</para>
/// <para>Not thread-safe. A block that turns out unreadable (checksum, format, or its segment
/// removed by retention meanwhile) is skipped and counted, not thrown.</para>
/// </remarks>
public sealed class LogCursor : IDisposable
{
    private readonly LogStore _store;
    private readonly CursorSource[] _sources; // sorted by MinTs, then Seq
    private readonly int[] _groupStart;       // group g is _sources[_groupStart[g] .. _groupStart[g + 1])
    private readonly long _from;
    private readonly long _to;
    private readonly bool _backward;
    private readonly IReadOnlyList<byte[]>? _literals;
    private int _nextGroup;                  // forward: next group to load; backward: one past it
    private int _loadedGroup = -1;
    private DecodedBlock? _current;
    private int _currentIndex;
    private Label[] _meta = new Label[4];
    private int _metaCount = -1;

    internal LogCursor(LogStore store, CursorSource[] sources, long fromNs, long toNs, bool backward, IReadOnlyList<byte[]>? literals)
    {
        _store = store;
        Array.Sort(sources, static (a, b) => a.MinTs != b.MinTs ? a.MinTs.CompareTo(b.MinTs) : a.Seq.CompareTo(b.Seq));
        _sources = sources;
        var starts = new List<int>();
        long groupMax = long.MinValue;
        for (int i = 0; i < sources.Length; i++)
        {
            if (i == 0 || sources[i].MinTs > groupMax)
            {
                starts.Add(i);
                groupMax = sources[i].MaxTs;
            }
            else if (sources[i].MaxTs > groupMax)
            {
                groupMax = sources[i].MaxTs;
            }
        }
        starts.Add(sources.Length);
        _groupStart = [.. starts];
        _from = fromNs;
        _to = toNs;
        _backward = backward;
        _literals = literals is { Count: > 0 } ? literals : null;
        _nextGroup = backward ? _groupStart.Length - 1 : 0;
    }

    public long TimestampNs { get; private set; }

    public ReadOnlySpan<byte> Line => _current == null ? default : _current.Line(_currentIndex);

    /// <summary>The entry's structured metadata (decoded on first access per entry; strings shared per block).</summary>
    public ReadOnlySpan<Label> Metadata
    {
        get
        {
            if (_current == null) return default;
            if (_metaCount < 0) _metaCount = _current.Metadata(_currentIndex, ref _meta);
            return _meta.AsSpan(0, _metaCount);
        }
    }

    /// <summary>Chunks decompressed or decoded (blocks and the head chunk).</summary>
    public long BlocksRead { get; private set; }

    /// <summary>Blocks skipped because their filter proved a required literal absent.</summary>
    public long BlocksSkipped { get; private set; }

    /// <summary>Uncompressed payload bytes produced by decompressing blocks.</summary>
    public long BytesDecompressed { get; private set; }

    /// <summary>Bytes read from the chunk log's files (compressed payloads and filters).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Uncompressed payload bytes of chunks served from memory without decompression (head and just-cut chunks).</summary>
    public long HeadBytes { get; private set; }

    /// <summary>Blocks that could not be read (corrupt, or removed by retention while the cursor was open).</summary>
    public long BlocksFailed { get; private set; }

    public bool MoveNext()
    {
        _metaCount = -1;
        while (true)
        {
            if (_loadedGroup >= 0)
            {
                int best = -1;
                long bestTs = 0, bestSeq = 0;
                int end = _groupStart[_loadedGroup + 1];
                for (int i = _groupStart[_loadedGroup]; i < end; i++)
                {
                    ref var src = ref _sources[i];
                    if (src.Decoded == null || src.Pos == src.End) continue;
                    long ts = src.Decoded.Timestamp(src.Pos);
                    if (best < 0 || (_backward
                            ? ts > bestTs || (ts == bestTs && src.Seq > bestSeq)
                            : ts < bestTs || (ts == bestTs && src.Seq < bestSeq)))
                    {
                        best = i;
                        bestTs = ts;
                        bestSeq = src.Seq;
                    }
                }
                if (best >= 0)
                {
                    ref var src = ref _sources[best];
                    _current = src.Decoded;
                    _currentIndex = src.Pos;
                    TimestampNs = bestTs;
                    src.Pos += _backward ? -1 : 1;
                    return true;
                }
                ReleaseGroup(_loadedGroup);
                _loadedGroup = -1;
                _current = null;
            }
            if (_backward ? _nextGroup <= 0 : _nextGroup >= _groupStart.Length - 1) return false;
            int g = _backward ? --_nextGroup : _nextGroup++;
            LoadGroup(g);
            _loadedGroup = g;
        }
    }

    private void LoadGroup(int g)
    {
        for (int i = _groupStart[g]; i < _groupStart[g + 1]; i++)
        {
            ref var src = ref _sources[i];
            src.Decoded = src.Head is { } head ? DecodeRaw(head, src.Seq) : Load(src.Block!);
            src.Head = null;
            if (src.Decoded is not { } d) continue;
            int lo = d.LowerBound(_from), hi = d.LowerBound(_to);
            if (_backward)
            {
                src.Pos = hi - 1;
                src.End = lo - 1;
            }
            else
            {
                src.Pos = lo;
                src.End = hi;
            }
        }
    }

    private void ReleaseGroup(int g)
    {
        for (int i = _groupStart[g]; i < _groupStart[g + 1]; i++)
        {
            _sources[i].Decoded?.Dispose();
            _sources[i].Decoded = null;
        }
    }

    /// <summary>Encodes a private copy of an uncompressed chunk into a payload and parses it (consumes the copy).</summary>
    private DecodedBlock? DecodeRaw(RawChunkCopy copy, long seq)
    {
        try
        {
            var entries = copy.Entries.AsSpan(0, copy.Count);
            var payload = ArrayPool<byte>.Shared.Rent(BlockPayload.MaxLength(copy.Count, copy.DataLength, copy.HasMetadata));
            int length = BlockPayload.Encode(copy.Data.AsSpan(0, copy.DataLength), entries, copy.Sorted, copy.HasMetadata, payload, null, out _, out _);
            BlocksRead++;
            HeadBytes += length;
            return DecodedBlock.TryParse(payload, length, seq);
        }
        finally
        {
            copy.Release();
        }
    }

    private DecodedBlock? Load(BlockRef b)
    {
        HeadChunk? raw;
        byte[]? record;
        RawChunkCopy? copy = null;
        LogBlockCodec codec;
        int rawLength, filterOffset, filterLength, payloadOffset, payloadLength;
        uint filterCrc, payloadCrc;
        lock (b.Lock)
        {
            raw = b.Raw;
            if (raw != null) copy = raw.CopyOut();
            record = b.Record;
            codec = b.Codec;
            rawLength = b.RawLength;
            filterOffset = b.FilterOffset;
            filterLength = b.FilterLength;
            payloadOffset = b.PayloadOffset;
            payloadLength = b.PayloadLength;
            filterCrc = b.FilterCrc;
            payloadCrc = b.PayloadCrc;
        }
        // Just cut, not compressed yet: no filter exists, read it like the head.
        if (copy is { } c) return DecodeRaw(c, b.Seq);
        long address = Volatile.Read(ref b.Address);

        if (_literals != null && filterLength > 0)
        {
            byte[]? rented = null;
            try
            {
                ReadOnlySpan<byte> filter;
                if (record != null)
                {
                    filter = record.AsSpan(filterOffset, filterLength);
                }
                else
                {
                    rented = ArrayPool<byte>.Shared.Rent(filterLength);
                    if (!_store.TryReadStored(address, filterOffset, rented.AsSpan(0, filterLength))) return Failed();
                    BytesRead += filterLength;
                    filter = rented.AsSpan(0, filterLength);
                    if (Crc32C.Compute(filter) != filterCrc) return Corrupt(b, "filter checksum mismatch");
                }
                foreach (var literal in _literals)
                {
                    if (!NgramFilter.MayContain(filter, literal))
                    {
                        BlocksSkipped++;
                        return null;
                    }
                }
            }
            finally
            {
                if (rented != null) ArrayPool<byte>.Shared.Return(rented);
            }
        }

        byte[] compressed;
        int offset;
        byte[]? readBuffer = null;
        if (record != null)
        {
            compressed = record;
            offset = payloadOffset;
        }
        else
        {
            readBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(payloadLength, 1));
            if (!_store.TryReadStored(address, payloadOffset, readBuffer.AsSpan(0, payloadLength)))
            {
                ArrayPool<byte>.Shared.Return(readBuffer);
                return Failed();
            }
            BytesRead += payloadLength;
            compressed = readBuffer;
            offset = 0;
        }
        try
        {
            if (record == null && Crc32C.Compute(compressed.AsSpan(offset, payloadLength)) != payloadCrc) return Corrupt(b, "payload checksum mismatch");
            var payload = ArrayPool<byte>.Shared.Rent(Math.Max(rawLength, 1));
            if (!BlockCompression.TryDecompress(codec, compressed, offset, payloadLength, payload.AsSpan(0, rawLength)))
            {
                ArrayPool<byte>.Shared.Return(payload);
                return Corrupt(b, "payload does not decompress");
            }
            BlocksRead++;
            BytesDecompressed += rawLength;
            return DecodedBlock.TryParse(payload, rawLength, b.Seq) ?? Corrupt(b, "malformed payload");
        }
        finally
        {
            if (readBuffer != null) ArrayPool<byte>.Shared.Return(readBuffer);
        }
    }

    private DecodedBlock? Failed()
    {
        BlocksFailed++;
        return null;
    }

    private DecodedBlock? Corrupt(BlockRef b, string reason)
    {
        _store.ReportCorrupt(b, reason);
        return Failed();
    }

    public void Dispose()
    {
        for (int i = 0; i < _sources.Length; i++)
        {
            ref var src = ref _sources[i];
            src.Decoded?.Dispose();
            src.Decoded = null;
            src.Head?.Release();
            src.Head = null;
        }
        _loadedGroup = -1;
        _current = null;
        _nextGroup = _backward ? 0 : _groupStart.Length - 1;
    }
}
