namespace Strata.Query.LogQL;

/// <summary>
/// A LogQL parse error. <see cref="Exception.Message"/> is Loki's text byte for byte:
/// <c>parse error at line 1, col 7: syntax error: unexpected IDENTIFIER, expecting STRING</c> for
/// errors with a position, <c>parse error : grouping not allowed for sum_over_time aggregation</c>
/// for the checks Loki makes on the built tree (it reports them at line 0, col 0), and a few bare
/// messages such as <c>only log selector is supported</c> from the narrower entry points.
/// </summary>
/// <remarks>
/// Columns count characters from 1 as Go's text/scanner does. The line is 0 for errors at an item
/// Loki's lexer finishes with <c>Scanner.Next</c> (ranges, <c>|=</c>-style two-character operators,
/// durations, sizes, flags), e.g. <c>parse error at line 0, col 21: missing closing ']' in duration</c>;
/// that is Loki's behaviour and clients match on the text, so it is kept.
/// </remarks>
public sealed class LogQLParseException : Exception
{
    private LogQLParseException(string message, string detail, int line, int column)
        : base(message)
    {
        Detail = detail;
        Line = line;
        Column = column;
    }

    /// <summary>The message without the <c>parse error ...:</c> prefix.</summary>
    public string Detail { get; }

    /// <summary>1-based line, or 0 (see remarks).</summary>
    public int Line { get; }

    /// <summary>1-based column, or 0 for errors without a position.</summary>
    public int Column { get; }

    /// <summary>An error at character offset <paramref name="position"/> of <paramref name="query"/>.</summary>
    internal static LogQLParseException At(string query, int position, bool noLine, string detail)
    {
        var (line, column) = LineColumn(query, position);
        if (noLine) line = 0;
        return WithPosition(detail, line, column);
    }

    /// <summary>An error Loki reports without a position (<c>parse error : ...</c>).</summary>
    internal static LogQLParseException NoPosition(string detail) => WithPosition(detail, 0, 0);

    /// <summary>A message Loki returns as is, without the parse error prefix.</summary>
    internal static LogQLParseException Plain(string message) => new(message, message, 0, 0);

    private static LogQLParseException WithPosition(string detail, int line, int column)
    {
        string message = line == 0 && column == 0
            ? $"parse error : {detail}"
            : $"parse error at line {line}, col {column}: {detail}";
        return new LogQLParseException(message, detail, line, column);
    }

    // text/scanner counts lines from 1 and characters (runes) per line from 1. The end of an empty
    // query has no position in Go (line 0, col 0).
    private static (int Line, int Column) LineColumn(string query, int pos)
    {
        if (query.Length == 0) return (0, 0);
        pos = Math.Clamp(pos, 0, query.Length);
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos; i++)
        {
            char c = query[i];
            if (c == '\n')
            {
                line++;
                col = 1;
            }
            else if (!char.IsLowSurrogate(c) || i == 0 || !char.IsHighSurrogate(query[i - 1]))
            {
                col++;
            }
        }
        return (line, col);
    }
}
