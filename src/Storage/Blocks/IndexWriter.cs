using Strata.Storage.Labels;

namespace Strata.Storage.Blocks;

/// <summary>
/// Writes an index file in format v2 the way Prometheus 2.42's <c>index.Writer</c> does, section for
/// section and padding for padding, so that the same symbols and series give the same bytes.
/// Usage: <see cref="AddSymbols"/> once, then <see cref="AddSeries"/> in label order, then
/// <see cref="Finish"/>. Not thread-safe.
/// </summary>
/// <remarks>
/// Postings are collected in memory (series refs per label pair) instead of Prometheus's temporary
/// files that re-scan the series section; the bytes written are the same.
/// </remarks>
internal sealed class IndexWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly EncBuf _buf = new(4096);
    private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Dictionary<string, List<uint>>> _postings = new(Utf8Order.Instance);
    private readonly List<uint> _all = [];
    private string[] _symbols = [];
    private long _pos;
    private ulong _tocSymbols, _tocSeries;
    private LabelSet? _last;

    public IndexWriter(string path)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        _buf.PutBE32(IndexFormat.Magic);
        _buf.PutByte(IndexFormat.V2);
        Flush();
    }

    private void Flush()
    {
        _file.Write(_buf.Span);
        _pos += _buf.Length;
        _buf.Reset();
    }

    private void Pad(int alignment)
    {
        int n = (int)((alignment - _pos % alignment) % alignment);
        for (int i = 0; i < n; i++) _buf.PutByte(0);
        Flush();
    }

    /// <summary>The symbol table: every label name and value, distinct and sorted in UTF-8 byte order.</summary>
    public void AddSymbols(IReadOnlyList<string> sorted)
    {
        _symbols = [.. sorted];
        _tocSymbols = (ulong)_pos;
        _buf.PutBE32(0); // length placeholder
        _buf.PutBE32((uint)sorted.Count);
        for (int i = 0; i < sorted.Count; i++)
        {
            if (i > 0 && Utf8Order.CompareStrings(sorted[i - 1], sorted[i]) >= 0)
                throw new ArgumentException($"symbol \"{sorted[i]}\" out of order", nameof(sorted));
            _buf.PutUvarintString(sorted[i]);
            _symbolIds[sorted[i]] = i;
        }
        _buf.SetBE32(0, (uint)(_buf.Length - 4));
        _buf.PutCrcOf(4);
        Flush();
        _tocSeries = (ulong)_pos;
    }

    /// <summary>Adds a series with its chunk metas (time-ordered, non-overlapping); returns its ref (offset / 16).</summary>
    public uint AddSeries(LabelSet labels, ReadOnlySpan<ChunkMeta> chunks)
    {
        if (_last != null && Utf8Order.CompareLabels(_last, labels) >= 0)
            throw new ArgumentException($"series {labels} out of order or duplicate", nameof(labels));
        _last = labels;
        Pad(IndexFormat.SeriesAlignment);
        if (_pos / IndexFormat.SeriesAlignment > uint.MaxValue)
            throw new InvalidOperationException("index exceeds 64 GiB: series references no longer fit 32 bits");
        uint seriesRef = (uint)(_pos / IndexFormat.SeriesAlignment);

        // Content first (its length prefixes it), into the tail of the buffer, then moved behind the length.
        _buf.PutUvarint((ulong)labels.Count);
        foreach (var l in labels.AsSpan())
        {
            _buf.PutUvarint((ulong)Symbol(l.Name));
            _buf.PutUvarint((ulong)Symbol(l.Value));
            if (!_postings.TryGetValue(l.Name, out var values)) _postings[l.Name] = values = new Dictionary<string, List<uint>>(StringComparer.Ordinal);
            if (!values.TryGetValue(l.Value, out var list)) values[l.Value] = list = [];
            list.Add(seriesRef);
        }
        _all.Add(seriesRef);
        _buf.PutUvarint((ulong)chunks.Length);
        if (chunks.Length > 0)
        {
            var c = chunks[0];
            _buf.PutVarint(c.MinTime);
            _buf.PutUvarint((ulong)(c.MaxTime - c.MinTime));
            _buf.PutUvarint(c.Ref);
            long t0 = c.MaxTime;
            ulong ref0 = c.Ref;
            for (int i = 1; i < chunks.Length; i++)
            {
                c = chunks[i];
                _buf.PutUvarint((ulong)(c.MinTime - t0));
                _buf.PutUvarint((ulong)(c.MaxTime - c.MinTime));
                t0 = c.MaxTime;
                _buf.PutVarint((long)(c.Ref - ref0));
                ref0 = c.Ref;
            }
        }
        int contentLen = _buf.Length;
        uint crc = Crc32C.Compute(_buf.Span);
        Span<byte> lenBytes = stackalloc byte[10];
        int n = Chunks.Varint.PutUvarint(lenBytes, (ulong)contentLen);
        _file.Write(lenBytes[..n]);
        _pos += n;
        _buf.PutBE32(crc);
        Flush();
        return seriesRef;
    }

    private int Symbol(string s) =>
        _symbolIds.TryGetValue(s, out int id) ? id : throw new ArgumentException($"symbol \"{s}\" missing from the symbol table");

    /// <summary>Writes label indices, postings, both offset tables and the TOC; then flushes and fsyncs.</summary>
    public void Finish()
    {
        ulong tocLabelIndices = (ulong)_pos;

        // Label indices: one per name (in name order), listing the symbol ids of its values.
        var labelIndexOffsets = new List<(string Name, ulong Offset)>();
        var names = _postings.Keys.ToArray();
        var sortedValues = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var values = _postings[name].Keys.ToArray();
            Array.Sort(values, Utf8Order.Instance);
            sortedValues[name] = values;
            Pad(4);
            labelIndexOffsets.Add((name, (ulong)_pos));
            _buf.PutBE32(0);
            _buf.PutBE32(1); // number of names per entry
            _buf.PutBE32((uint)values.Length);
            foreach (var v in values) _buf.PutBE32((uint)Symbol(v));
            _buf.SetBE32(0, (uint)(_buf.Length - 4));
            _buf.PutCrcOf(4);
            Flush();
        }

        // Postings: the all-series list under ("", ""), then every pair in order.
        ulong tocPostings = (ulong)_pos;
        var postingsOffsets = new List<(string Name, string Value, ulong Offset)>();
        WritePostings("", "", _all, postingsOffsets);
        foreach (var name in names)
        {
            var byValue = _postings[name];
            foreach (var v in sortedValues[name]) WritePostings(name, v, byValue[v], postingsOffsets);
        }

        ulong tocLabelIndicesTable = (ulong)_pos;
        _buf.PutBE32(0);
        _buf.PutBE32((uint)labelIndexOffsets.Count);
        foreach (var (name, off) in labelIndexOffsets)
        {
            _buf.PutUvarint(1);
            _buf.PutUvarintString(name);
            _buf.PutUvarint(off);
        }
        _buf.SetBE32(0, (uint)(_buf.Length - 4));
        _buf.PutCrcOf(4);
        Flush();

        ulong tocPostingsTable = (ulong)_pos;
        _buf.PutBE32(0);
        _buf.PutBE32((uint)postingsOffsets.Count);
        foreach (var (name, value, off) in postingsOffsets)
        {
            _buf.PutUvarint(2);
            _buf.PutUvarintString(name);
            _buf.PutUvarintString(value);
            _buf.PutUvarint(off);
        }
        _buf.SetBE32(0, (uint)(_buf.Length - 4));
        _buf.PutCrcOf(4);
        Flush();

        _buf.PutBE64(_tocSymbols);
        _buf.PutBE64(_tocSeries);
        _buf.PutBE64(tocLabelIndices);
        _buf.PutBE64(tocLabelIndicesTable);
        _buf.PutBE64(tocPostings);
        _buf.PutBE64(tocPostingsTable);
        _buf.PutCrcOf(0);
        Flush();
        _file.Flush(flushToDisk: true);
    }

    private void WritePostings(string name, string value, List<uint> refs, List<(string, string, ulong)> offsets)
    {
        Pad(4);
        offsets.Add((name, value, (ulong)_pos));
        _buf.PutBE32((uint)(4 + 4 * refs.Count));
        _buf.PutBE32((uint)refs.Count);
        foreach (uint r in refs) _buf.PutBE32(r);
        _buf.PutCrcOf(4);
        Flush();
    }

    public void Dispose() => _file.Dispose();
}
