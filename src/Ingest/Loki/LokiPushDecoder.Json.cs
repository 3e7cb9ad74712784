using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Ingest.Loki;

/// <summary>
/// The JSON half, v1 shape:
/// <c>{"streams":[{"stream":{"app":"x"},"values":[["&lt;ns&gt;","&lt;line&gt;"],["&lt;ns&gt;","&lt;line&gt;",{"trace_id":"abc"}]]}]}</c>.
/// Also the legacy shape of <c>/api/prom/push</c> (spec P2), whichever the path:
/// <c>{"streams":[{"labels":"{app=\"x\"}","entries":[{"ts":"&lt;RFC 3339&gt;","line":"…"}]}]}</c>.
/// Read with <see cref="Utf8JsonReader"/> over the whole body, no DOM. Lines without escapes are
/// slices of the body; escaped lines are unescaped into one pooled arena owned by the result (an
/// unescaped string is never longer than its JSON text, so one body-sized arena always suffices).
/// Any structural problem fails the whole request (400), as a failed unmarshal does in Loki; the
/// texts are ours, since Loki's come from json-iterator's internals.
/// </summary>
public sealed partial class LokiPushDecoder
{
    private const string JsonErrorPrefix = "malformed JSON push request: ";

    /// <summary>Per-request JSON state; one allocation per request.</summary>
    private sealed class JsonContext(ReadOnlyMemory<byte> json, LokiPushResult result)
    {
        public readonly ReadOnlyMemory<byte> Json = json;
        public readonly LokiPushResult Result = result;
        public readonly List<LogEntry> Scratch = t_entries ??= new List<LogEntry>(256);
        public readonly List<Label> Pairs = [];
        public byte[]? Arena;
        public int ArenaUsed;
        public int Stream;
        public int Entry;
    }

    /// <summary>A user error that ends the request; thrown only from the helpers below and caught in DecodeJson.</summary>
    private sealed class JsonPushException(string message) : Exception(message);

