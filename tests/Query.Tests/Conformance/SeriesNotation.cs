using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// The series-description notation shared by load blocks and expected results (FORMAT.md section 3):
/// <c>name{l="v", ...} item item ...</c>, each item expanding to one or more slots. Mirrors the
/// upstream grammar (<c>ParseSeriesDesc</c>) rather than the prose where they differ, e.g. hex numbers
/// are not numbers here, so <c>0x10</c> is "0 repeated 10 more times", as upstream lexes it.
/// </summary>
internal static partial class SeriesNotation
{
    // a | a+bxn | a-bxn | axn, where a may be signed and a/b may be Inf/NaN; a may also be "stale".
    private const string Number = @"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN]";

    [GeneratedRegex($@"^(?:(?<stale>stale)|(?<a>[+-]?(?:{Number})))(?:(?<op>[+-])(?<b>{Number})x(?<n>\d+)|x(?<times>\d+))?$")]
    private static partial Regex FloatItem();

    [GeneratedRegex(@"^_(?:x(?<n>\d+))?$")]
    private static partial Regex BlankItem();

    /// <summary>Parses <c>&lt;series&gt; &lt;values&gt;</c>; throws <see cref="FormatException"/> with a short reason.</summary>
    public static (LabelSet Labels, List<Slot> Slots) ParseLine(string line)
    {
        int pos = 0;
        var labels = ParseLabels(line, ref pos);
        return (labels, ParseValues(line[pos..]));
    }

    /// <summary>
    /// The series part: <c>name</c>, <c>name{...}</c> or <c>{...}</c> (labels with equality only;
    /// a quoted string without <c>=</c> inside the braces is the metric name). Leaves
    /// <paramref name="pos"/> just after it.
    /// </summary>
    public static LabelSet ParseLabels(string s, ref int pos)
    {
        var pairs = new List<(string, string)>();
        bool braces = false;
        SkipSpace(s, ref pos);
        if (pos < s.Length && IsNameStart(s[pos]))
        {
            int start = pos;
            while (pos < s.Length && IsNameChar(s[pos])) pos++;
            pairs.Add((LabelSet.MetricName, s[start..pos]));
        }
        // "name {{...}}" is a name and a histogram value; braces only belong to the series when attached.
        if (pos < s.Length && s[pos] == '{' && !(pos + 1 < s.Length && s[pos + 1] == '{'))
        {
            pos++;
            braces = true;
            while (true)
            {
                SkipSpace(s, ref pos);
                if (pos >= s.Length) throw new FormatException("unterminated label set");
                if (s[pos] == '}')
                {
                    pos++;
                    break;
                }
                bool quotedName = s[pos] is '"' or '\'' or '`';
                string name = quotedName ? ReadQuoted(s, ref pos) : ReadName(s, ref pos);
                SkipSpace(s, ref pos);
                if (pos < s.Length && s[pos] == '=')
                {
                    pos++;
                    SkipSpace(s, ref pos);
                    if (pos >= s.Length || s[pos] is not ('"' or '\'' or '`')) throw new FormatException($"label {name}: expected a quoted value");
                    pairs.Add((name, ReadQuoted(s, ref pos)));
                }
                else if (quotedName)
                {
                    pairs.Add((LabelSet.MetricName, name));
                }
                else
                {
                    throw new FormatException($"label {name}: expected '='");
                }
                SkipSpace(s, ref pos);
                if (pos < s.Length && s[pos] == ',') pos++;
                else if (pos < s.Length && s[pos] != '}') throw new FormatException($"unexpected '{s[pos]}' in label set");
            }
        }
        if (pairs.Count == 0 && !braces) throw new FormatException("missing series name or label set");
        return LabelSet.From(pairs.ToArray());
    }

    /// <summary>Expands a space-separated value list into slots.</summary>
    public static List<Slot> ParseValues(string s)
    {
        var slots = new List<Slot>();
        int pos = 0;
        while (true)
        {
            SkipSpace(s, ref pos);
            if (pos >= s.Length) return slots;
            if (string.CompareOrdinal(s, pos, "{{", 0, 2) == 0)
            {
                ParseHistogramItem(s, ref pos, slots);
                continue;
            }
            int start = pos;
            while (pos < s.Length && !char.IsWhiteSpace(s[pos])) pos++;
            ExpandFloatItem(s[start..pos], slots);
        }
    }

    private static void ExpandFloatItem(string item, List<Slot> slots)
    {
        var blank = BlankItem().Match(item);
        if (blank.Success)
        {
            // "_xn" is exactly n empty slots (not n+1 as for values).
            int count = blank.Groups["n"].Success ? ParseCount(blank.Groups["n"].Value) : 1;
            for (int i = 0; i < count; i++) slots.Add(Slot.Empty);
            return;
        }
        var m = FloatItem().Match(item);
        if (!m.Success) throw new FormatException($"bad series value \"{item}\"");
        double a = m.Groups["stale"].Success ? FloatValues.StaleNaN : ParseSigned(m.Groups["a"].Value);
        if (m.Groups["op"].Success)
        {
            double b = ParseSigned(m.Groups["b"].Value);
            if (m.Groups["op"].Value == "-") b = -b;
            int n = ParseCount(m.Groups["n"].Value);
            // Accumulate like upstream (a += b each step) so rounding matches theirs exactly.
            for (int i = 0; i <= n; i++, a += b) slots.Add(Slot.Float(a));
        }
        else if (m.Groups["times"].Success)
        {
            int n = ParseCount(m.Groups["times"].Value);
            for (int i = 0; i <= n; i++) slots.Add(Slot.Float(a));
        }
        else
        {
            slots.Add(Slot.Float(a));
        }
    }

