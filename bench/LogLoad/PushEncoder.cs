using System.Buffers;
using System.Text;

namespace Strata.LogLoad;

/// <summary>
/// Encodes Loki <c>PushRequest</c> protobufs (logproto) by hand and snappy-compresses them, the
/// body Promtail and Alloy send. Only the fields senders fill: stream labels and entries.
/// </summary>
public static class PushEncoder
{
    public static byte[] Encode(IReadOnlyList<(string Labels, List<(long Ns, string Line)> Entries)> streams)
    {
        var w = new ArrayBufferWriter<byte>(1 << 20);
        foreach (var (labels, entries) in streams)
        {
            var stream = new ArrayBufferWriter<byte>(64 * 1024);
            WriteString(stream, 1, labels);
            foreach (var (ns, line) in entries)
            {
                var ts = new ArrayBufferWriter<byte>(24);
                WriteVarintField(ts, 1, (ulong)(ns / 1_000_000_000));
                WriteVarintField(ts, 2, (ulong)(ns % 1_000_000_000));
                var entry = new ArrayBufferWriter<byte>(line.Length + 32);
                WriteBytes(entry, 1, ts.WrittenSpan);
                WriteString(entry, 2, line);
                WriteBytes(stream, 2, entry.WrittenSpan);
            }
            WriteBytes(w, 1, stream.WrittenSpan);
        }
        var raw = w.WrittenSpan;
        var dst = new byte[Strata.Ingest.Snappy.Snappy.MaxEncodedLength(raw.Length)];
        int n = Strata.Ingest.Snappy.Snappy.Encode(raw, dst);
        return dst.AsSpan(0, n).ToArray();
    }

    private static void WriteVarint(IBufferWriter<byte> w, ulong v)
    {
        var span = w.GetSpan(10);
        int i = 0;
        while (v >= 0x80)
        {
            span[i++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[i++] = (byte)v;
        w.Advance(i);
    }

    private static void WriteVarintField(IBufferWriter<byte> w, int field, ulong v)
    {
        WriteVarint(w, (ulong)(field << 3));
        WriteVarint(w, v);
    }

    private static void WriteBytes(IBufferWriter<byte> w, int field, ReadOnlySpan<byte> bytes)
    {
        WriteVarint(w, (ulong)((field << 3) | 2));
        WriteVarint(w, (ulong)bytes.Length);
        bytes.CopyTo(w.GetSpan(bytes.Length));
        w.Advance(bytes.Length);
    }

    private static void WriteString(IBufferWriter<byte> w, int field, string s) => WriteBytes(w, field, Encoding.UTF8.GetBytes(s));
}
