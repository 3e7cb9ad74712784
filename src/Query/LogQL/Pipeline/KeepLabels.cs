namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// <c>| keep a, b="x"</c> (Loki's <c>KeepLabels</c>): removes every label that is not listed (or whose
/// value does not match its matcher). The error labels are never removed by <c>keep</c>.
/// </summary>
public sealed class KeepLabels(IReadOnlyList<LabelSelector> labels) : Stage
{
    private readonly LabelSelector[] _labels = [.. labels];

    public override bool Process(LogLine entry)
    {
        if (_labels.Length == 0) return true;
        int n = entry.CollectVisible();
        // Deleting does not disturb the collected snapshot, which lives in its own buffer.
        for (int i = 0; i < n; i++)
        {
            string name = entry.Visible(n)[i].Name;
            if (name is PipelineErrors.ErrorLabel or PipelineErrors.ErrorDetailsLabel or PipelineErrors.PreserveErrorLabel) continue;
            bool keep = false;
            foreach (var k in _labels)
            {
                if (k.Name != name) continue;
                if (k.Matcher == null || k.Matcher.Matches(entry.VisibleValue(i), entry))
                {
                    keep = true;
                    break;
                }
            }
            if (!keep) entry.Delete(name);
        }
        return true;
    }
}
