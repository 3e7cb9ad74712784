namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| pattern "&lt;ip&gt; - - &lt;_&gt; \"&lt;method&gt; &lt;uri&gt; &lt;_&gt;\" &lt;status&gt;"</c>: extracts the
/// named captures as parsed labels (<c>_extracted</c> on collision with a stream label). A line that
/// does not fit yields the captures found before the mismatch; the line is never dropped.
/// </summary>
public sealed class PatternParser : Stage
{
    private readonly PatternExpression _expr;

    public PatternParser(string pattern)
    {
        Pattern = pattern;
        _expr = PatternExpression.ForParser(pattern);
    }

    public string Pattern { get; }

    public override bool Process(LogLine entry)
    {
        var names = _expr.Names;
        Span<(int Start, int Length)> caps = names.Length <= 32 ? stackalloc (int, int)[names.Length] : new (int, int)[names.Length];
        var line = entry.Line;
        int n = _expr.Match(line, caps);
        for (int i = 0; i < n; i++)
        {
            string name = names[i];
            if (entry.StreamHas(name)) name = entry.ExtractedName(name);
            var (start, length) = caps[i];
            // Values are copied to the arena before the line could change, so later stages may rewrite it.
            entry.Set(LabelCategory.Parsed, name, line.Slice(start, length));
        }
        return true;
    }
}