    /// <summary><c>{{A}}</c>, <c>{{A}}xn</c>, <c>{{A}}+{{B}}xn</c>, <c>{{A}}-{{B}}xn</c>: kept as text, one slot per sample.</summary>
    private static void ParseHistogramItem(string s, ref int pos, List<Slot> slots)
    {
        string first = ReadHistogramLiteral(s, ref pos);
        if (pos < s.Length && s[pos] is '+' or '-')
        {
            char op = s[pos++];
            if (string.CompareOrdinal(s, pos, "{{", 0, 2) != 0) throw new FormatException($"expected a histogram after '{op}'");
            string delta = ReadHistogramLiteral(s, ref pos);
            int n = ReadTimes(s, ref pos) ?? throw new FormatException("histogram sequence without 'x<count>'");
            slots.Add(Slot.Histogram(first));
            for (int i = 1; i <= n; i++) slots.Add(Slot.Histogram($"{first}{op}{i}*{delta}"));
        }
        else
        {
            int n = ReadTimes(s, ref pos) ?? 0;
            for (int i = 0; i <= n; i++) slots.Add(Slot.Histogram(first));
        }
        if (pos < s.Length && !char.IsWhiteSpace(s[pos])) throw new FormatException($"unexpected '{s[pos]}' after a histogram");
    }

    private static string ReadHistogramLiteral(string s, ref int pos)
    {
        int end = s.IndexOf("}}", pos + 2, StringComparison.Ordinal);
        if (end < 0) throw new FormatException("unterminated histogram literal");
        string text = s[pos..(end + 2)];
        pos = end + 2;
        return text;
    }

    private static int? ReadTimes(string s, ref int pos)
    {
        if (pos >= s.Length || s[pos] != 'x') return null;
        int start = ++pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos])) pos++;
        if (pos == start) throw new FormatException("'x' without a count");
        return ParseCount(s[start..pos]);
    }

    private static int ParseCount(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 1_000_000
            ? n
            : throw new FormatException($"repeat count {digits} out of range");

    private static double ParseSigned(string s)
    {
        bool neg = s[0] == '-';
        string body = s[0] is '+' or '-' ? s[1..] : s;
        double v = body.ToLowerInvariant() switch
        {
            "inf" => double.PositiveInfinity,
            "nan" => double.NaN,
            _ => double.Parse(body, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return neg ? -v : v;
    }

    /// <summary>
    /// A bare number line (a scalar result). Upstream uses <c>strconv.ParseInt(s, 0, 64)</c> and
    /// then <c>ParseFloat</c>, which is what the PromQL parser's number routine implements.
    /// </summary>
    public static bool TryParseNumber(string s, out double value)
    {
        value = 0;
        if (s.Length == 0) return false;
        bool neg = s[0] == '-';
        string body = s[0] is '+' or '-' ? s[1..] : s;
        if (body.Length == 0 || body[0] is '+' or '-') return false;
        if (GoText.ParseNumber(body, out _) is not { } v) return false;
        value = neg ? -v : v;
        return true;
    }

    /// <summary>Go's <c>strconv.Unquote</c> for the three PromQL string forms.</summary>
    public static string Unquote(string s)
    {
        int pos = 0;
        string v = ReadQuoted(s, ref pos);
        if (pos != s.Length) throw new FormatException($"trailing text after string {s}");
        return v;
    }

    private static string ReadQuoted(string s, ref int pos)
    {
        char q = s[pos++];
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= s.Length) throw new FormatException("unterminated string");
            char c = s[pos++];
            if (c == q) return sb.ToString();
            if (c != '\\' || q == '`')
            {
                sb.Append(c);
                continue;
            }
            if (pos >= s.Length) throw new FormatException("unterminated escape");
            char e = s[pos++];
            switch (e)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\' or '"' or '\'': sb.Append(e); break;
                case 'x': sb.Append((char)ReadHex(s, ref pos, 2)); break;
                case 'u': sb.Append(char.ConvertFromUtf32(ReadHex(s, ref pos, 4))); break;
                case 'U': sb.Append(char.ConvertFromUtf32(ReadHex(s, ref pos, 8))); break;
                case >= '0' and <= '7':
                    if (pos + 2 > s.Length) throw new FormatException("short octal escape");
                    sb.Append((char)Convert.ToInt32(s.Substring(pos - 1, 3), 8));
                    pos += 2;
                    break;
                default: throw new FormatException($"unknown escape \\{e}");
            }
        }
    }

    private static int ReadHex(string s, ref int pos, int digits)
    {
        if (pos + digits > s.Length) throw new FormatException("short hex escape");
        int v = int.Parse(s.AsSpan(pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        pos += digits;
        return v;
    }

    private static string ReadName(string s, ref int pos)
    {
        int start = pos;
        while (pos < s.Length && IsNameChar(s[pos])) pos++;
        if (pos == start) throw new FormatException($"expected a label name at '{s[pos]}'");
        return s[start..pos];
    }

    private static void SkipSpace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';
    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';
}
