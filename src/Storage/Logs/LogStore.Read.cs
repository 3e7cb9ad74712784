using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Storage.Logs;

public sealed partial class LogStore
{
    /// <summary>Streams matching all <paramref name="matchers"/> that have entries overlapping [<paramref name="fromNs"/>, <paramref name="toNs"/>), in id order.</summary>
    public List<LogStreamInfo> SelectStreams(IReadOnlyList<LabelMatcher> matchers, long fromNs, long toNs)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        var result = new List<LogStreamInfo>();
        foreach (int id in _index.Select(matchers))
        {
            if (_byId.TryGetValue(id, out var s) && s.Overlaps(fromNs, toNs))
                result.Add(new LogStreamInfo(s.Labels, s.Id, s.MinTs, s.MaxTs) { Stream = s });
        }
        return result;
    }

    /// <summary>
    /// Entries of one stream in [<paramref name="fromNs"/>, <paramref name="toNs"/>) in time order
    /// (backward: newest first; equal timestamps keep push order forward and reverse it backward).
    /// Blocks whose filter proves one of <paramref name="requiredLiterals"/> absent are skipped
    /// whole; lines of blocks that are read are not filtered (the caller filters).
    /// </summary>
    public LogCursor Open(LogStreamInfo stream, long fromNs, long toNs, bool backward, IReadOnlyList<byte[]>? requiredLiterals = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var s = stream.Stream ?? _byId.GetValueOrDefault(stream.Id);
        if (s == null || fromNs >= toNs) return new LogCursor(this, [], fromNs, toNs, backward, null);
        BlockRef[] blocks;
        RawChunkCopy? head = null;
        long headMin = 0, headMax = 0;
        lock (s.Lock)
        {
            blocks = s.Blocks;
            var h = s.Head;
            if (h.Count > 0 && h.MinTs < toNs && h.MaxTs >= fromNs)
            {
                head = h.CopyOut();
                headMin = h.MinTs;
                headMax = h.MaxTs;
            }
        }
        var sources = new List<CursorSource>(blocks.Length + 1);
        foreach (var b in blocks)
        {
            if (b.MinTs < toNs && b.MaxTs >= fromNs && !b.Corrupt) sources.Add(new CursorSource { Block = b, MinTs = b.MinTs, MaxTs = b.MaxTs, Seq = b.Seq });
        }
        if (head is { } hc) sources.Add(new CursorSource { Head = hc, MinTs = headMin, MaxTs = headMax, Seq = long.MaxValue });
        return new LogCursor(this, [.. sources], fromNs, toNs, backward, requiredLiterals);
    }

    /// <summary>Label names of streams matching <paramref name="matchers"/> (all streams when null or empty) with entries in the range; sorted.</summary>
    public string[] LabelNames(IReadOnlyList<LabelMatcher>? matchers, long fromNs, long toNs)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Selected(matchers, fromNs, toNs))
        {
            foreach (var l in s.Labels.AsSpan()) names.Add(l.Name);
        }
        var result = names.ToArray();
        Array.Sort(result, Utf8Order.Instance);
        return result;
    }

    /// <summary>Values of label <paramref name="name"/> over streams matching <paramref name="matchers"/> with entries in the range; sorted.</summary>
    public string[] LabelValues(string name, IReadOnlyList<LabelMatcher>? matchers, long fromNs, long toNs)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in Selected(matchers, fromNs, toNs))
        {
            if (s.Labels.Get(name) is { } v) values.Add(v);
        }
        var result = values.ToArray();
        Array.Sort(result, Utf8Order.Instance);
        return result;
    }

    /// <summary>Streams, chunks (blocks and head chunks), entries and line bytes of the chunks overlapping the range (whole chunks: approximate at the edges).</summary>
    public LogIndexStats IndexStats(IReadOnlyList<LabelMatcher> matchers, long fromNs, long toNs)
    {
        long streams = 0, chunks = 0, entries = 0, bytes = 0;
        foreach (var s in Selected(matchers, fromNs, toNs))
        {
            streams++;
            BlockRef[] blocks;
            int headCount = 0;
            long headBytes = 0;
            lock (s.Lock)
            {
                blocks = s.Blocks;
                var h = s.Head;
                if (h.Count > 0 && h.MinTs < toNs && h.MaxTs >= fromNs)
                {
                    headCount = h.Count;
                    headBytes = h.LineBytes;
                }
            }
            foreach (var b in blocks)
            {
                if (b.MinTs >= toNs || b.MaxTs < fromNs) continue;
                chunks++;
                entries += b.Count;
                bytes += b.LineBytes;
            }
            if (headCount > 0)
            {
                chunks++;
                entries += headCount;
                bytes += headBytes;
            }
        }
        return new LogIndexStats(streams, chunks, entries, bytes);
    }

    private List<LogStream> Selected(IReadOnlyList<LabelMatcher>? matchers, long fromNs, long toNs)
    {
        var ids = matchers is { Count: > 0 } ? _index.Select(matchers) : _index.All().ToArray();
        var list = new List<LogStream>(ids.Length);
        foreach (int id in ids)
        {
            if (_byId.TryGetValue(id, out var s) && s.Overlaps(fromNs, toNs)) list.Add(s);
        }
        return list;
    }

    /// <summary>Reads part of a stored block record from the chunk log's files into <paramref name="dst"/>.</summary>
    internal bool TryReadStored(long address, int offset, Span<byte> dst) => _reader.TryRead(address, offset, dst);

    internal void ReportCorrupt(BlockRef b, string reason)
    {
        if (b.Corrupt) return;
        b.Corrupt = true;
        Interlocked.Increment(ref Metrics.CorruptBlocksValue);
        LogStoreLog.BlockCorrupt(_logger, b.Stream.Labels.ToString(), b.Address, reason);
    }
}
