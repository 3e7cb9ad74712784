namespace Strata.Query.LogQL.Pipeline;

/// <summary>One <c>label_format</c> item: <c>dst=src</c> (rename) or <c>dst="{{template}}"</c>.</summary>
public readonly record struct LabelFormatSpec(string Name, string Value, bool IsRename)
{
    public static LabelFormatSpec Rename(string destination, string source) => new(destination, source, true);

    public static LabelFormatSpec Template(string destination, string template) => new(destination, template, false);
}

/// <summary>
/// <c>| label_format dst=src, dst2="{{.a}}-{{.b}}"</c> (Loki's <c>LabelsFormatter</c>). A rename moves a
/// label's value to a parsed label and deletes the source (nothing happens when the source is
/// missing). Templates all see the labels as they were when the first template of the stage ran,
/// not each other's results. A failing template sets <c>TemplateFormatErr</c> and leaves its label
/// unchanged. A name may appear once per stage, and <c>__error__</c> cannot be formatted.
/// </summary>
public sealed class LabelFormat : Stage
{
    private readonly LabelFormatSpec[] _specs;
    private readonly Template?[] _templates;

    public LabelFormat(IReadOnlyList<LabelFormatSpec> formats)
    {
        _specs = [.. formats];
        _templates = new Template?[_specs.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < _specs.Length; i++)
        {
            var f = _specs[i];
            if (f.Name == PipelineErrors.ErrorLabel) PipelineThrow.BadQuery($"{f.Name} cannot be formatted");
            if (!seen.Add(f.Name)) PipelineThrow.BadQuery($"multiple label name '{f.Name}' not allowed in a single format operation");
            if (!f.IsRename) _templates[i] = Template.ParseOrThrow("label", f.Value, $"invalid template for label '{f.Name}': ");
        }
    }

    public IReadOnlyList<LabelFormatSpec> Formats => _specs;

    public override bool Process(LogLine entry)
    {
        int snapshot = -1;
        for (int i = 0; i < _specs.Length; i++)
        {
            var f = _specs[i];
            if (f.IsRename)
            {
                if (entry.CopyValue(f.Value, LabelCategory.Parsed, f.Name)) entry.Delete(f.Value);
                continue;
            }
            if (snapshot < 0) snapshot = entry.CollectVisible();
            if (!_templates[i]!.Execute(entry, snapshot, out string? error))
            {
                entry.SetError(PipelineErrors.TemplateFormat);
                entry.SetErrorDetails(error);
                continue;
            }
            entry.Set(LabelCategory.Parsed, f.Name, Template.Output(entry));
        }
        return true;
    }
}
