namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| line_format "{{.level}} {{.msg}}"</c> (Loki's <c>LineFormatter</c>): replaces the line with the
/// template's output. A failing template sets <c>TemplateFormatErr</c> with Go's message and keeps the
/// line. <c>{{.name}}</c> alone copies the label's bytes (empty when missing) without running the engine.
/// </summary>
public sealed class LineFormat : Stage
{
    private readonly Template _template;

    public LineFormat(string template) => _template = Template.ParseOrThrow("line", template, "invalid line template: ");

    public string TemplateText => _template.Text;

    public override bool Process(LogLine entry)
    {
        if (_template.SimpleKey is { } key)
        {
            if (!entry.TryGetValue(key, out var v)) entry.SetLine(ReadOnlySpan<byte>.Empty);
            else if (v.String is { } s) entry.SetLine(s);
            else entry.SetLine(v.Utf8);
            return true;
        }
        int labels = entry.CollectVisible();
        if (!_template.Execute(entry, labels, out string? error))
        {
            entry.SetError(PipelineErrors.TemplateFormat);
            entry.SetErrorDetails(error);
            return true;
        }
        entry.SetLine(Template.Output(entry));
        return true;
    }

}
