namespace Strata.Query.PromQL;

/// <summary>
/// A PromQL syntax or type error. <see cref="Exception.Message"/> is formatted exactly like
/// Prometheus 3.x: <c>&lt;line&gt;:&lt;column&gt;: parse error: &lt;detail&gt;</c>, for example
/// <c>1:5: parse error: unexpected &lt;op:+&gt;</c>. Lines and columns are 1-based and count
/// characters (Prometheus counts bytes, so columns differ after non-ASCII text). An empty query
/// reports <c>unknown position</c>, as Prometheus does.
/// </summary>
public sealed class ParseException : Exception
{
    public ParseException(string query, int position, string detail)
        : base($"{FormatPosition(query, position)}: parse error: {detail}")
    {
        Query = query;
        Position = position;
        Detail = detail;
        (Line, Column) = LineColumn(query, position);
    }

    /// <summary>The query text the error refers to.</summary>
    public string Query { get; }

    /// <summary>Character offset of the error in <see cref="Query"/>.</summary>
    public int Position { get; }

    /// <summary>1-based line of <see cref="Position"/>.</summary>
    public int Line { get; }

    /// <summary>1-based column of <see cref="Position"/>.</summary>
    public int Column { get; }

    /// <summary>The message without the position prefix, e.g. <c>unexpected end of input</c>.</summary>
    public string Detail { get; }

    private static (int Line, int Column) LineColumn(string query, int pos)
    {
        if (pos < 0 || pos > query.Length) return (0, 0);
        int line = 1;
        int lastBreak = -1;
        for (int i = 0; i < pos; i++)
        {
            if (query[i] == '\n')
            {
                line++;
                lastBreak = i;
            }
        }
        return (line, pos - lastBreak);
    }

    private static string FormatPosition(string query, int pos)
    {
        if (query.Length == 0) return "unknown position";
        if (pos < 0 || pos > query.Length) return "invalid position";
        var (line, col) = LineColumn(query, pos);
        return $"{line}:{col}";
    }
}
