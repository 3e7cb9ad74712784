namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| json first_server="servers[0]", ua="request.headers[\"User-Agent\"]"</c> (Loki's
/// <c>JSONExpressionParser</c>): extracts only the addressed values. Strings are unescaped, objects and
/// arrays are returned as their JSON text, null is empty, and every requested label exists afterwards
/// (empty when the path is missing). A line that does not start with <c>{</c>, <c>[</c> or <c>"</c> gets
/// <c>JSONParserErr</c> and no labels.
/// </summary>
public sealed class JsonExpressionParser : Stage
{
    private readonly string[] _ids;
    private readonly JsonPath[] _paths;

    /// <param name="expressions">Pairs of label name and JSON path expression.</param>
    public JsonExpressionParser(IReadOnlyList<(string Label, string Expression)> expressions)
    {
        _ids = new string[expressions.Count];
        _paths = new JsonPath[expressions.Count];
        for (int i = 0; i < expressions.Count; i++)
        {
            var (label, expr) = expressions[i];
            _paths[i] = JsonPath.Parse(expr);
            if (!LabelNames.IsValid(label)) PipelineThrow.BadQuery($"invalid extracted label name '{label}'");
            _ids[i] = label;
        }
    }

    public override bool Process(LogLine entry)
    {
        var line = entry.Line;
        if (line.IsEmpty) return true;
        if (line[0] is not ((byte)'"' or (byte)'{' or (byte)'['))
        {
            entry.SetError(PipelineErrors.JsonParser);
            return true;
        }
        int matches = 0;
        for (int i = 0; i < _ids.Length; i++)
        {
            if (!_paths[i].TryFind(line, ref entry.KeyScratch, out int start, out int length, out var type, out string? error))
            {
                if (error != null)
                {
                    entry.SetError(PipelineErrors.JsonParser);
                    entry.SetErrorDetails(error);
                }
                continue;
            }
            string id = _ids[i];
            string key = entry.StreamHas(id) ? entry.ExtractedName(id) : id;
            var raw = line.Slice(start, length);
            switch (type)
            {
                case JsonType.Null: entry.Set(LabelCategory.Parsed, key, ""); break;
                case JsonType.Object: entry.Set(LabelCategory.Parsed, key, raw); break;
                default: JsonParser.WriteUnescaped(entry, key, raw); break;
            }
            matches++;
        }
        if (matches < _ids.Length)
        {
            foreach (string id in _ids)
            {
                if (!entry.Has(id)) entry.Set(LabelCategory.Parsed, id, "");
            }
        }
        return true;
    }
}
