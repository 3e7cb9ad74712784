using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A compiled LogQL pattern (Loki's <c>pkg/logql/log/pattern</c>): literal text and captures
/// <c>&lt;name&gt;</c> (<c>&lt;_&gt;</c> skips). Matching is anchored at the start when the pattern starts
/// with literal text, then each capture extends to the first occurrence of the next literal; a missing
/// literal makes the capture run to the end of the line, and a trailing capture takes the rest.
/// <para>
/// Literal text is kept as the pattern's UTF-8 bytes. (Loki's lexer re-encodes each byte of a
/// non-ASCII literal as a separate rune, which stops such patterns from ever matching; that is a bug
/// we do not reproduce.)
/// </para>
/// </summary>
internal sealed class PatternExpression
{
    private readonly Node[] _nodes;

    private readonly record struct Node(byte[]? Literal, string? Capture)
    {
        public bool IsCapture => Capture != null;
        public bool IsUnnamed => Capture == "_";
    }

    private PatternExpression(Node[] nodes, string[] names)
    {
        _nodes = nodes;
        Names = names;
    }

    /// <summary>Named captures in order (<c>&lt;_&gt;</c> excluded).</summary>
    public string[] Names { get; }

    /// <summary>Parses a <c>| pattern</c> expression: needs a named capture, no adjacent captures, unique names.</summary>
    public static PatternExpression ForParser(string pattern)
    {
        var nodes = Parse(pattern);
        var names = new List<string>();
        foreach (var n in nodes)
        {
            if (n.IsCapture && !n.IsUnnamed) names.Add(n.Capture!);
        }
        if (names.Count == 0) PipelineThrow.BadQuery("at least one capture is required");
        CheckConsecutive(nodes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!seen.Add(name)) PipelineThrow.BadQuery($"duplicate capture name ({name}): invalid expression");
            if (!LabelNames.IsValid(name)) PipelineThrow.BadQuery($"invalid capture label name '{name}'");
        }
        return new PatternExpression(nodes, [.. names]);
    }

    /// <summary>Parses a <c>|&gt;</c> line-filter pattern: only <c>&lt;_&gt;</c> captures, none adjacent.</summary>
    public static PatternExpression ForLineFilter(string pattern)
    {
        if (pattern.Length == 0) return new PatternExpression([], []);
        var nodes = Parse(pattern);
        CheckConsecutive(nodes);
        foreach (var n in nodes)
        {
            if (n.IsCapture && !n.IsUnnamed) PipelineThrow.BadQuery("named captures are not allowed");
        }
        return new PatternExpression(nodes, []);
    }

    private static void CheckConsecutive(Node[] nodes)
    {
        for (int i = 0; i + 1 < nodes.Length; i++)
        {
            if (nodes[i].IsCapture && nodes[i + 1].IsCapture)
                PipelineThrow.BadQuery($"found consecutive capture '<{nodes[i].Capture}><{nodes[i + 1].Capture}>': invalid expression");
        }
    }

    private static Node[] Parse(string pattern)
    {
        var src = Encoding.UTF8.GetBytes(pattern);
        var nodes = new List<Node>();
        var literal = new List<byte>();
        int i = 0;
        while (i < src.Length)
        {
            if (src[i] == '<' && TryIdentifier(src, i, out int end))
            {
                if (literal.Count > 0)
                {
                    nodes.Add(new Node([.. literal], null));
                    literal.Clear();
                }
                nodes.Add(new Node(null, Encoding.ASCII.GetString(src, i + 1, end - i - 1)));
                i = end + 1;
                continue;
            }
            literal.Add(src[i++]);
        }
        if (literal.Count > 0) nodes.Add(new Node([.. literal], null));
        return [.. nodes];
    }

    // '<' (alpha | '_') (alnum | '_')* '>'
    private static bool TryIdentifier(byte[] s, int start, out int end)
    {
        end = -1;
        int j = start + 1;
        if (j >= s.Length || !(char.IsAsciiLetter((char)s[j]) || s[j] == '_')) return false;
        j++;
        while (j < s.Length && (char.IsAsciiLetterOrDigit((char)s[j]) || s[j] == '_')) j++;
        if (j >= s.Length || s[j] != '>') return false;
        end = j;
        return true;
    }

    /// <summary>
    /// Loki's <c>Matches</c>: writes the (start, length) of each named capture found into
    /// <paramref name="captures"/> and returns how many; fewer than <see cref="Names"/> when the line ran out.
    /// </summary>
    public int Match(ReadOnlySpan<byte> line, Span<(int Start, int Length)> captures)
    {
        if (line.IsEmpty || _nodes.Length == 0) return 0;
        int count = 0;
        int pos = 0;
        int e = 0;
        if (!_nodes[0].IsCapture)
        {
            if (!line.StartsWith(_nodes[0].Literal)) return 0;
            pos = _nodes[0].Literal!.Length;
            e = 1;
        }
        if (e == _nodes.Length) return 0;
        // From here: capture, literal, capture, ... (literal)?
        while (e < _nodes.Length)
        {
            var cap = _nodes[e];
            if (e == _nodes.Length - 1)
            {
                if (!cap.IsUnnamed) captures[count++] = (pos, line.Length - pos);
                return count;
            }
            var lit = _nodes[e + 1].Literal!;
            e += 2;
            int i = line[pos..].IndexOf(lit);
            if (i < 0)
            {
                if (!cap.IsUnnamed) captures[count++] = (pos, line.Length - pos);
                return count;
            }
            if (!cap.IsUnnamed) captures[count++] = (pos, i);
            pos += i + lit.Length;
        }
        return count;
    }

    /// <summary>
    /// Loki's <c>Test</c> for <c>|&gt;</c>: the literals occur in order, a capture between literals is
    /// non-empty, and the line ends with the last literal unless the pattern ends with a capture, which
    /// must then be non-empty. The first literal is searched, not anchored, as in Loki.
    /// </summary>
    public bool Test(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || _nodes.Length == 0) return line.IsEmpty && _nodes.Length == 0;
        int off = 0;
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (_nodes[i].IsCapture) continue;
            var lit = _nodes[i].Literal!;
            int j = line[off..].IndexOf(lit);
            if (j < 0) return false;
            if (i != 0 && j == 0) return false;
            off += j + lit.Length;
        }
        bool requireRemainder = _nodes[^1].IsCapture;
        bool hasRemainder = off != line.Length;
        return requireRemainder == hasRemainder;
    }
}
