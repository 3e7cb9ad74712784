using System.Buffers;
using System.Text;
using Strata.Storage.Labels;
using Strata.Storage.Wal;

namespace Strata.Storage.Logs;

/// <summary>
/// One block's payload, uncompressed and parsed into columns for iteration: timestamps and line
/// offsets in pooled arrays, lines read in place from the payload buffer.
/// </summary>
/// <remarks>
/// Contract: owned by one cursor; every array is rented from <see cref="ArrayPool{T}.Shared"/> and
/// returned by <see cref="Dispose"/>. Metadata strings are decoded lazily, once per distinct symbol
/// per block, so reading metadata allocates per distinct value, not per line.
/// </remarks>
internal sealed class DecodedBlock : IDisposable
{
    private byte[] _buffer = [];
    private long[] _ts = [];
    private int[] _lineStart = [];  // Count + 1 entries: line i is [_lineStart[i], _lineStart[i + 1])
    private int[]? _metaStart;      // offset of entry i's pair list
    private int[] _symStart = [];
    private int[] _symLength = [];
    private string?[] _symCache = [];
    private int _symbols;

    public int Count { get; private set; }

    /// <summary>Order among a stream's blocks (cut order); the head chunk sorts last.</summary>
    public long Seq { get; private set; }

    public long RawLength { get; private set; }

    /// <summary>Takes ownership of <paramref name="payload"/> (rented) and parses it; false (and nothing owned) if it is malformed.</summary>
    public static DecodedBlock? TryParse(byte[] payload, int length, long seq)
    {
        var b = new DecodedBlock { _buffer = payload, Seq = seq, RawLength = length };
        if (b.Parse(payload.AsSpan(0, length))) return b;
        b._buffer = [];
        b.Dispose();
        ArrayPool<byte>.Shared.Return(payload);
        return null;
    }

    public long Timestamp(int i) => _ts[i];

    public ReadOnlySpan<byte> Line(int i) => _buffer.AsSpan(_lineStart[i], _lineStart[i + 1] - _lineStart[i]);

    /// <summary>First index with timestamp ≥ <paramref name="ts"/>.</summary>
    public int LowerBound(long ts)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ts[mid] < ts) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Fills <paramref name="scratch"/> with entry <paramref name="i"/>'s metadata and returns how many pairs it has.</summary>
    public int Metadata(int i, ref Label[] scratch)
    {
        if (_metaStart == null) return 0;
        var r = new SpanReader(_buffer.AsSpan(_metaStart[i]));
        int pairs = (int)r.ReadUvarint();
        if (scratch.Length < pairs) scratch = new Label[Math.Max(pairs, scratch.Length * 2)];
        for (int p = 0; p < pairs; p++)
        {
            int name = (int)r.ReadUvarint();
            int value = (int)r.ReadUvarint();
            scratch[p] = new Label(Symbol(name), Symbol(value));
        }
        return pairs;
    }

    private string Symbol(int s)
    {
        if ((uint)s >= (uint)_symbols) return "";
        return _symCache[s] ??= Encoding.UTF8.GetString(_buffer, _symStart[s], _symLength[s]);
    }

    private bool Parse(ReadOnlySpan<byte> p)
    {
        var r = new SpanReader(p);
        byte flags = r.ReadByte();
        ulong n = r.ReadUvarint();
        if (r.Failed || n > (ulong)p.Length) return false;
        int count = (int)n;
        Count = count;
        _ts = ArrayPool<long>.Shared.Rent(Math.Max(count, 1));
        _lineStart = ArrayPool<int>.Shared.Rent(count + 1);
        long t = r.ReadVarint();
        for (int i = 0; i < count; i++)
        {
            t += (long)r.ReadUvarint();
            _ts[i] = t;
        }
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            ulong len = r.ReadUvarint();
            _lineStart[i + 1] = (int)Math.Min(len, int.MaxValue);
            total += (long)len;
        }
        if (r.Failed) return false;
        if ((flags & BlockPayload.FlagMetadata) != 0 && !ParseMetadata(ref r, count)) return false;
        if (r.Failed || total != r.Remaining) return false;
        int pos = r.Position;
        for (int i = 0; i < count; i++)
        {
            _lineStart[i] = pos;
            pos += _lineStart[i + 1];
        }
        _lineStart[count] = pos;
        return true;
    }

    private bool ParseMetadata(ref SpanReader r, int count)
    {
        ulong symbols = r.ReadUvarint();
        if (r.Failed || symbols > (ulong)r.Remaining) return false;
        _symbols = (int)symbols;
        _symStart = ArrayPool<int>.Shared.Rent(Math.Max(_symbols, 1));
        _symLength = ArrayPool<int>.Shared.Rent(Math.Max(_symbols, 1));
        _symCache = ArrayPool<string?>.Shared.Rent(Math.Max(_symbols, 1));
        Array.Clear(_symCache, 0, _symbols);
        for (int s = 0; s < _symbols; s++)
        {
            int len = (int)Math.Min(r.ReadUvarint(), int.MaxValue);
            _symStart[s] = r.Skip(len);
            _symLength[s] = len;
        }
        _metaStart = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        for (int i = 0; i < count && !r.Failed; i++)
        {
            _metaStart[i] = r.Position;
            ulong pairs = r.ReadUvarint();
            if (pairs > (ulong)r.Remaining) return false;
            for (ulong q = 0; q < pairs * 2; q++)
            {
                if (r.ReadUvarint() >= symbols) return false;
            }
        }
        return !r.Failed;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        if (_ts.Length > 0) ArrayPool<long>.Shared.Return(_ts);
        if (_lineStart.Length > 0) ArrayPool<int>.Shared.Return(_lineStart);
        if (_metaStart != null) ArrayPool<int>.Shared.Return(_metaStart);
        if (_symStart.Length > 0) ArrayPool<int>.Shared.Return(_symStart);
        if (_symLength.Length > 0) ArrayPool<int>.Shared.Return(_symLength);
        if (_symCache.Length > 0) ArrayPool<string?>.Shared.Return(_symCache, clearArray: true);
        _buffer = [];
        _ts = [];
        _lineStart = [];
        _metaStart = null;
        _symStart = [];
        _symLength = [];
        _symCache = [];
        Count = 0;
    }
}
