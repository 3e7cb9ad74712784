namespace Strata.Query.LogQL.Pipeline;

/// <summary><c>|&gt; "pattern"</c>: the line has the pattern's shape (see <see cref="PatternExpression.Test"/>).</summary>
public sealed class PatternLineFilter : LineFilter
{
    private readonly PatternExpression _expr;

    public PatternLineFilter(string pattern)
    {
        Pattern = pattern;
        _expr = PatternExpression.ForLineFilter(pattern);
    }

    public string Pattern { get; }

    public override bool Matches(ReadOnlySpan<byte> line) => _expr.Test(line);

    internal override int Cost => 2;
}
