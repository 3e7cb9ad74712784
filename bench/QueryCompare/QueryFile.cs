namespace Strata.QueryCompare;

public enum QueryKind
{
    Instant,
    Range,
}

/// <summary>One line of the query file: <c>instant &lt;promql&gt;</c> or <c>range &lt;promql&gt;</c>.</summary>
public sealed record QuerySpec(int Line, QueryKind Kind, string PromQL);

public static class QueryFile
{
    /// <summary>Blank lines and lines starting with '#' are skipped; anything else must name its kind.</summary>
    public static List<QuerySpec> Read(string path)
    {
        var result = new List<QuerySpec>();
        int lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int space = line.IndexOfAny([' ', '\t']);
            string kind = space < 0 ? line : line[..space];
            string promql = space < 0 ? "" : line[(space + 1)..].Trim();
            QueryKind k = kind switch
            {
                "instant" => QueryKind.Instant,
                "range" => QueryKind.Range,
                _ => throw new FormatException($"{path}:{lineNo}: expected 'instant' or 'range', got '{kind}'"),
            };
            if (promql.Length == 0) throw new FormatException($"{path}:{lineNo}: missing query");
            result.Add(new QuerySpec(lineNo, k, promql));
        }
        return result;
    }
}
