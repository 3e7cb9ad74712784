namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A Go <c>text/template</c> as LogQL's <c>line_format</c> and <c>label_format</c> use it, parsed once at
/// query start and executed per entry without re-parsing. The data is the entry's label map (stream,
/// metadata, parsed labels and <c>__error__</c>), missing keys are empty strings (<c>missingkey=zero</c>),
/// and <c>__line__</c>/<c>__timestamp__</c> give the line and the entry time. Immutable and thread-safe;
/// execution state lives in the <see cref="LogLine"/>.
/// </summary>
public sealed class Template
{
    private readonly ListNode _root;

    /// <param name="name">Go's template name, which appears in error messages ("line" or "label").</param>
    public Template(string name, string text)
    {
        Name = name;
        Text = text;
        _root = TemplateParser.Parse(name, text);
        if (_root.Nodes is [ActionNode { Pipe: { Decl.Count: 0, Cmds: [{ Args: [FieldNode { Ident: [var key] }] }] } }]) SimpleKey = key;
    }

    public string Name { get; }

    public string Text { get; }

    /// <summary>The label name when the template is just <c>{{.name}}</c> (Loki's fast path), else null.</summary>
    public string? SimpleKey { get; }

    /// <summary>
    /// Executes against <paramref name="entry"/>, whose visible labels the caller collected into
    /// <paramref name="labelCount"/> slots. On success the output is in <see cref="Output"/>; on failure
    /// <paramref name="error"/> holds Go's message.
    /// </summary>
    internal bool Execute(LogLine entry, int labelCount, out string? error)
    {
        var ex = entry.Templates;
        bool ok = ex.Execute(_root, Name, labelCount);
        error = ex.Error;
        return ok;
    }

    internal static ReadOnlySpan<byte> Output(LogLine entry) => entry.Templates.Output;

    /// <summary>Parses a template, turning syntax errors into a query error with Loki's prefix.</summary>
    internal static Template ParseOrThrow(string name, string text, string errorPrefix)
    {
        try
        {
            return new Template(name, text);
        }
        catch (TemplateException e)
        {
            throw PipelineThrow.BadQueryException(errorPrefix + e.Message);
        }
    }
}
