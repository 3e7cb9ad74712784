using System.Diagnostics;
using System.Text;
using Strata.Query.Engine;
using Strata.Query.LogQL.Pipeline;
using Strata.Storage.Logs;

namespace Strata.Query.LogQL.Engine;

/// <summary>
/// Answers LogQL log queries over the log store: selects streams by their matchers, runs each
/// stream's entries through the pipeline newest-first (or oldest-first) and keeps the best
/// <c>limit</c> entries across all streams.
/// </summary>
/// <remarks>
/// Streams are read one after another with a bounded selection of size <c>limit</c>: once it is full,
/// a stream stops at its first entry that cannot beat the current worst, so memory is O(limit) and
/// a query over many streams reads only what can still make the answer. Leading <c>|= "text"</c>
/// filters are handed to the store as required literals, so blocks whose filter proves the text
/// absent are never decompressed.
/// </remarks>
public sealed class LogQueryEngine(LogStore store)
{
    public LogQueryResult Select(LogSelectorExpr expr, Pipeline.Pipeline pipeline, long startNs, long endNs, int limit, bool backward, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var stats = new LogQueryStats();
        var streams = store.SelectStreams(expr.Matchers, startNs, endNs);
        stats.Streams = streams.Count;
        var literals = RequiredLiterals(expr);
        // Worst entry on top: for backward the oldest, for forward the newest. Ties: a later arrival loses.
        var heap = new PriorityQueue<LogResultEntry, (long Ns, long Seq)>(limit + 1,
            Comparer<(long Ns, long Seq)>.Create(backward
                ? static (a, b) => a.Ns != b.Ns ? a.Ns.CompareTo(b.Ns) : b.Seq.CompareTo(a.Seq)
                : static (a, b) => a.Ns != b.Ns ? b.Ns.CompareTo(a.Ns) : b.Seq.CompareTo(a.Seq)));
        var line = new LogLine();
        long seq = 0;
        foreach (var stream in streams)
        {
            ct.ThrowIfCancellationRequested();
            using var cursor = store.Open(stream, startNs, endNs, backward, literals);
            long checkEvery = 0;
            while (cursor.MoveNext())
            {
                long ns = cursor.TimestampNs;
                if (heap.Count == limit)
                {
                    heap.TryPeek(out _, out var worst);
                    // Entries only get worse from here on in this stream.
                    if (backward ? ns <= worst.Ns : ns >= worst.Ns) break;
                }
                if (++checkEvery % 4096 == 0 && ct.IsCancellationRequested) throw new QueryException(ErrorType.Canceled, "query was canceled");
                var raw = cursor.Line;
                stats.LinesProcessed++;
                stats.BytesProcessed += raw.Length;
                if (!pipeline.Process(line, stream.Labels, ns, raw, cursor.Metadata)) continue;
                stats.PostFilterLines++;
                var entry = new LogResultEntry(ns, pipeline.IsFilterOnly ? Encoding.UTF8.GetString(raw) : line.LineString, line.GetCategorizedLabels());
                heap.Enqueue(entry, (ns, seq++));
                if (heap.Count > limit) heap.Dequeue();
            }
            stats.BlocksRead += cursor.BlocksRead;
            stats.BlocksSkipped += cursor.BlocksSkipped;
            stats.BytesDecompressed += cursor.BytesDecompressed;
            stats.HeadBytes += cursor.HeadBytes;
        }
        var entries = new List<LogResultEntry>(heap.Count);
        while (heap.TryDequeue(out var e, out _)) entries.Add(e);
        entries.Reverse(); // the heap yields worst first
        stats.ExecTime = sw.Elapsed;
        return new LogQueryResult(entries, stats);
    }

    /// <summary>
    /// Texts every kept line must contain, from the leading single-term <c>|=</c> filters (a filter
    /// after a parser or formatter may see a rewritten line, so only the leading run counts).
    /// </summary>
    public static List<byte[]>? RequiredLiterals(LogSelectorExpr expr)
    {
        List<byte[]>? literals = null;
        foreach (var stage in expr.Stages)
        {
            if (stage is not LineFilterStage f) break;
            if (f.Op != LineFilterOp.Contains || f.Terms.Count != 1 || f.Terms[0].Ip || f.Terms[0].Value.Length == 0) continue;
            (literals ??= []).Add(Encoding.UTF8.GetBytes(f.Terms[0].Value));
        }
        return literals;
    }
}
