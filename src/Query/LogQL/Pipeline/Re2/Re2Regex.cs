using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// An RE2 pattern compiled to a .NET <see cref="Regex"/> on the non-backtracking engine, so a hostile
/// pattern cannot hang a query. The pattern is parsed with <see cref="Re2Parser"/> and re-emitted with
/// explicit semantics (see there for why), every capture becomes the named group <c>gN</c> where N is
/// RE2's group number, and inline <c>(?i:…)</c> carries case folding. Thread-safe.
/// <para>
/// Known differences from Go: .NET matches UTF-16 code units (<c>.</c> sees half of a surrogate pair),
/// <c>\b</c> uses Unicode word characters, and RE2 scripts (<c>\p{Greek}</c>) map to Unicode blocks.
/// </para>
/// </summary>
internal sealed class Re2Regex
{
    private readonly string[] _groupNames;

    private Re2Regex(Regex regex, Re2Node tree, int captureCount, string source)
    {
        Regex = regex;
        Tree = tree;
        CaptureCount = captureCount;
        Source = source;
        _groupNames = new string[captureCount + 1];
        for (int i = 1; i <= captureCount; i++) _groupNames[i] = "g" + i.ToString(CultureInfo.InvariantCulture);
        SubexpNames = new string?[captureCount + 1];
        CollectNames(tree, SubexpNames);
    }

    public Regex Regex { get; }
    public Re2Node Tree { get; }
    public int CaptureCount { get; }
    public string Source { get; }

    /// <summary>Go's <c>SubexpNames</c>: index 0 is the whole match, unnamed groups are null.</summary>
    public string?[] SubexpNames { get; }

    /// <summary>The .NET group holding RE2 group <paramref name="index"/> (0 = whole match).</summary>
    public Group Group(Match m, int index) => index == 0 ? m : m.Groups[_groupNames[index]];

    /// <summary>Compiles an RE2 pattern; throws <see cref="Re2SyntaxException"/> when Go would reject it.</summary>
    public static Re2Regex Compile(string pattern, bool anchored = false)
    {
        var tree = Re2Parser.Parse(pattern, out int captures);
        return FromTree(tree, captures, pattern, anchored);
    }

    public static Re2Regex FromTree(Re2Node tree, int captures, string pattern, bool anchored)
    {
        var sb = new StringBuilder(pattern.Length * 2);
        if (anchored) sb.Append(@"\A(?:");
        Emit(tree, sb);
        if (anchored) sb.Append(@")\z");
        var regex = new Regex(sb.ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        return new Re2Regex(regex, tree, captures, pattern);
    }

    private static void CollectNames(Re2Node n, string?[] names)
    {
        if (n.Op == Re2Op.Capture) names[n.CaptureIndex] = n.Name;
        foreach (var s in n.Subs) CollectNames(s, names);
    }

    internal static void Emit(Re2Node n, StringBuilder sb)
    {
        switch (n.Op)
        {
            case Re2Op.EmptyMatch: sb.Append("(?:)"); break;
            case Re2Op.Literal:
                if (n.FoldCase) sb.Append("(?i:");
                foreach (int r in n.Runes!) AppendLiteralRune(sb, r);
                if (n.FoldCase) sb.Append(')');
                break;
            case Re2Op.CharClass: EmitClass(n, sb); break;
            case Re2Op.AnyCharNotNL: sb.Append(@"[^\n]"); break;
            case Re2Op.AnyChar: sb.Append(@"[\s\S]"); break;
            case Re2Op.BeginLine: sb.Append("(?m:^)"); break;
            case Re2Op.EndLine: sb.Append("(?m:$)"); break;
            case Re2Op.BeginText: sb.Append(@"\A"); break;
            case Re2Op.EndText: sb.Append(@"\z"); break;
            case Re2Op.WordBoundary: sb.Append(@"\b"); break;
            case Re2Op.NoWordBoundary: sb.Append(@"\B"); break;
            case Re2Op.Capture:
                sb.Append("(?<g").Append(n.CaptureIndex.ToString(CultureInfo.InvariantCulture)).Append('>');
                Emit(n.Subs[0], sb);
                sb.Append(')');
                break;
            case Re2Op.Repeat:
                sb.Append("(?:");
                Emit(n.Subs[0], sb);
                sb.Append(')');
                if (n.Min == 0 && n.Max == -1) sb.Append('*');
                else if (n.Min == 1 && n.Max == -1) sb.Append('+');
                else if (n.Min == 0 && n.Max == 1) sb.Append('?');
                else
                {
                    sb.Append('{').Append(n.Min.ToString(CultureInfo.InvariantCulture));
                    if (n.Max != n.Min)
                    {
                        sb.Append(',');
                        if (n.Max >= 0) sb.Append(n.Max.ToString(CultureInfo.InvariantCulture));
                    }
                    sb.Append('}');
                }
                if (!n.Greedy) sb.Append('?');
                break;
            case Re2Op.Concat:
                foreach (var s in n.Subs) Emit(s, sb);
                break;
            case Re2Op.Alternate:
                sb.Append("(?:");
                for (int i = 0; i < n.Subs.Count; i++)
                {
                    if (i > 0) sb.Append('|');
                    Emit(n.Subs[i], sb);
                }
                sb.Append(')');
                break;
        }
    }

    private static void AppendLiteralRune(StringBuilder sb, int r)
    {
        if (r > 0xFFFF)
        {
            sb.Append(char.ConvertFromUtf32(r));
            return;
        }
        char c = (char)r;
        if (char.IsAsciiLetterOrDigit(c) || c == '_' || c > 0x7F && !char.IsWhiteSpace(c) && !char.IsControl(c)) sb.Append(c);
        else AppendEscaped(sb, r);
    }

    private static void AppendEscaped(StringBuilder sb, int r) =>
        sb.Append(@"\u").Append(r.ToString("X4", CultureInfo.InvariantCulture));

    private static void EmitClass(Re2Node n, StringBuilder sb)
    {
        var body = new StringBuilder();
        foreach (var it in n.Items!)
        {
            if (it.Unicode != null)
            {
                body.Append(it.NegatedUnicode ? @"\P{" : @"\p{").Append(it.Unicode).Append('}');
                continue;
            }
            if (it.Lo > 0xFFFF) continue; // .NET classes cannot hold supplementary code points
            AppendEscaped(body, it.Lo);
            if (it.Hi != it.Lo)
            {
                body.Append('-');
                AppendEscaped(body, Math.Min(it.Hi, 0xFFFF));
            }
        }
        if (body.Length == 0)
        {
            // An empty class matches nothing; its negation matches any character.
            sb.Append(n.Negated ? @"[\s\S]" : @"[^\s\S]");
            return;
        }
        if (n.FoldCase) sb.Append("(?i:");
        sb.Append('[');
        if (n.Negated) sb.Append('^');
        sb.Append(body);
        sb.Append(']');
        if (n.FoldCase) sb.Append(')');
    }
}
