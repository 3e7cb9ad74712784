using Strata.Storage.Labels;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>The labels of an entry split by origin, as Loki's categorize-labels response returns them.</summary>
public sealed record CategorizedLabels(Label[] Stream, Label[] StructuredMetadata, Label[] Parsed);

public sealed partial class LogLine
{
    private Slot[] _visible = new Slot[32];

    /// <summary>
    /// True when no stage added, changed or removed a label and no error is set: the result labels are
    /// exactly <see cref="Stream"/> (Loki's cached fast path), so callers can reuse their series.
    /// </summary>
    public bool IsUnchanged => !HasAdds && !HasDeletes && !HasError && string.IsNullOrEmpty(_errorDetails);

    /// <summary>
    /// The result labels in Go string order: stream labels not deleted or shadowed (a stream-category
    /// set only replaces the value of an existing stream label), then metadata not shadowed by parsed
    /// labels, then parsed labels, then <c>__error__</c> and <c>__error_details__</c> when set. Empty
    /// values are kept, as Loki keeps them.
    /// </summary>
    public Label[] GetLabels()
    {
        int n = CollectVisible();
        var result = new Label[n];
        for (int i = 0; i < n; i++) result[i] = new Label(_visible[i].Name, StringOfVisible(ref _visible[i]));
        Array.Sort(result, static (a, b) => Utf8Order.CompareStrings(a.Name, b.Name));
        return result;
    }

    /// <summary>The result labels grouped by category; error labels count as parsed (as in Loki).</summary>
    public CategorizedLabels GetCategorizedLabels()
    {
        var all = GetLabels();
        var stream = new List<Label>(all.Length);
        var meta = new List<Label>();
        var parsed = new List<Label>();
        foreach (var l in all)
        {
            if (l.Name is PipelineErrors.ErrorLabel or PipelineErrors.ErrorDetailsLabel || IndexIn(LabelCategory.Parsed, l.Name) >= 0)
                parsed.Add(l);
            else if (IndexIn(LabelCategory.StructuredMetadata, l.Name) >= 0) meta.Add(l);
            else stream.Add(l);
        }
        return new CategorizedLabels(stream.ToArray(), meta.ToArray(), parsed.ToArray());
    }

    private string StringOfVisible(ref Slot s)
    {
        if (s.Value != null) return s.Value;
        // Materialise through the owning slot so later readers of the same entry share the string.
        for (int c = 0; c < 3; c++)
        {
            int i = IndexIn((LabelCategory)c, s.Name);
            if (i >= 0 && _add[c][i].Value == null && _add[c][i].Offset == s.Offset) return StringOf(ref _add[c][i]);
        }
        return s.Value = System.Text.Encoding.UTF8.GetString(_arena, s.Offset, s.Length);
    }

    /// <summary>
    /// Fills <see cref="_visible"/> with the unsorted result labels (Loki's <c>UnsortedLabels</c>) and
    /// returns their count. Templates read their label map from here.
    /// </summary>
    internal int CollectVisible()
    {
        int n = 0;
        var stream = Stream.AsSpan();
        if (!HasAdds && !HasDeletes)
        {
            foreach (ref readonly var l in stream) AddVisible(ref n, l.Name, l.Value);
        }
        else
        {
            foreach (ref readonly var l in stream)
            {
                if (IsDeleted(l.Name)) continue;
                if (IndexIn(LabelCategory.StructuredMetadata, l.Name) >= 0 || IndexIn(LabelCategory.Parsed, l.Name) >= 0) continue;
                int si = IndexIn(LabelCategory.Stream, l.Name);
                if (si >= 0) AddVisibleSlot(ref n, _add[0][si]);
                else AddVisible(ref n, l.Name, l.Value);
            }
            var meta = _add[1];
            for (int i = 0; i < _addCount[1]; i++)
            {
                if (IndexIn(LabelCategory.Parsed, meta[i].Name) >= 0) continue;
                AddVisibleSlot(ref n, meta[i]);
            }
            var parsed = _add[2];
            for (int i = 0; i < _addCount[2]; i++) AddVisibleSlot(ref n, parsed[i]);
        }
        if (!string.IsNullOrEmpty(_error)) AddVisible(ref n, PipelineErrors.ErrorLabel, _error);
        if (!string.IsNullOrEmpty(_errorDetails)) AddVisible(ref n, PipelineErrors.ErrorDetailsLabel, _errorDetails);
        return n;
    }

    internal ReadOnlySpan<Slot> Visible(int count) => _visible.AsSpan(0, count);

    internal LabelValue VisibleValue(int index) => ValueOf(_visible[index]);

    internal string VisibleString(int index) => StringOfVisible(ref _visible[index]);

    private void AddVisible(ref int n, string name, string value)
    {
        if (n == _visible.Length) Array.Resize(ref _visible, n * 2);
        _visible[n++] = new Slot { Name = name, Value = value };
    }

    private void AddVisibleSlot(ref int n, in Slot s)
    {
        if (n == _visible.Length) Array.Resize(ref _visible, n * 2);
        _visible[n++] = s;
    }
}
