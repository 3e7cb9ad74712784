using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Ingest.Loki;

/// <summary>
/// Decodes and validates <c>POST /loki/api/v1/push</c> bodies (../shared/spec/loki-api.md §2.1):
/// Content-Encoding none/<c>snappy</c> (a marker)/<c>gzip</c>/<c>deflate</c>; Content-Type
/// <c>application/json</c> → the v1 JSON shape, anything else (missing included) → snappy-block
/// protobuf <c>logproto.PushRequest</c>. Streams and entries that fail validation are left out and
/// reported; the rest is returned for storing (Loki's partial-failure behaviour).
/// </summary>
/// <remarks>
/// <para>Thread-safe: one instance serves all requests. Its only mutable state is the label-text
/// caches, which are lock-free (<see cref="StreamLabelsCache"/>).</para>
/// <para>Costs: lines are never copied (protobuf lines and unescaped JSON lines are slices of the
/// decompressed body; escaped JSON lines are unescaped once into one pooled arena), a repeated label
/// text costs one hash and one compare, and an entry without structured metadata allocates nothing
/// beyond its slot in the stream's entry list. Measured in bench/Micro/Ingest/LokiPushBenchmarks.cs.</para>
/// <para>Lifetime of lines: see <see cref="LokiPushResult"/>; the caller's body must stay alive and
/// unchanged until the result is disposed.</para>
/// </remarks>
public sealed partial class LokiPushDecoder
{
    private readonly LokiLimits _limits;
    private readonly LokiValidator _validator;
    private readonly TimeProvider _clock;
    private readonly StreamLabelsCache _protoLabels;
    private readonly StreamLabelsCache _jsonLabels;
    private readonly MetadataNames _metadataNames = new(1024);
    private readonly LokiPushTotals _totals = new();

    public LokiPushDecoder(LokiLimits limits, TimeProvider clock)
    {
        _validator = new LokiValidator(limits);
        _limits = limits;
        _clock = clock;
        _protoLabels = new StreamLabelsCache(limits.LabelCacheSize);
        _jsonLabels = new StreamLabelsCache(limits.LabelCacheSize);
    }

    public LokiLimits Limits => _limits;
    public LokiValidator Validator => _validator;

    /// <summary>
    /// Decodes one request body as sent. Never throws for bad input: malformed or oversized bodies
    /// come back as <see cref="LokiPushStatus.BadRequest"/>/<see cref="LokiPushStatus.TooLarge"/>
    /// with no streams. Dispose the result after storing its streams.
    /// </summary>
    /// <param name="body">The request body; must stay unchanged until the result is disposed.</param>
    /// <param name="contentType">The Content-Type header (parameters ignored), or null.</param>
    /// <param name="contentEncoding">The Content-Encoding header, or null.</param>
    public LokiPushResult Decode(ReadOnlyMemory<byte> body, string? contentType, string? contentEncoding)
    {
        var result = DecodeBody(body, contentType, contentEncoding);
        _totals.Record(result);
        return result;
    }

    /// <summary>Running totals of what pushes brought (for <c>/metrics</c>).</summary>
    public LokiPushTotals Totals => _totals;

    private LokiPushResult DecodeBody(ReadOnlyMemory<byte> body, string? contentType, string? contentEncoding)
    {
        var result = new LokiPushResult();
        var encoding = ParseEncoding(contentEncoding);
        if (encoding == BodyEncoding.Unsupported)
        {
            result.Fail(LokiPushStatus.BadRequest, $"Content-Encoding \"{contentEncoding}\" not supported");
            return result;
        }

        var payload = body;
        if (encoding is BodyEncoding.Gzip or BodyEncoding.Deflate && !TryInflate(body, encoding, result, out payload)) return result;

        var window = LokiTimeWindow.At(_clock.GetUtcNow(), _limits);
        if (IsJson(contentType))
        {
            DecodeJson(payload, result, window);
            return result;
        }

        if (!Snappy.Snappy.TryGetDecodedLength(payload.Span, out int length))
        {
            result.Fail(LokiPushStatus.BadRequest, "snappy: corrupt input: malformed or truncated length header");
            return result;
        }
        if (length > _limits.MaxDecompressedBytes)
        {
            result.Fail(LokiPushStatus.TooLarge, $"request body too large: {length} bytes, limit: {_limits.MaxDecompressedBytes} bytes");
            return result;
        }
        byte[] raw = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        result.Own(raw);
        if (!Snappy.Snappy.TryDecode(payload.Span, raw, out int written, out string? snappyError))
        {
            result.Fail(LokiPushStatus.BadRequest, snappyError ?? "snappy: corrupt input");
            return result;
        }
        DecodeProtobuf(new ReadOnlyMemory<byte>(raw, 0, written), result, window);
        return result;
    }

