namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| unpack</c> (Loki's <c>UnpackParser</c>) for lines written by Promtail's <c>pack</c> stage: a JSON
/// object whose <c>_entry</c> string becomes the new line and whose other string members become parsed
/// labels. Non-string members are ignored, and nothing is extracted unless <c>_entry</c> is present.
/// A line that is not an object, or is malformed, gets <c>JSONParserErr</c> and keeps its text.
/// Names follow Loki's order: <c>_extracted</c> is decided on the raw key, then the name is sanitised.
/// </summary>
public sealed class UnpackParser : Stage
{
    public static readonly UnpackParser Instance = new();

    private const string NotAnObject = "expecting json object(6), but it is not";

    public override bool Process(LogLine entry)
    {
        var line = entry.Line;
        if (line.IsEmpty) return true;
        if (line[0] != '{')
        {
            entry.SetError(PipelineErrors.JsonParser);
            entry.SetErrorDetails(NotAnObject);
            return true;
        }
        var buffered = entry.UnpackScratch;
        buffered.Clear();
        int entryOffset = -1, entryLength = 0;
        var reader = new JsonScanner.ObjectReader(line);
        while (reader.Next(ref entry.KeyScratch, out var key, out var type, out int vs, out int vl))
        {
            if (type != JsonType.String) continue;
            var raw = line.Slice(vs, vl);
            if (key.SequenceEqual("_entry"u8))
            {
                var dst = entry.BeginValue(raw.Length, out int offset);
                int n = JsonScanner.Unescape(raw, dst);
                if (n < 0)
                {
                    entry.SetError(PipelineErrors.JsonParser);
                    entry.SetErrorDetails(JsonScanner.MalformedStringEscape);
                    return true;
                }
                entry.EndValue(offset, n);
                entryOffset = offset;
                entryLength = n;
                continue;
            }
            string field = entry.Names.Get(key);
            if (entry.StreamHas(field)) field = entry.ExtractedName(field);
            string name = entry.SanitizedName(field);
            if (name.Length == 0) continue;
            var vdst = entry.BeginValue(raw.Length, out int voff);
            int vn = JsonScanner.Unescape(raw, vdst);
            if (vn < 0) vn = 0;
            else if (!GoUtf8.IsCleanValue(vdst[..vn])) vn = GoUtf8.CopyReplacingInvalid(vdst[..vn], vdst);
            entry.EndValue(voff, vn);
            buffered.Add((name, voff, vn));
        }
        if (reader.Error != null)
        {
            entry.SetError(PipelineErrors.JsonParser);
            entry.SetErrorDetails(reader.Error);
            return true;
        }
        if (entryOffset >= 0)
        {
            foreach (var (name, offset, length) in buffered) entry.SetArena(LabelCategory.Parsed, name, offset, length);
            entry.SetLine(entry.ArenaSpan(entryOffset, entryLength));
        }
        return true;
    }
}
