using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| regexp "(?P&lt;method&gt;\\w+) (?P&lt;path&gt;\\S+)"</c> (Loki's <c>RegexpParser</c>): on the first
/// (leftmost) match every named group becomes a parsed label, empty when the group did not take part;
/// no match leaves the labels alone and keeps the line. The pattern needs at least one named group;
/// names must be valid label names and unique. RE2 syntax, non-backtracking engine.
/// </summary>
public sealed class RegexpParser : Stage
{
    private readonly Re2Regex _regex;
    private readonly (int Index, string Name)[] _groups;

    public RegexpParser(string pattern)
    {
        _regex = PipelineThrow.CompileRegex(pattern);
        if (_regex.CaptureCount == 0) PipelineThrow.BadQuery("at least one named capture must be supplied");
        var groups = new List<(int, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < _regex.SubexpNames.Length; i++)
        {
            string? n = _regex.SubexpNames[i];
            if (n == null) continue;
            if (!LabelNames.IsValid(n)) PipelineThrow.BadQuery($"invalid extracted label name '{n}'");
            if (!seen.Add(n)) PipelineThrow.BadQuery($"duplicate extracted label name '{n}'");
            groups.Add((i, n));
        }
        if (groups.Count == 0) PipelineThrow.BadQuery("at least one named capture must be supplied");
        _groups = [.. groups];
    }

    public string Pattern => _regex.Source;

    public override bool Process(LogLine entry)
    {
        // Groups need a Match, and Match needs a string: the line is decoded once and cached on the entry.
        string line = entry.LineString;
        var m = _regex.Regex.Match(line);
        if (!m.Success) return true;
        Span<byte> buf = stackalloc byte[256];
        foreach (var (index, name) in _groups)
        {
            var g = _regex.Group(m, index);
            string label = entry.StreamHas(name) ? entry.ExtractedName(name) : name;
            var value = g.Success ? line.AsSpan(g.Index, g.Length) : default;
            int max = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (max <= buf.Length)
            {
                int n = Encoding.UTF8.GetBytes(value, buf);
                entry.Set(LabelCategory.Parsed, label, buf[..n]);
            }
            else entry.Set(LabelCategory.Parsed, label, value.ToString());
        }
        return true;
    }
}
