using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// A <c>| json label="expr"</c> expression (Loki's <c>jsonexpr</c>): a field, then any mix of
/// <c>.field</c>, <c>["key"]</c> and <c>[index]</c>, e.g. <c>servers[0].name</c> or <c>["a.b"].c</c>.
/// Keys are matched against the member names in the line; indexes select array elements.
/// </summary>
internal sealed class JsonPath
{
    private readonly object[] _parts; // byte[] key or int index

    private JsonPath(object[] parts, string source)
    {
        _parts = parts;
        Source = source;
    }

    public string Source { get; }

    public static JsonPath Parse(string expr)
    {
        var parts = new List<object>();
        int i = 0;
        bool first = true;
        while (true)
        {
            SkipSpace(expr, ref i);
            if (i >= expr.Length) break;
            char c = expr[i];
            if (c == '[')
            {
                i++;
                SkipSpace(expr, ref i);
                if (i < expr.Length && expr[i] == '"')
                {
                    // jsonexpr's string token runs to the next '"' or ']' and has no escapes.
                    int start = ++i;
                    while (i < expr.Length && expr[i] != '"' && expr[i] != ']') i++;
                    parts.Add(Encoding.UTF8.GetBytes(expr[start..i]));
                    if (i < expr.Length && expr[i] == '"') i++;
                }
                else if (i < expr.Length && char.IsAsciiDigit(expr[i]))
                {
                    int start = i;
                    while (i < expr.Length && char.IsAsciiDigit(expr[i])) i++;
                    if (i < expr.Length && expr[i] == '.') Fail(expr, "cannot use float as array index");
                    parts.Add(int.Parse(expr.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture));
                }
                else Fail(expr, "syntax error");
                SkipSpace(expr, ref i);
                if (i >= expr.Length || expr[i] != ']') Fail(expr, "syntax error");
                i++;
            }
            else if (c == '.' && !first)
            {
                i++;
                SkipSpace(expr, ref i);
                parts.Add(Encoding.UTF8.GetBytes(Field(expr, ref i)));
            }
            else if (first && IsFieldStart(c))
            {
                parts.Add(Encoding.UTF8.GetBytes(Field(expr, ref i)));
            }
            else Fail(expr, $"unexpected char {c}");
            first = false;
        }
        if (parts.Count == 0) Fail(expr, "syntax error");
        return new JsonPath([.. parts], expr);
    }

    private static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\n') i++;
    }

    private static bool IsFieldStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static string Field(string s, ref int i)
    {
        if (i >= s.Length || !IsFieldStart(s[i])) Fail(s, "syntax error");
        int start = i;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_')) i++;
        return s[start..i];
    }

    private static void Fail(string expr, string msg) =>
        PipelineThrow.BadQuery($"cannot parse expression [{expr}]: {msg}");

    /// <summary>
    /// Finds the value at the path. Returns false when the path does not exist (a malformed document on
    /// the way counts as missing, as in jsonparser's key search); <paramref name="error"/> is set when
    /// the addressed value itself cannot be delimited.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> data, ref byte[] keyScratch, out int start, out int length, out JsonType type, out string? error)
    {
        start = 0;
        length = data.Length;
        type = JsonType.NotExist;
        error = null;
        int baseOffset = 0;
        var cur = data;
        foreach (var part in _parts)
        {
            int s, l;
            if (part is byte[] key)
            {
                if (!FindMember(cur, key, ref keyScratch, out s, out l, out type, out error)) return false;
            }
            else if (!FindElement(cur, (int)part, out s, out l, out type, out error)) return false;
            if (error != null) return false;
            baseOffset += s;
            cur = cur.Slice(s, l);
        }
        start = baseOffset;
        length = cur.Length;
        return true;
    }

    private static bool FindMember(ReadOnlySpan<byte> obj, byte[] key, ref byte[] keyScratch, out int start, out int length, out JsonType type, out string? error)
    {
        start = length = 0;
        type = JsonType.NotExist;
        error = null;
        int off = JsonScanner.NextToken(obj);
        if (off < 0 || obj[off] != '{') return false;
        var reader = new JsonScanner.ObjectReader(obj);
        while (reader.Next(ref keyScratch, out var k, out type, out start, out length))
        {
            if (k.SequenceEqual(key)) return true;
        }
        // An error while delimiting a member value: report it only if it might be the one we want.
        if (reader.Error is JsonScanner.UnknownValueType or JsonScanner.MalformedString) error = reader.Error;
        return false;
    }

    private static bool FindElement(ReadOnlySpan<byte> arr, int index, out int start, out int length, out JsonType type, out string? error)
    {
        start = length = 0;
        type = JsonType.NotExist;
        error = null;
        int off = JsonScanner.NextToken(arr);
        if (off < 0 || arr[off] != '[') return false;
        off++;
        int n = JsonScanner.NextToken(arr[off..]);
        if (n < 0) return false;
        off += n;
        if (arr[off] == ']') return false;
        for (int i = 0; ; i++)
        {
            string? err = JsonScanner.GetValue(arr[off..], out type, out int s, out int l, out int end);
            if (err != null)
            {
                if (i == index) error = err;
                return false;
            }
            if (i == index)
            {
                start = off + s;
                length = l;
                return true;
            }
            off += end;
            n = JsonScanner.NextToken(arr[off..]);
            if (n < 0) return false;
            off += n;
            if (arr[off] == ']') return false;
            if (arr[off] != ',') return false;
            off++;
        }
    }
}
