using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Strata.Query.Engine;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>Out-of-line throwers for pipeline construction errors, which end the query as bad input.</summary>
internal static class PipelineThrow
{
    [DoesNotReturn, StackTraceHidden]
    public static void BadQuery(string message) => throw new QueryException(ErrorType.BadData, message);

    [StackTraceHidden]
    public static QueryException BadQueryException(string message) => new(ErrorType.BadData, message);

    /// <summary>Compiles an RE2 pattern, turning syntax errors into query errors.</summary>
    public static Re2Regex CompileRegex(string pattern, bool anchored = false)
    {
        try
        {
            return Re2Regex.Compile(pattern, anchored);
        }
        catch (Re2SyntaxException e)
        {
            throw BadQueryException(e.Message);
        }
    }

    public static Re2Node ParseRegex(string pattern, out int captures)
    {
        try
        {
            return Re2Parser.Parse(pattern, out captures);
        }
        catch (Re2SyntaxException e)
        {
            throw BadQueryException(e.Message);
        }
    }
}
