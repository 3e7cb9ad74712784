namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| drop a, b="x", __error__</c> (Loki's <c>DropLabels</c>): removes the named labels, or the matched
/// ones when a matcher is given (a missing label is matched as the empty string).
/// <c>__error__</c> and <c>__error_details__</c> clear the error fields.
/// </summary>
public sealed class DropLabels(IReadOnlyList<LabelSelector> labels) : Stage
{
    private readonly LabelSelector[] _labels = [.. labels];

    public override bool Process(LogLine entry)
    {
        foreach (var d in _labels)
        {
            string name = d.Name;
            if (d.Matcher is { } m)
            {
                if (name == PipelineErrors.ErrorLabel)
                {
                    if (m.Matches(new LabelValue(entry.Error ?? ""), entry)) entry.ResetError();
                }
                else if (name == PipelineErrors.ErrorDetailsLabel)
                {
                    if (m.Matches(new LabelValue(entry.ErrorDetails ?? ""), entry)) entry.ResetErrorDetails();
                }
                else
                {
                    bool matched = entry.TryGetValue(name, out var v) ? m.Matches(v, entry) : m.Matches(new LabelValue(""), entry);
                    if (matched) entry.Delete(name);
                }
                continue;
            }
            if (name == PipelineErrors.ErrorLabel) entry.ResetError();
            else if (name == PipelineErrors.ErrorDetailsLabel) entry.ResetErrorDetails();
            else if (entry.Has(name)) entry.Delete(name);
        }
        return true;
    }
}
