namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| json</c> without parameters (Loki's <c>JSONParser</c>): every string, number and boolean member
/// becomes a parsed label; nested objects are flattened with <c>_</c> (<c>{"a":{"b":1}}</c> → <c>a_b</c>);
/// arrays and nulls are skipped; numbers keep their text (<c>1.50</c> stays <c>1.50</c>); names are
/// sanitised (<c>a.b</c> → <c>a_b</c>, a leading digit gets <c>_</c>) and get <c>_extracted</c> when a
/// stream label has the name. A malformed line sets <c>JSONParserErr</c> with jsonparser's message;
/// members read before the error stay set, and the line is kept.
/// <para>
/// Values go into the entry's byte arena, not strings, so a line that a later label filter drops costs
/// no allocation. Loki caches the <c>_extracted</c> decision per key across streams; we decide per entry.
/// A key that sanitises to the empty string is skipped (Loki would create a label with an empty name).
/// </para>
/// </summary>
public sealed class JsonParser : Stage
{
    public static readonly JsonParser Instance = new();

    public override bool Process(LogLine entry)
    {
        var ctx = new Context(entry);
        string? error = ctx.ParseObject(entry.Line, prefixLength: 0);
        entry.NameScratch = ctx.Prefix;
        if (error != null)
        {
            entry.SetError(PipelineErrors.JsonParser);
            entry.SetErrorDetails(error);
        }
        return true;
    }

    private struct Context(LogLine entry)
    {
        public byte[] Prefix = entry.NameScratch;

        public string? ParseObject(ReadOnlySpan<byte> data, int prefixLength)
        {
            var reader = new JsonScanner.ObjectReader(data);
            while (reader.Next(ref entry.KeyScratch, out var key, out var type, out int vs, out int vl))
            {
                switch (type)
                {
                    case JsonType.String or JsonType.Number or JsonType.Boolean:
                        SetValue(key, data.Slice(vs, vl), type, prefixLength);
                        break;
                    case JsonType.Object:
                        // The key scratch is reused by the nested reader: append the key to the prefix first.
                        int nested = AppendPrefix(key, prefixLength);
                        string? err = ParseObject(data.Slice(vs, vl), nested);
                        if (err != null) return err;
                        break;
                }
            }
            return reader.Error;
        }

        private int AppendPrefix(ReadOnlySpan<byte> key, int prefixLength)
        {
            Ensure(prefixLength + key.Length + 2);
            int n = prefixLength;
            if (n != 0) Prefix[n++] = (byte)'_';
            return n + LabelNames.Sanitize(key, Prefix.AsSpan(n), prefixDigit: n == 0);
        }

        private void SetValue(ReadOnlySpan<byte> key, ReadOnlySpan<byte> raw, JsonType type, int prefixLength)
        {
            int n = AppendPrefix(key, prefixLength);
            if (n == 0) return;
            string name = entry.Names.Get(Prefix.AsSpan(0, n));
            if (entry.StreamHas(name)) name = entry.ExtractedName(name);
            WriteValue(entry, name, raw, type);
        }

        private void Ensure(int size)
        {
            if (Prefix.Length >= size) return;
            var bigger = new byte[Math.Max(size, Prefix.Length * 2)];
            Prefix.CopyTo(bigger, 0);
            Prefix = bigger;
        }
    }

    /// <summary>Writes a scalar JSON value as Loki's <c>readValue</c> renders it.</summary>
    internal static void WriteValue(LogLine entry, string name, ReadOnlySpan<byte> raw, JsonType type)
    {
        switch (type)
        {
            case JsonType.String:
                WriteUnescaped(entry, name, raw);
                break;
            case JsonType.Boolean:
                entry.Set(LabelCategory.Parsed, name, raw[0] == 't' ? "true" : "false");
                break;
            default:
                entry.Set(LabelCategory.Parsed, name, raw);
                break;
        }
    }

    /// <summary>
    /// Loki's <c>unescapeJSONString</c>: JSON-unescape into the arena; an invalid escape gives the empty
    /// value; invalid UTF-8 and U+FFFD become spaces.
    /// </summary>
    internal static void WriteUnescaped(LogLine entry, string name, ReadOnlySpan<byte> raw)
    {
        var dst = entry.BeginValue(raw.Length, out int offset);
        int n = JsonScanner.Unescape(raw, dst);
        if (n < 0) n = 0;
        else if (!GoUtf8.IsCleanValue(dst[..n])) n = GoUtf8.CopyReplacingInvalid(dst[..n], dst);
        entry.EndValue(LabelCategory.Parsed, name, offset, n);
    }
}
