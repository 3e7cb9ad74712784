using System.Text;
using Strata.Ingest.Protobuf;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Ingest.Loki;

/// <summary>
/// The protobuf half: <c>logproto.PushRequest</c> read with <see cref="ProtoReader"/> straight from
/// the snappy-decoded buffer. Field numbers (pkg/push/push.proto): PushRequest.streams = 1;
/// StreamAdapter labels = 1, entries = 2 (hash = 3 ignored); EntryAdapter timestamp = 1
/// (google.protobuf.Timestamp: seconds = 1, nanos = 2), line = 2, structuredMetadata = 3 (parsed = 4
/// ignored); LabelPairAdapter name = 1, value = 2. Unknown fields are skipped; a structural error
/// fails the whole request, as a failed proto.Unmarshal does in Loki.
/// </summary>
public sealed partial class LokiPushDecoder
{
    // Entries of the stream being decoded; per thread because decoding is synchronous and the
    // decoder is shared. Cleared per stream; its capacity is the largest stream seen on the thread.
    [ThreadStatic] private static List<LogEntry>? t_entries;

    private void DecodeProtobuf(ReadOnlyMemory<byte> message, LokiPushResult result, in LokiTimeWindow window)
    {
        var buf = message.Span;
        var r = new ProtoReader(buf);
        List<Label>? metadata = null;
        var scratch = t_entries ??= new List<LogEntry>(256);
        while (r.NextField(out int field, out var wt))
        {
            if (field == 1 && r.Expect(wt, WireType.Len, "PushRequest.streams"))
            {
                if (r.ReadLength(out int start, out int length))
                    DecodeStream(message, start, start + length, result, window, scratch, ref metadata, ref r);
            }
            else
            {
                r.Skip(wt);
            }
        }
        ReleaseScratch(scratch);
        if (r.Failed) result.Fail(LokiPushStatus.BadRequest, "malformed logproto.PushRequest: " + r.Error);
    }

    // Drops the references into this request's buffers, and a list grown by an outsized stream.
    private static void ReleaseScratch(List<LogEntry> scratch)
    {
        scratch.Clear();
        if (scratch.Capacity > 1 << 16) t_entries = null;
    }

    // One pass: entries go to the thread's scratch list, then into a list of exactly their count
    // (a 32-byte copy per entry, cheaper than a counting pass over the entries' tags and lengths).
    // The labels may come after the entries: protobuf does not order fields.
    private void DecodeStream(ReadOnlyMemory<byte> message, int start, int end, LokiPushResult result, in LokiTimeWindow window,
        List<LogEntry> scratch, ref List<Label>? metadata, ref ProtoReader outer)
    {
        var buf = message.Span;
        var r = new ProtoReader(buf, start, end);
        int labelsStart = start, labelsLength = 0;
        scratch.Clear();
        while (r.NextField(out int field, out var wt))
        {
            if (field == 2 && r.Expect(wt, WireType.Len, "StreamAdapter.entries"))
            {
                if (r.ReadLength(out int es, out int el) && !DecodeEntry(message, buf, es, es + el, scratch, ref metadata, ref r)) break;
            }
            else if (field == 1 && r.Expect(wt, WireType.Len, "StreamAdapter.labels"))
            {
                r.ReadLength(out labelsStart, out labelsLength);
            }
            else if (!r.Failed)
            {
                r.Skip(wt);
            }
        }
        if (r.Failed)
        {
            outer.Fail(r.Error!);
            return;
        }
        if (scratch.Count == 0) return; // Loki skips a stream without entries before looking at its labels.

        var entries = new List<LogEntry>(scratch.Count);
        entries.AddRange(scratch);
        FinishStream(ProtoLabels(buf.Slice(labelsStart, labelsLength)), entries, result, window);
    }

    // buf is message.Span, passed along because Memory.Span is not free and this runs per line.
    private bool DecodeEntry(ReadOnlyMemory<byte> message, ReadOnlySpan<byte> buf, int start, int end, List<LogEntry> entries, ref List<Label>? pairs, ref ProtoReader outer)
    {
        var r = new ProtoReader(buf, start, end);
        long seconds = 0;
        long nanos = 0;
        int lineStart = start, lineLength = 0;
        pairs?.Clear();
        while (r.NextField(out int field, out var wt))
        {
            switch (field)
            {
                case 1 when r.Expect(wt, WireType.Len, "EntryAdapter.timestamp"):
                    if (!r.ReadLength(out int ts, out int tl)) break;
                    var tr = new ProtoReader(buf, ts, ts + tl);
                    while (tr.NextField(out int tf, out var twt))
                    {
                        if (tf == 1 && tr.Expect(twt, WireType.Varint, "Timestamp.seconds")) seconds = (long)tr.ReadVarint();
                        else if (tf == 2 && tr.Expect(twt, WireType.Varint, "Timestamp.nanos")) nanos = (int)tr.ReadVarint();
                        else tr.Skip(twt);
                    }
                    if (tr.Failed) r.Fail(tr.Error!);
                    break;
                case 2 when r.Expect(wt, WireType.Len, "EntryAdapter.line"):
                    r.ReadLength(out lineStart, out lineLength);
                    break;
                case 3 when r.Expect(wt, WireType.Len, "EntryAdapter.structuredMetadata"):
                    if (!r.ReadLength(out int ms, out int ml)) break;
                    var mr = new ProtoReader(buf, ms, ms + ml);
                    int ns = ms, nl = 0, vs = ms, vl = 0;
                    while (mr.NextField(out int mf, out var mwt))
                    {
                        if (mf == 1 && mr.Expect(mwt, WireType.Len, "LabelPairAdapter.name")) mr.ReadLength(out ns, out nl);
                        else if (mf == 2 && mr.Expect(mwt, WireType.Len, "LabelPairAdapter.value")) mr.ReadLength(out vs, out vl);
                        else mr.Skip(mwt);
                    }
                    if (mr.Failed)
                    {
                        r.Fail(mr.Error!);
                        break;
                    }
                    // Loki drops empty-valued metadata (a labels.Builder round trip).
                    if (vl > 0) (pairs ??= []).Add(new Label(_metadataNames.Get(buf.Slice(ns, nl)), Encoding.UTF8.GetString(buf.Slice(vs, vl))));
                    break;
                default:
                    if (!r.Failed) r.Skip(wt);
                    break;
            }
        }
        if (r.Failed)
        {
            outer.Fail(r.Error!);
            return false;
        }
        var metadata = pairs is { Count: > 0 } ? pairs.ToArray() : [];
        entries.Add(new LogEntry(ToUnixNanos(seconds, nanos), message.Slice(lineStart, lineLength), metadata));
        return true;
    }

    // Go's time.Unix(s, n).UnixNano(); out-of-range values saturate, so the validator rejects them
    // as too old or too new instead of wrapping around into the accepted window.
    private static long ToUnixNanos(long seconds, long nanos)
    {
        const long NsPerSecond = 1_000_000_000;
        if (seconds > long.MaxValue / NsPerSecond - 1) return long.MaxValue;
        if (seconds < long.MinValue / NsPerSecond + 1) return long.MinValue;
        return seconds * NsPerSecond + nanos;
    }
}