    private void DecodeJson(ReadOnlyMemory<byte> json, LokiPushResult result, in LokiTimeWindow window)
    {
        var ctx = new JsonContext(json, result);
        try
        {
            if (json.Span.Trim(" \t\r\n"u8).IsEmpty) Throw("the body is empty");
            var reader = new Utf8JsonReader(json.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) Throw("the body must be a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool streams = reader.ValueTextEquals("streams"u8);
                reader.Read();
                if (!streams || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray) Throw("\"streams\" must be an array");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) Throw($"stream {ctx.Stream} must be an object");
                    DecodeJsonStream(ref reader, ctx, window);
                    ctx.Stream++;
                }
            }
            // Trailing content after the root object makes Read throw.
            if (reader.Read()) Throw("unexpected content after the JSON object");
        }
        catch (JsonPushException e)
        {
            result.Fail(LokiPushStatus.BadRequest, JsonErrorPrefix + e.Message);
        }
        catch (JsonException e)
        {
            result.Fail(LokiPushStatus.BadRequest, JsonErrorPrefix + e.Message);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.CopyString/GetString on an escaped lone surrogate.
            result.Fail(LokiPushStatus.BadRequest, JsonErrorPrefix + e.Message);
        }
        finally
        {
            ReleaseScratch(ctx.Scratch);
        }
    }

    private void DecodeJsonStream(ref Utf8JsonReader reader, JsonContext ctx, in LokiTimeWindow window)
    {
        StreamLabels? labels = null;
        ctx.Scratch.Clear();
        ctx.Entry = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    labels = JsonLabels(ctx.Json.Span[start..(int)reader.BytesConsumed], ctx);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    Throw($"\"stream\" of stream {ctx.Stream} must be an object of label names to values");
                }
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) Throw($"\"values\" of stream {ctx.Stream} must be an array");
                DecodeJsonValues(ref reader, ctx);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String) Throw($"\"labels\" of stream {ctx.Stream} must be a string such as {{app=\"x\"}}");
                labels = LegacyLabels(ref reader);
            }
            else if (reader.ValueTextEquals("entries"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) Throw($"\"entries\" of stream {ctx.Stream} must be an array");
                DecodeLegacyEntries(ref reader, ctx);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (ctx.Scratch.Count == 0) return;
        labels ??= JsonLabels("{}"u8, ctx);
        var entries = new List<LogEntry>(ctx.Scratch.Count);
        entries.AddRange(ctx.Scratch);
        FinishStream(labels, entries, ctx.Result, window);
    }

    private void DecodeJsonValues(ref Utf8JsonReader reader, JsonContext ctx)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray) ThrowShape(ctx);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                if (reader.TokenType == JsonTokenType.EndArray) ThrowShape(ctx);
                Throw($"timestamp of entry {ctx.Entry} in stream {ctx.Stream} must be a string of Unix nanoseconds, got {Describe(reader.TokenType)}");
            }
            long ts = JsonTimestamp(ref reader, ctx);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                if (reader.TokenType == JsonTokenType.EndArray) ThrowShape(ctx);
                Throw($"line of entry {ctx.Entry} in stream {ctx.Stream} must be a string, got {Describe(reader.TokenType)}");
            }
            var line = JsonLine(ref reader, ctx);
            reader.Read();
            Label[] metadata = [];
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                metadata = JsonMetadata(ref reader, ctx);
                reader.Read();
            }
            if (reader.TokenType != JsonTokenType.EndArray) ThrowShape(ctx);
            ctx.Scratch.Add(new LogEntry(ts, line, metadata));
            ctx.Entry++;
        }
    }

    // The legacy form (/api/prom/push, spec P2): "labels" is the same text as the protobuf labels
    // field, so it shares that cache; JSON escapes it, so it is unescaped into a pooled buffer first.
    private StreamLabels LegacyLabels(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return ProtoLabels(reader.ValueSpan);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            return ProtoLabels(buffer.AsSpan(0, reader.CopyString(buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // [{"ts":"2023-11-14T22:13:20.123456789Z","line":"..."}]; Go's time.Time JSON form (RFC 3339).
    private static void DecodeLegacyEntries(ref Utf8JsonReader reader, JsonContext ctx)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) Throw($"entry {ctx.Entry} in stream {ctx.Stream} must be an object {{\"ts\": \"<RFC 3339>\", \"line\": \"<line>\"}}");
            long ts = long.MinValue;
            ReadOnlyMemory<byte> line = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isTs = reader.ValueTextEquals("ts"u8);
                bool isLine = !isTs && reader.ValueTextEquals("line"u8);
                reader.Read();
                if (isTs)
                {
                    string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (text is null || !TryParseRfc3339(text, out ts))
                        Throw($"\"ts\" of entry {ctx.Entry} in stream {ctx.Stream} must be an RFC 3339 time string");
                }
                else if (isLine)
                {
                    if (reader.TokenType != JsonTokenType.String) Throw($"line of entry {ctx.Entry} in stream {ctx.Stream} must be a string, got {Describe(reader.TokenType)}");
                    line = JsonLine(ref reader, ctx);
                }
                else
                {
                    reader.Skip();
                }
            }
            if (ts == long.MinValue) Throw($"entry {ctx.Entry} in stream {ctx.Stream} has no \"ts\"");
            ctx.Scratch.Add(new LogEntry(ts, line, []));
            ctx.Entry++;
        }
    }

    /// <summary>
    /// Go's RFC 3339 with up to nine fraction digits (time.RFC3339Nano), to Unix nanoseconds:
    /// <c>2006-01-02T15:04:05.999999999Z</c> or with a <c>±hh:mm</c> offset.
    /// </summary>
    internal static bool TryParseRfc3339(string text, out long unixNs)
    {
        unixNs = 0;
        if (text.Length < 20) return false;
        long fraction = 0;
        string rest = text;
        if (text[19] == '.')
        {
            int i = 20, digits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (digits < 9) fraction = fraction * 10 + (text[i] - '0');
                digits++;
                i++;
            }
            if (digits == 0) return false;
            for (int d = digits; d < 9; d++) fraction *= 10;
            rest = string.Concat(text.AsSpan(0, 19), text.AsSpan(i));
        }
        if (!DateTimeOffset.TryParseExact(rest, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:sszzz"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return false;
        long seconds = t.ToUnixTimeSeconds();
        if (seconds > long.MaxValue / 1_000_000_000 - 1 || seconds < long.MinValue / 1_000_000_000 + 1) return false;
        unixNs = seconds * 1_000_000_000 + fraction;
        return true;
    }

    // Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else.
    private static long JsonTimestamp(ref Utf8JsonReader reader, JsonContext ctx)
    {
        ReadOnlySpan<byte> text = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        if (TryParseInt64(text, out long ns)) return ns;
        Throw($"timestamp {GoText.Quote(reader.GetString()!)} of entry {ctx.Entry} in stream {ctx.Stream} is not an integer number of Unix nanoseconds");
        return 0;
    }

    private static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        bool negative = false;
        if (text.Length > 0 && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }
        if (text.IsEmpty) return false;
        while (text.Length > 1 && text[0] == '0') text = text[1..];
        if (text.Length > 19) return false;
        ulong v = 0;
        foreach (byte c in text)
        {
            uint d = (uint)(c - '0');
            if (d > 9) return false;
            v = v * 10 + d;
        }
        if (negative ? v > 1UL << 63 : v > long.MaxValue) return false;
        value = negative ? (long)(0 - v) : (long)v;
        return true;
    }

    private static ReadOnlyMemory<byte> JsonLine(ref Utf8JsonReader reader, JsonContext ctx)
    {
        if (!reader.ValueIsEscaped) return ctx.Json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        if (ctx.Arena is null)
        {
            ctx.Arena = ArrayPool<byte>.Shared.Rent(ctx.Json.Length);
            ctx.Result.Own(ctx.Arena);
        }
        int n = reader.CopyString(ctx.Arena.AsSpan(ctx.ArenaUsed));
        var line = new ReadOnlyMemory<byte>(ctx.Arena, ctx.ArenaUsed, n);
        ctx.ArenaUsed += n;
        return line;
    }

    // A flat object; names as Loki normalizes them, map semantics for repeated names (the last one
    // wins), empty and null values dropped, numbers and booleans kept as their JSON text.
    private Label[] JsonMetadata(ref Utf8JsonReader reader, JsonContext ctx)
    {
        var pairs = ctx.Pairs;
        pairs.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.ValueIsEscaped ? MetadataNames.Normalize(reader.GetString()!) : _metadataNames.Get(reader.ValueSpan);
            reader.Read();
            string? value = ScalarText(ref reader);
            if (value is null && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                Throw($"structured metadata {GoText.Quote(name)} of entry {ctx.Entry} in stream {ctx.Stream} must be a string or a number, got {Describe(reader.TokenType)}");
            Put(pairs, name, value);
        }
        return pairs.Count == 0 ? [] : pairs.ToArray();
    }

    private static void Put(List<Label> pairs, string name, string? value)
    {
        for (int i = 0; i < pairs.Count; i++)
        {
            if (!string.Equals(pairs[i].Name, name, StringComparison.Ordinal)) continue;
            if (string.IsNullOrEmpty(value)) pairs.RemoveAt(i);
            else pairs[i] = new Label(name, value);
            return;
        }
        if (!string.IsNullOrEmpty(value)) pairs.Add(new Label(name, value));
    }

    // String → its text; number → its JSON text; true/false; null → ""; anything else → null.
    private static string? ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "",
        _ => null,
    };

    /// <summary>
    /// Looks up or builds the labels of a JSON <c>stream</c> object, keyed by its exact bytes. Loki
    /// reads the object into a map, prints it as <c>{k="v", …}</c> (keys sorted, values
    /// <c>strconv.Quote</c>d) and parses that text, so a key that is not a valid label name fails with
    /// the parser's error for that text, which is what is reproduced here.
    /// </summary>
    private StreamLabels JsonLabels(ReadOnlySpan<byte> objectText, JsonContext ctx)
    {
        ulong hash = SeriesKey.Hash(objectText);
        var cached = _jsonLabels.Get(objectText, hash);
        if (cached is not null) return cached;

        var pairs = new List<Label>();
        var reader = new Utf8JsonReader(objectText);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            string? value = ScalarText(ref reader);
            if (value is null) Throw($"label {GoText.Quote(name)} of stream {ctx.Stream} must be a string, got {Describe(reader.TokenType)}");
            int existing = pairs.FindIndex(l => l.Name == name);
            if (existing >= 0) pairs[existing] = new Label(name, value);
            else pairs.Add(new Label(name, value));
        }

        pairs.Sort(static (a, b) => Utf8Order.CompareStrings(a.Name, b.Name)); // Go's sort.Strings on the keys
        var text = new StringBuilder("{");
        for (int i = 0; i < pairs.Count; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(pairs[i].Name).Append('=');
            GoText.AppendQuoted(text, pairs[i].Value);
        }
        string raw = text.Append('}').ToString();

        StreamLabels built;
        string? parseError = null;
        if (!_limits.AllowUtf8LabelNames && !pairs.TrueForAll(l => LokiLabelParser.IsLegacyName(l.Name)))
            parseError = LokiLabelParser.Parse(raw, []) ?? "invalid label name";
        if (parseError is not null)
        {
            built = new StreamLabels(objectText.ToArray(), hash, null, raw, LokiRejectReason.InvalidLabels,
                $"Error parsing labels '{raw}' with error: {parseError}");
        }
        else
        {
            var reason = _validator.ValidateLabels(pairs, raw, out var labels, out string labelsText, out string? error);
            built = new StreamLabels(objectText.ToArray(), hash, labels, labelsText, reason, error);
        }
        _jsonLabels.Add(built);
        return built;
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => t.ToString(),
    };

    [DoesNotReturn]
    private static void ThrowShape(JsonContext ctx) => Throw(string.Create(CultureInfo.InvariantCulture,
        $"entry {ctx.Entry} in stream {ctx.Stream} must be [\"<ns>\", \"<line>\"] or [\"<ns>\", \"<line>\", {{structured metadata}}]"));

    [DoesNotReturn]
    private static void Throw(string message) => throw new JsonPushException(message);
}
