using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

internal static partial class TemplateFunctions
{
    // Go's deprecated strings.Title: upper-cases the first letter of each word.
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool prevSeparator = true;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            sb.Append(prevSeparator ? char.ToUpperInvariant(c) : c);
            prevSeparator = IsSeparator(c);
        }
        return sb.ToString();
    }

    private static bool IsSeparator(char c)
    {
        if (c <= 0x7F) return !(char.IsAsciiLetterOrDigit(c) || c == '_');
        if (char.IsLetterOrDigit(c)) return false;
        return char.IsWhiteSpace(c);
    }

    // Go's strings.Replace: n < 0 replaces all; an empty old inserts before every rune and at the end.
    private static string Replace(string s, string oldValue, string newValue, long n)
    {
        if (n == 0 || oldValue == newValue) return s;
        if (oldValue.Length == 0)
        {
            var sb = new StringBuilder();
            long done = 0;
            int i = 0;
            while (true)
            {
                if (n >= 0 && done >= n)
                {
                    sb.Append(s, i, s.Length - i);
                    break;
                }
                sb.Append(newValue);
                done++;
                if (i >= s.Length) break;
                int w = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
                sb.Append(s, i, w);
                i += w;
            }
            return sb.ToString();
        }
        if (n < 0) return s.Replace(oldValue, newValue, StringComparison.Ordinal);
        var result = new StringBuilder(s.Length);
        int pos = 0;
        for (long k = 0; k < n; k++)
        {
            int j = s.IndexOf(oldValue, pos, StringComparison.Ordinal);
            if (j < 0) break;
            result.Append(s, pos, j - pos).Append(newValue);
            pos = j + oldValue.Length;
        }
        result.Append(s, pos, s.Length - pos);
        return result.ToString();
    }

    private static string Trim(string s, string cutset, bool left, bool right)
    {
        if (cutset.Length == 0) return s;
        var chars = cutset.ToCharArray();
        if (left && right) return s.Trim(chars);
        return left ? s.TrimStart(chars) : s.TrimEnd(chars);
    }

    private static string TrimPrefix(string s, string prefix) =>
        prefix.Length > 0 && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;

    private static string TrimSuffix(string s, string suffix) =>
        suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;

    private static string TrimSpace(string s) => s.Trim();

    private static int[] Runes(string s)
    {
        var list = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else list.Add(s[i]);
        }
        return [.. list];
    }

    private static string FromRunes(ReadOnlySpan<int> runes)
    {
        var sb = new StringBuilder(runes.Length);
        foreach (int r in runes) sb.Append(r is >= 0xD800 and <= 0xDFFF ? ((char)r).ToString() : char.ConvertFromUtf32(r));
        return sb.ToString();
    }

    // Loki's rune-aware trunc: c >= 0 keeps the first c runes, c < 0 the last -c.
    private static string Trunc(int c, string s)
    {
        var runes = Runes(s);
        int l = runes.Length;
        if (c < 0 && l + c > 0) return FromRunes(runes.AsSpan(l + c));
        if (c >= 0 && l > c) return FromRunes(runes.AsSpan(0, c));
        return s;
    }

    // Loki's rune-aware substr(start, end, s).
    private static string Substring(int start, int end, string s)
    {
        var runes = Runes(s);
        int l = runes.Length;
        if (end > l) end = l;
        if (start > l) start = l;
        if (start < 0) return end < 0 ? "" : FromRunes(runes.AsSpan(0, end));
        if (end < 0) return FromRunes(runes.AsSpan(start));
        if (start > end) return "";
        return FromRunes(runes.AsSpan(start, end - start));
    }

    private static string Align(string src, int count, bool left)
    {
        var runes = Runes(src);
        int l = runes.Length;
        if (count < 0 || count == l) return src;
        int pad = count - l;
        if (pad > 0) return left ? src + new string(' ', pad) : new string(' ', pad) + src;
        return left ? FromRunes(runes.AsSpan(0, count)) : FromRunes(runes.AsSpan(l - count));
    }

    private static string Indent(int spaces, string v)
    {
        string pad = new(' ', Math.Max(0, spaces));
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static TemplateValue Repeat(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        long count = a[0].I;
        string s = ex.Str(a[1]);
        if (count < 0) return ex.CallError("repeat", "strings: negative Repeat count");
        if (s.Length * count > 64 << 20) return ex.CallError("repeat", "strings: Repeat output length overflow");
        var sb = new StringBuilder((int)(s.Length * count));
        for (long i = 0; i < count; i++) sb.Append(s);
        return TemplateValue.Of(sb.ToString());
    }

    private static TemplateValue B64Dec(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        string s = ex.Str(a[0]);
        try
        {
            return TemplateValue.Of(Encoding.UTF8.GetString(Convert.FromBase64String(s)));
        }
        catch (FormatException)
        {
            // sprig returns the decoder's error text as the result, not as an error.
            int bad = 0;
            while (bad < s.Length && (char.IsAsciiLetterOrDigit(s[bad]) || s[bad] is '+' or '/')) bad++;
            return TemplateValue.Of($"illegal base64 data at input byte {bad}");
        }
    }

    // Regexes in templates are usually constants: compile each pattern once per process.
    private static readonly ConcurrentDictionary<string, Re2Regex> RegexCache = new(StringComparer.Ordinal);

    private static Re2Regex? CompileCached(TemplateExecutor ex, string function, string pattern)
    {
        if (RegexCache.TryGetValue(pattern, out var re)) return re;
        try
        {
            re = Re2Regex.Compile(pattern);
        }
        catch (Re2SyntaxException e)
        {
            ex.CallError(function, e.Message);
            return null;
        }
        if (RegexCache.Count < 1024) RegexCache.TryAdd(pattern, re);
        return re;
    }

    // Go's Regexp.ReplaceAllString / ReplaceAllLiteralString, including its empty-match rules.
    private static TemplateValue RegexReplace(TemplateExecutor ex, string function, ReadOnlySpan<TemplateValue> a, bool literal)
    {
        var re = CompileCached(ex, function, ex.Str(a[0]));
        if (re == null) return TemplateValue.Nil;
        string src = ex.Str(a[1]);
        string repl = ex.Str(a[2]);
        var sb = new StringBuilder(src.Length);
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= src.Length)
        {
            var m = re.Regex.Match(src, searchPos);
            if (!m.Success) break;
            int start = m.Index, end = m.Index + m.Length;
            sb.Append(src, lastMatchEnd, start - lastMatchEnd);
            if (end > lastMatchEnd || start == 0)
            {
                if (literal) sb.Append(repl);
                else Expand(sb, repl, src, re, m);
            }
            lastMatchEnd = end;
            int width = searchPos < src.Length && char.IsHighSurrogate(src[searchPos]) ? 2 : 1;
            if (searchPos + width > end) searchPos += width;
            else if (searchPos + 1 > end) searchPos++;
            else searchPos = end;
        }
        sb.Append(src, lastMatchEnd, src.Length - lastMatchEnd);
        return TemplateValue.Of(sb.ToString());
    }

    // Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; the longest name wins ("$1x" is group "1x").
    private static void Expand(StringBuilder sb, string template, string src, Re2Regex re, System.Text.RegularExpressions.Match m)
    {
        int i = 0;
        while (i < template.Length)
        {
            int d = template.IndexOf('$', i);
            if (d < 0) break;
            sb.Append(template, i, d - i);
            i = d + 1;
            if (i < template.Length && template[i] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }
            bool brace = i < template.Length && template[i] == '{';
            int nameStart = brace ? i + 1 : i;
            int j = nameStart;
            while (j < template.Length && (char.IsLetterOrDigit(template[j]) || template[j] == '_')) j++;
            if (j == nameStart || brace && (j >= template.Length || template[j] != '}'))
            {
                sb.Append('$');
                continue;
            }
            string name = template[nameStart..j];
            i = brace ? j + 1 : j;
            int num = -1;
            if (name.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 && !(name.Length > 1 && name[0] == '0') && name.Length < 9)
                num = int.Parse(name, CultureInfo.InvariantCulture);
            if (num >= 0)
            {
                if (num <= re.CaptureCount)
                {
                    var g = re.Group(m, num);
                    if (g.Success) sb.Append(src, g.Index, g.Length);
                }
                continue;
            }
            for (int k = 1; k < re.SubexpNames.Length; k++)
            {
                if (re.SubexpNames[k] == name)
                {
                    var g = re.Group(m, k);
                    if (g.Success) sb.Append(src, g.Index, g.Length);
                    break;
                }
            }
        }
        if (i < template.Length) sb.Append(template, i, template.Length - i);
    }

    // Go's FindAllStringIndex(s, -1) count: an empty match right after a previous match is skipped.
    private static TemplateValue RegexCount(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        var re = CompileCached(ex, "count", ex.Str(a[0]));
        if (re == null) return TemplateValue.Nil;
        string s = ex.Str(a[1]);
        long count = 0;
        int pos = 0, prevMatchEnd = -1;
        while (pos <= s.Length)
        {
            var m = re.Regex.Match(s, pos);
            if (!m.Success) break;
            int end = m.Index + m.Length;
            bool accept = true;
            if (end == pos)
            {
                if (m.Index == prevMatchEnd) accept = false;
                pos += pos < s.Length && char.IsHighSurrogate(s[pos]) ? 2 : 1;
            }
            else pos = end;
            prevMatchEnd = end;
            if (accept) count++;
        }
        return TemplateValue.Of(count);
    }
}
