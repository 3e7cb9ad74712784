namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| logfmt [--strict] host, status_code="status"</c> (Loki's <c>LogfmtExpressionParser</c>): only the
/// listed keys are extracted, renamed to their label, and every listed label exists afterwards (empty
/// when the key is absent). A value with invalid UTF-8 becomes empty here (Loki differs from the plain
/// parser on this). <c>--keep-empty</c> does not apply: listed keys are always set.
/// </summary>
public sealed class LogfmtExpressionParser : Stage
{
    private readonly string[] _ids;
    private readonly string[] _keys;

    /// <param name="expressions">Pairs of label name and logfmt key (the key is the label name when written bare).</param>
    public LogfmtExpressionParser(IReadOnlyList<(string Label, string Key)> expressions, bool strict = false)
    {
        if (expressions.Count == 0) PipelineThrow.BadQuery("no logfmt expression provided");
        _ids = new string[expressions.Count];
        _keys = new string[expressions.Count];
        for (int i = 0; i < expressions.Count; i++)
        {
            var (label, key) = expressions[i];
            if (key.Length == 0 || key.AsSpan().IndexOfAny(" \t\n\"=") >= 0) PipelineThrow.BadQuery($"cannot parse expression [{key}]: syntax error");
            if (!LabelNames.IsValid(label)) PipelineThrow.BadQuery($"invalid extracted label name '{label}'");
            _ids[i] = label;
            _keys[i] = key;
        }
        Strict = strict;
    }

    public bool Strict { get; }

    public override bool Process(LogLine entry)
    {
        foreach (string id in _ids)
        {
            if (!entry.StreamHas(id)) entry.Set(LabelCategory.Parsed, id, "");
        }
        var dec = new LogfmtDecoder(entry.Line);
        while (!dec.EndOfLine)
        {
            if (!dec.ScanKeyval(ref entry.ByteScratch))
            {
                if (Strict) break;
                continue;
            }
            string? key = LogfmtParser.SanitizedName(entry, dec.Key);
            if (key == null) continue;
            // A key listed under another label is renamed; a key equal to a label name is taken as is.
            for (int i = 0; i < _keys.Length; i++)
            {
                if (key == _keys[i])
                {
                    key = _ids[i];
                    break;
                }
            }
            if (Array.IndexOf(_ids, key) < 0) continue;
            if (entry.StreamHas(key)) key = entry.ExtractedName(key);
            LogfmtParser.SetValue(entry, key, dec.Value, replaceInvalid: false);
        }
        if (Strict && dec.Error != null)
        {
            entry.SetError(PipelineErrors.LogfmtParser);
            entry.SetErrorDetails(dec.Error);
        }
        return true;
    }
}
