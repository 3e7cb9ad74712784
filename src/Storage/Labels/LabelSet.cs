using System.Text;

namespace Strata.Storage.Labels;

/// <summary>
/// An immutable label set sorted by name with unique names and no empty values (Prometheus's
/// <c>labels.Labels</c>). Equality and ordering compare pairs in order.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>, IComparable<LabelSet>
{
    public const string MetricName = "__name__";

    private readonly Label[] _labels;
    private int _hash;

    public static readonly LabelSet Empty = new([]);

    /// <summary>Wraps <paramref name="sorted"/>, which the caller guarantees is sorted, unique and without empty values.</summary>
    public LabelSet(Label[] sorted) => _labels = sorted;

    /// <summary>Builds a set from arbitrary pairs: sorts, drops empty values; the last duplicate wins.</summary>
    public static LabelSet From(IEnumerable<Label> labels)
    {
        var list = new List<Label>();
        foreach (var l in labels)
        {
            if (l.Value.Length == 0) continue;
            int i = list.FindIndex(x => x.Name == l.Name);
            if (i >= 0) list[i] = l;
            else list.Add(l);
        }
        list.Sort(static (a, b) => Utf8Order.CompareStrings(a.Name, b.Name));
        return new LabelSet(list.ToArray());
    }

    public static LabelSet From(params (string Name, string Value)[] pairs)
    {
        var l = new Label[pairs.Length];
        for (int i = 0; i < pairs.Length; i++) l[i] = new Label(pairs[i].Name, pairs[i].Value);
        return From(l);
    }

    public int Count => _labels.Length;
    public Label this[int i] => _labels[i];
    public ReadOnlySpan<Label> AsSpan() => _labels;

    public string? Get(string name)
    {
        foreach (ref readonly var l in _labels.AsSpan())
        {
            if (string.Equals(l.Name, name, StringComparison.Ordinal)) return l.Value;
        }
        return null;
    }

    public string MetricNameOrEmpty => Get(MetricName) ?? "";

    public bool Equals(LabelSet? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._labels.Length != _labels.Length) return false;
        for (int i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Name, other._labels[i].Name, StringComparison.Ordinal) ||
                !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is LabelSet o && Equals(o);
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var h = new HashCode();
            foreach (var l in _labels)
            {
                h.Add(l.Name, StringComparer.Ordinal);
                h.Add(l.Value, StringComparer.Ordinal);
            }
            _hash = h.ToHashCode() | 1;
        }
        return _hash;
    }

    /// <summary>Prometheus's label-set order (Go string order): pairwise by name, then value; a prefix sorts first.</summary>
    public int CompareTo(LabelSet? other) => other is null ? 1 : Utf8Order.CompareLabels(this, other);

    /// <summary>Prometheus's text form: <c>name{a="b", c="d"}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        string? name = Get(MetricName);
        if (name != null) sb.Append(name);
        sb.Append('{');
        bool first = true;
        foreach (var l in _labels)
        {
            if (l.Name == MetricName) continue;
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(l.Name).Append("=\"");
            foreach (char c in l.Value)
            {
                switch (c)
                {
                    case '\\': sb.Append("\\\\"); break;
                    case '"': sb.Append("\\\""); break;
                    case '\n': sb.Append("\\n"); break;
                    default: sb.Append(c); break;
                }
            }
            sb.Append('"');
        }
        sb.Append('}');
        return sb.ToString();
    }
}
