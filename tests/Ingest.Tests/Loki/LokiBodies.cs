using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Strata.Ingest.Loki;
using Strata.TestSupport.Logproto;

namespace Strata.Ingest.Tests.Loki;

/// <summary>A test entry: Unix nanoseconds, line, structured metadata pairs in order.</summary>
public sealed record TestEntry(long Ns, string Line, params (string Name, string Value)[] Metadata);

/// <summary>A test stream: the label text exactly as sent, and its entries.</summary>
public sealed record TestStream(string Labels, params TestEntry[] Entries);

/// <summary>
/// Push bodies built with Google.Protobuf's generated encoder (tests/TestSupport/Proto/push.proto)
/// and IronSnappy, independent of the decoder under test; plus a plain-text rendering of results
/// that golden files and assertions compare.
/// </summary>
public static class LokiBodies
{
    /// <summary>2023-11-14T22:13:20Z, the base of every test timestamp.</summary>
    public const long T0 = 1_700_000_000_000_000_000;

    /// <summary>A clock one hour after <see cref="T0"/>, so that T0 ± minutes is accepted.</summary>
    public static readonly FixedClock Clock = new(DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1_000_000 + 3_600_000));

    public static PushRequest Message(params TestStream[] streams)
    {
        var req = new PushRequest();
        foreach (var s in streams)
        {
            var stream = new StreamAdapter { Labels = s.Labels };
            foreach (var e in s.Entries)
            {
                long seconds = Math.DivRem(e.Ns, 1_000_000_000, out long nanos);
                if (nanos < 0)
                {
                    seconds--;
                    nanos += 1_000_000_000;
                }
                var entry = new EntryAdapter
                {
                    Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = seconds, Nanos = (int)nanos },
                    Line = e.Line,
                };
                foreach (var (n, v) in e.Metadata) entry.StructuredMetadata.Add(new LabelPairAdapter { Name = n, Value = v });
                stream.Entries.Add(entry);
            }
            req.Streams.Add(stream);
        }
        return req;
    }

    /// <summary>A body as Promtail sends it: snappy block of the serialized PushRequest.</summary>
    public static byte[] Protobuf(params TestStream[] streams) => IronSnappy.Snappy.Encode(Message(streams).ToByteArray());

    public static LokiPushDecoder Decoder(LokiLimits? limits = null) => new(limits ?? new LokiLimits(), Clock);

    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Q(string s) => JsonSerializer.Serialize(s, Quoting);

    /// <summary>
    /// Status, message, then each accepted stream's labels and entries (timestamp, line as a JSON
    /// string, metadata). Line bytes that are not valid UTF-8 are shown as hex.
    /// </summary>
    public static string Render(LokiPushResult result)
    {
        var sb = new StringBuilder();
        sb.Append("status: ").Append(result.Status).Append('\n');
        if (result.Message is not null) sb.Append("message: ").Append(result.Message).Append('\n');
        sb.Append("accepted: ").Append(result.AcceptedEntries).Append(" entries, ").Append(result.AcceptedBytes).Append(" bytes\n");
        for (int r = 0; r < LokiRejectReasons.Count; r++)
        {
            var reason = (LokiRejectReason)r;
            if (result.RejectedEntries(reason) > 0)
                sb.Append("rejected ").Append(LokiRejectReasons.Name(reason)).Append(": ").Append(result.RejectedEntries(reason))
                  .Append(" entries, ").Append(result.RejectedBytes(reason)).Append(" bytes\n");
        }
        foreach (var stream in result.Streams)
        {
            sb.Append("stream {").Append(string.Join(", ", stream.Labels.AsSpan().ToArray().Select(l => $"{l.Name}={Q(l.Value)}"))).Append("}\n");
            foreach (var e in stream.Entries)
            {
                sb.Append("  ").Append(e.TimestampNs).Append(' ');
                var line = e.Line.Span;
                sb.Append(System.Text.Unicode.Utf8.IsValid(line) ? Q(Encoding.UTF8.GetString(line)) : "0x" + Convert.ToHexStringLower(line));
                if (e.Metadata.Length > 0) sb.Append(" {").Append(string.Join(", ", e.Metadata.Select(l => $"{l.Name}={Q(l.Value)}"))).Append('}');
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>tests/Ingest.Tests/testdata/loki, read from the source tree.</summary>
    public static string TestData([CallerFilePath] string sourceFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "testdata", "loki"));
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