    /// <summary>
    /// Decodes an already decompressed <c>PushRequest</c> (no snappy); for benchmarks that separate
    /// the codec from the protobuf walk and validation.
    /// </summary>
    internal LokiPushResult DecodeProtobufMessage(ReadOnlyMemory<byte> message)
    {
        var result = new LokiPushResult();
        DecodeProtobuf(message, result, LokiTimeWindow.At(_clock.GetUtcNow(), _limits));
        return result;
    }

    private enum BodyEncoding : byte
    {
        Identity,
        Gzip,
        Deflate,
        Unsupported,
    }

    private static BodyEncoding ParseEncoding(string? header)
    {
        var value = header.AsSpan().Trim();
        if (value.IsEmpty || value.Equals("snappy", StringComparison.OrdinalIgnoreCase)) return BodyEncoding.Identity;
        if (value.Equals("gzip", StringComparison.OrdinalIgnoreCase)) return BodyEncoding.Gzip;
        if (value.Equals("deflate", StringComparison.OrdinalIgnoreCase)) return BodyEncoding.Deflate;
        return BodyEncoding.Unsupported;
    }

    // Media type only (Go's mime.ParseMediaType lower-cases it; parameters are ignored by Loki).
    private static bool IsJson(string? contentType)
    {
        var value = contentType.AsSpan();
        int semicolon = value.IndexOf(';');
        if (semicolon >= 0) value = value[..semicolon];
        return value.Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Validates a decoded stream's entries in place (truncating long lines first when configured),
    /// reports the rejected ones and hands the rest to the result. The same path for both formats.
    /// </summary>
    private void FinishStream(StreamLabels stream, List<LogEntry> entries, LokiPushResult result, in LokiTimeWindow window)
    {
        var span = CollectionsMarshal.AsSpan(entries);
        if (stream.Labels is null)
        {
            long bytes = 0;
            foreach (ref readonly var e in span) bytes += EntrySize(e);
            result.Reject(stream.Reason, span.Length, bytes, stream.Error!);
            return;
        }

        int kept = 0;
        long accepted = 0;
        int maxLine = _limits.TruncateLongLines ? _limits.MaxLineSize : 0;
        bool discoverLevels = _limits.DiscoverLogLevels && _limits.AllowStructuredMetadata;
        for (int i = 0; i < span.Length; i++)
        {
            ref var e = ref span[i];
            if (maxLine > 0 && e.Line.Length > maxLine) e = e with { Line = e.Line[..maxLine] };
            var reason = _validator.ValidateEntry(e, window);
            if (reason == LokiRejectReason.None)
            {
                accepted += e.Metadata.Length == 0 ? e.Line.Length : EntrySize(e);
                // After validation, as in Loki: the added pair never counts against metadata limits.
                if (discoverLevels) e = e with { Metadata = DetectedLevel.Attach(e.Metadata, stream.Level, e.Line.Span) };
                span[kept++] = e;
            }
            else
            {
                result.Reject(reason, 1, EntrySize(e), _validator.DescribeEntry(reason, stream.Text, e, window));
            }
        }
        CollectionsMarshal.SetCount(entries, kept);
        if (kept > 0) result.Accept(new LogStreamPush(stream.Labels, entries), accepted);
    }

    private static long EntrySize(in LogEntry e) => e.Line.Length + (e.Metadata.Length == 0 ? 0 : LokiValidator.MetadataSize(e.Metadata));

    /// <summary>Looks up or builds the labels of a protobuf label string.</summary>
    private StreamLabels ProtoLabels(ReadOnlySpan<byte> text)
    {
        ulong hash = SeriesKey.Hash(text);
        var cached = _protoLabels.Get(text, hash);
        if (cached is not null) return cached;

        var pairs = new List<Label>();
        string raw = Encoding.UTF8.GetString(text);
        string? parseError = LokiLabelParser.Parse(text, pairs);
        StreamLabels built;
        if (parseError is not null)
        {
            built = new StreamLabels(text.ToArray(), hash, null, raw, LokiRejectReason.InvalidLabels,
                $"Error parsing labels '{raw}' with error: {parseError}");
        }
        else
        {
            var reason = _validator.ValidateLabels(pairs, raw, out var labels, out string labelsText, out string? error);
            built = new StreamLabels(text.ToArray(), hash, labels, labelsText, reason, error);
        }
        _protoLabels.Add(built);
        return built;
    }
}
