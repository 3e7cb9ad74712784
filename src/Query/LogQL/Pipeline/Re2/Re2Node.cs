namespace Strata.Query.LogQL.Pipeline;

/// <summary>The RE2 syntax tree (Go's <c>regexp/syntax.Regexp</c> ops that LogQL needs), with flags already applied.</summary>
internal enum Re2Op : byte
{
    EmptyMatch,
    Literal,
    CharClass,
    AnyCharNotNL,
    AnyChar,
    BeginLine,
    EndLine,
    BeginText,
    EndText,
    WordBoundary,
    NoWordBoundary,
    Capture,
    Repeat,
    Concat,
    Alternate,
}

/// <summary>One item of a character class: a code-point range, or a Unicode class such as <c>\p{Lu}</c>.</summary>
internal readonly record struct Re2ClassItem(int Lo, int Hi, string? Unicode = null, bool NegatedUnicode = false);

internal sealed class Re2Node
{
    public Re2Op Op;
    /// <summary>Literal code points (Literal).</summary>
    public List<int>? Runes;
    /// <summary>Case-insensitive literal or class ((?i)).</summary>
    public bool FoldCase;
    /// <summary>Class items (CharClass).</summary>
    public List<Re2ClassItem>? Items;
    public bool Negated;
    /// <summary>Capture index (1-based, in order of opening parenthesis) and optional name.</summary>
    public int CaptureIndex;
    public string? Name;
    /// <summary>Repeat bounds; Max = -1 means unbounded.</summary>
    public int Min;
    public int Max;
    public bool Greedy = true;
    public List<Re2Node> Subs = [];

    public static Re2Node Make(Re2Op op) => new() { Op = op };

    public bool IsStarOfAnyNotNL => Op == Re2Op.Repeat && Min == 0 && Max == -1 && Subs[0].Op == Re2Op.AnyCharNotNL;

    public bool IsPlusOfAnyNotNL => Op == Re2Op.Repeat && Min == 1 && Max == -1 && Subs[0].Op == Re2Op.AnyCharNotNL;

    public string LiteralString()
    {
        var sb = new System.Text.StringBuilder(Runes!.Count);
        foreach (int r in Runes) sb.Append(char.ConvertFromUtf32(r));
        return sb.ToString();
    }
}
