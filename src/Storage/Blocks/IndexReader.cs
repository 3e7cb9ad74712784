using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Strata.Storage.Chunks;
using Strata.Storage.Labels;

namespace Strata.Storage.Blocks;

/// <summary>
/// Reads an index file (format v2) through a memory map. Opening checks the header, the TOC, the
/// symbol table and the postings offset table (all CRC-verified) and keeps the symbols and the
/// label-pair → postings offsets in memory; series records and postings lists stay on disk. Series
/// records are CRC-checked on every read, postings lists on first use.
/// </summary>
/// <remarks>
/// Thread safety: immutable after <see cref="Open"/> apart from the concurrent set of postings lists
/// whose CRC has been verified; any number of threads may read. The owner
/// (<see cref="Block"/>) guarantees the map outlives every read.
/// Memory: Prometheus keeps every 32nd symbol offset and every 32nd value per name; this reader keeps
/// all of them as strings (one string per distinct symbol, shared by every series that uses it) and
/// all postings offsets, which makes series decoding and value lookups allocation-free at the cost of
/// holding the label vocabulary of each open block.
/// </remarks>
internal sealed class IndexReader : IDisposable
{
    private readonly MappedFile _file;
    private readonly string[] _symbols;
    private readonly Dictionary<string, NameEntry> _names;
    private readonly long _allPostings;
    private readonly ConcurrentDictionary<long, int> _verifiedPostings = new();

    /// <summary>Values of one label name in file (UTF-8) order and their postings list offsets.</summary>
    private sealed class NameEntry(string[] values, long[] offsets)
    {
        public readonly string[] Values = values;
        public readonly long[] Offsets = offsets;
    }

    private IndexReader(MappedFile file, IndexToc toc, string[] symbols, Dictionary<string, NameEntry> names, long allPostings)
    {
        _file = file;
        Toc = toc;
        _symbols = symbols;
        _names = names;
        _allPostings = allPostings;
    }

    public IndexToc Toc { get; }
    public string Path => _file.Path;
    public long SizeBytes => _file.Length;

