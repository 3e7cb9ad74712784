namespace Strata.Storage.Labels;

/// <summary>
/// Go's string order (bytewise over UTF-8, i.e. code-point order) for .NET strings. The index
/// format requires it for symbols, postings and series, and Prometheus orders label sets and API
/// results by it. It differs from
/// <see cref="StringComparer.Ordinal"/> (UTF-16 code units) only when a supplementary character
/// (a surrogate pair) meets a character in U+E000..U+FFFF.
/// </summary>
public sealed class Utf8Order : IComparer<string>, IComparer<LabelSet>
{
    public static readonly Utf8Order Instance = new();

    public static int CompareStrings(string a, string b)
    {
        int i = a.AsSpan().CommonPrefixLength(b);
        if (i == a.Length || i == b.Length) return a.Length.CompareTo(b.Length);
        return Rank(a[i]).CompareTo(Rank(b[i]));
    }

    // Surrogates (D800..DFFF) move above E000..FFFF; everything else keeps its place.
    private static int Rank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;

    /// <summary>Prometheus's <c>labels.Compare</c>: pairwise by name then value; a prefix sorts first.</summary>
    public static int CompareLabels(LabelSet a, LabelSet b)
    {
        var x = a.AsSpan();
        var y = b.AsSpan();
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
        {
            int c = CompareStrings(x[i].Name, y[i].Name);
            if (c != 0) return c;
            c = CompareStrings(x[i].Value, y[i].Value);
            if (c != 0) return c;
        }
        return x.Length.CompareTo(y.Length);
    }

    public int Compare(string? x, string? y) => CompareStrings(x!, y!);
    public int Compare(LabelSet? x, LabelSet? y) => CompareLabels(x!, y!);
}