    public static IndexReader Open(string path)
    {
        var file = MappedFile.Open(path);
        try
        {
            return Load(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static IndexReader Load(MappedFile file)
    {
        string path = file.Path;
        if (!file.TrySlice(0, IndexFormat.HeaderSize, out var header) || file.Length < IndexFormat.HeaderSize + IndexFormat.TocSize)
            throw new CorruptBlockException(path, 0, $"index too short ({file.Length} bytes)");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic != IndexFormat.Magic) throw new CorruptBlockException(path, 0, $"invalid index magic 0x{magic:X8}");
        if (header[4] != IndexFormat.V2)
            throw new CorruptBlockException(path, 4, header[4] == IndexFormat.V1 ? "index format v1 (Prometheus < 2.1) is not supported" : $"unknown index version {header[4]}");

        long tocAt = file.Length - IndexFormat.TocSize;
        file.TrySlice(tocAt, IndexFormat.TocSize, out var tocBytes);
        if (Crc32C.Compute(tocBytes[..48]) != BinaryPrimitives.ReadUInt32BigEndian(tocBytes[48..]))
            throw new CorruptBlockException(path, tocAt, "TOC checksum mismatch (truncated or damaged index)");
        var r = new BinReader(tocBytes);
        var toc = new IndexToc(r.Be64(), r.Be64(), r.Be64(), r.Be64(), r.Be64(), r.Be64());
        foreach (ulong off in (ReadOnlySpan<ulong>)[toc.Symbols, toc.Series, toc.LabelIndices, toc.LabelIndicesTable, toc.Postings, toc.PostingsTable])
        {
            if (off > (ulong)tocAt) throw new CorruptBlockException(path, tocAt, $"TOC offset {off} beyond the end of the index");
        }

        var symbols = ReadSymbols(file, (long)toc.Symbols);
        var (names, all) = ReadPostingsTable(file, (long)toc.PostingsTable);
        return new IndexReader(file, toc, symbols, names, all);
    }

    /// <summary>A length-prefixed, CRC-suffixed section: returns the bytes the length covers.</summary>
    private static ReadOnlySpan<byte> Section(MappedFile file, long off, string what)
    {
        if (!file.TrySlice(off, 4, out var lenBytes)) throw new CorruptBlockException(file.Path, off, $"{what} starts beyond the end of the file");
        uint len = BinaryPrimitives.ReadUInt32BigEndian(lenBytes);
        if (!file.TrySlice(off + 4, (long)len + 4, out var body)) throw new CorruptBlockException(file.Path, off, $"{what} of {len} bytes runs past the end of the file");
        var content = body[..^4];
        if (Crc32C.Compute(content) != BinaryPrimitives.ReadUInt32BigEndian(body[^4..]))
            throw new CorruptBlockException(file.Path, off, $"{what} checksum mismatch");
        return content;
    }

    private static string[] ReadSymbols(MappedFile file, long off)
    {
        var r = new BinReader(Section(file, off, "symbol table"));
        uint count = r.Be32();
        if (count > (uint)r.Remaining) throw new CorruptBlockException(file.Path, off, $"symbol count {count} exceeds the table size");
        var symbols = new string[count];
        for (int i = 0; i < symbols.Length; i++)
        {
            var b = r.UvarintBytes();
            if (r.Failed) throw new CorruptBlockException(file.Path, off, $"symbol {i} of {count} truncated");
            symbols[i] = b.IsEmpty ? "" : Encoding.UTF8.GetString(b);
        }
        return symbols;
    }

    private static (Dictionary<string, NameEntry>, long) ReadPostingsTable(MappedFile file, long off)
    {
        var r = new BinReader(Section(file, off, "postings offset table"));
        uint count = r.Be32();
        var names = new Dictionary<string, NameEntry>(StringComparer.Ordinal);
        long all = -1;
        string? current = null;
        byte[] currentBytes = [];
        var values = new List<string>();
        var offsets = new List<long>();
        for (uint i = 0; i < count; i++)
        {
            ulong keys = r.Uvarint();
            var name = r.UvarintBytes();
            var value = r.UvarintBytes();
            ulong postingsOff = r.Uvarint();
            if (r.Failed || keys != 2 || postingsOff > (ulong)file.Length)
                throw new CorruptBlockException(file.Path, off, $"postings offset table entry {i} of {count} invalid");
            if (name.IsEmpty)
            {
                if (value.IsEmpty) all = (long)postingsOff;
                continue;
            }
            if (current == null || !name.SequenceEqual(currentBytes))
            {
                if (current != null) names[current] = new NameEntry([.. values], [.. offsets]);
                current = Encoding.UTF8.GetString(name);
                currentBytes = name.ToArray();
                values.Clear();
                offsets.Clear();
            }
            values.Add(value.IsEmpty ? "" : Encoding.UTF8.GetString(value));
            offsets.Add((long)postingsOff);
        }
        if (current != null) names[current] = new NameEntry([.. values], [.. offsets]);
        if (all < 0) throw new CorruptBlockException(file.Path, off, "postings offset table lacks the all-series entry");
        return (names, all);
    }

    /// <summary>Label names in ordinal order (the order <c>PostingsIndex</c> uses).</summary>
    public string[] LabelNames()
    {
        string[] names = [.. _names.Keys];
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    public string[] LabelValues(string name)
    {
        if (!_names.TryGetValue(name, out var e)) return [];
        var values = (string[])e.Values.Clone();
        Array.Sort(values, StringComparer.Ordinal);
        return values;
    }

    /// <summary>All series refs, ascending.</summary>
    public int[] AllPostings() => Materialize(View(_allPostings));

    public PostingsView AllView() => View(_allPostings);

    /// <summary>The postings of one label pair, or an empty view.</summary>
    public PostingsView View(string name, string value)
    {
        if (!_names.TryGetValue(name, out var e)) return default;
        int i = Array.BinarySearch(e.Values, value, Utf8Order.Instance);
        return i < 0 ? default : View(e.Offsets[i]);
    }

    /// <summary>Adds the postings of every value of <paramref name="name"/> accepted by the predicate.</summary>
    public void ViewsMatching(string name, Func<string, bool> predicate, List<PostingsView> into)
    {
        if (!_names.TryGetValue(name, out var e)) return;
        for (int i = 0; i < e.Values.Length; i++)
        {
            if (predicate(e.Values[i])) into.Add(View(e.Offsets[i]));
        }
    }

    /// <summary>
    /// Locates the postings list at <paramref name="off"/>; its CRC is verified the first time the list
    /// is used and remembered, so a hot list (all series of a metric name) is checksummed once per open
    /// block instead of once per query.
    /// </summary>
    private PostingsView View(long off)
    {
        if (_verifiedPostings.TryGetValue(off, out int count)) return new PostingsView(off + 8, count);
        var r = new BinReader(Section(_file, off, "postings list"));
        uint n = r.Be32();
        if ((ulong)n * 4 != (ulong)r.Remaining) throw new CorruptBlockException(_file.Path, off, $"postings list of {n} entries has {r.Remaining} bytes");
        _verifiedPostings.TryAdd(off, (int)n);
        return new PostingsView(off + 8, (int)n);
    }

    private ReadOnlySpan<byte> Bytes(PostingsView v)
    {
        _file.TrySlice(v.Offset, (long)v.Count * 4, out var span);
        return span;
    }

    private int RefAt(ReadOnlySpan<byte> b, int i)
    {
        uint v = BinaryPrimitives.ReadUInt32BigEndian(b[(i * 4)..]);
        if (v > int.MaxValue) throw new NotSupportedException($"{_file.Path}: series reference {v} beyond 32 GiB of index");
        return (int)v;
    }

    public int[] Materialize(PostingsView v)
    {
        var b = Bytes(v);
        var refs = new int[v.Count];
        for (int i = 0; i < refs.Length; i++) refs[i] = RefAt(b, i);
        return refs;
    }

    /// <summary>Union of several lists, ascending and distinct.</summary>
    public int[] Union(List<PostingsView> views)
    {
        if (views.Count == 0) return [];
        if (views.Count == 1) return Materialize(views[0]);
        long total = 0;
        foreach (var v in views) total += v.Count;
        var all = new int[total];
        int n = 0;
        foreach (var v in views)
        {
            var b = Bytes(v);
            for (int i = 0; i < v.Count; i++) all[n++] = RefAt(b, i);
        }
        Array.Sort(all);
        n = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (n == 0 || all[n - 1] != all[i]) all[n++] = all[i];
        }
        Array.Resize(ref all, n);
        return all;
    }

    /// <summary>
    /// Keeps the refs of <paramref name="sorted"/> that are (or, with <paramref name="keepIfFound"/> false,
    /// are not) in any of <paramref name="views"/>, by binary search in the mapped lists: cost
    /// O(|sorted| · views · log |list|) and no copy of the lists, which wins when the lists are much
    /// longer than the candidates (an instance selector against a metric name's postings).
    /// </summary>
    public int[] Filter(int[] sorted, List<PostingsView> views, bool keepIfFound)
    {
        var result = new int[sorted.Length];
        int n = 0;
        Span<int> lo = views.Count <= 16 ? stackalloc int[views.Count] : new int[views.Count];
        lo.Clear();
        foreach (int x in sorted)
        {
            bool found = false;
            for (int k = 0; k < views.Count && !found; k++)
            {
                var b = Bytes(views[k]);
                int l = lo[k], h = views[k].Count - 1;
                while (l <= h)
                {
                    int mid = (int)((uint)(l + h) >> 1);
                    int v = RefAt(b, mid);
                    if (v == x)
                    {
                        found = true;
                        l = mid;
                        break;
                    }
                    if (v < x) l = mid + 1;
                    else h = mid - 1;
                }
                lo[k] = l; // candidates ascend, so later searches start here
            }
            if (found == keepIfFound) result[n++] = x;
        }
        Array.Resize(ref result, n);
        return result;
    }

    /// <summary>Decodes the series record at <paramref name="seriesRef"/> (offset / 16): its labels, and its chunk metas into <paramref name="chunks"/>.</summary>
    public LabelSet ReadSeries(int seriesRef, List<ChunkMeta> chunks)
    {
        long off = (long)seriesRef * IndexFormat.SeriesAlignment;
        var head = _file.From(off, 10);
        int n = Varint.Uvarint(head, out ulong len);
        if (n <= 0) throw new CorruptBlockException(_file.Path, off, $"series {seriesRef}: truncated length");
        if (!_file.TrySlice(off + n, (long)len + 4, out var body)) throw new CorruptBlockException(_file.Path, off, $"series {seriesRef}: record runs past the end of the file");
        var content = body[..^4];
        if (Crc32C.Compute(content) != BinaryPrimitives.ReadUInt32BigEndian(body[^4..]))
            throw new CorruptBlockException(_file.Path, off, $"series {seriesRef}: checksum mismatch");

        var r = new BinReader(content);
        int nl = r.UvarintInt();
        if (nl > content.Length) throw new CorruptBlockException(_file.Path, off, $"series {seriesRef}: {nl} labels");
        var labels = new Label[nl];
        for (int i = 0; i < nl; i++)
        {
            ulong name = r.Uvarint();
            ulong value = r.Uvarint();
            if (name >= (ulong)_symbols.Length || value >= (ulong)_symbols.Length)
                throw new CorruptBlockException(_file.Path, off, $"series {seriesRef}: symbol reference out of range");
            labels[i] = new Label(_symbols[name], _symbols[value]);
        }
        int nc = r.UvarintInt();
        chunks.Clear();
        if (nc > 0)
        {
            long mint = r.Varint64();
            long maxt = mint + (long)r.Uvarint();
            ulong cref = r.Uvarint();
            chunks.Add(new ChunkMeta(mint, maxt, cref));
            for (int i = 1; i < nc && !r.Failed; i++)
            {
                mint = maxt + (long)r.Uvarint();
                maxt = mint + (long)r.Uvarint();
                cref = (ulong)((long)cref + r.Varint64());
                chunks.Add(new ChunkMeta(mint, maxt, cref));
            }
        }
        if (r.Failed) throw new CorruptBlockException(_file.Path, off, $"series {seriesRef}: record truncated");
        return new LabelSet(labels);
    }

    public void Dispose() => _file.Dispose();
}
