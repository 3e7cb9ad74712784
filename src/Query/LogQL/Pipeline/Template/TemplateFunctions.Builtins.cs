using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

internal static partial class TemplateFunctions
{
    private enum BasicKind : byte
    {
        Invalid,
        Bool,
        Int,
        Float,
        String,
    }

    private static BasicKind KindOf(TemplateValue v) => v.Kind switch
    {
        ValueKind.Bool => BasicKind.Bool,
        ValueKind.Int => BasicKind.Int,
        ValueKind.Float => BasicKind.Float,
        ValueKind.String or ValueKind.Utf8 => BasicKind.String,
        _ => BasicKind.Invalid,
    };

    private static TemplateValue Not(TemplateExecutor ex, TemplateValue b) => ex.Failed ? b : TemplateValue.Of(b.I == 0);

    // Go's eq: arg1 == arg2 || arg1 == arg3 ...; comparing values of different basic kinds is an error.
    private static TemplateValue Eq(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        if (a.Length < 2) return ex.CallError("eq", "missing argument for comparison");
        var a1 = a[0];
        var k1 = KindOf(a1);
        for (int i = 1; i < a.Length; i++)
        {
            var b = a[i];
            var k2 = KindOf(b);
            bool truth;
            if (k1 != k2)
            {
                if (a1.Kind != ValueKind.Nil && b.Kind != ValueKind.Nil) return ex.CallError("eq", "incompatible types for comparison");
                truth = false;
            }
            else
            {
                switch (k1)
                {
                    case BasicKind.Bool or BasicKind.Int: truth = a1.I == b.I; break;
                    case BasicKind.Float: truth = a1.F == b.F; break;
                    case BasicKind.String: truth = string.Equals(ex.Str(a1), ex.Str(b), StringComparison.Ordinal); break;
                    default:
                        if (a1.Kind == ValueKind.Nil || b.Kind == ValueKind.Nil) truth = a1.Kind == b.Kind;
                        else if (a1.Kind == ValueKind.Time && b.Kind == ValueKind.Time) truth = a1.I == b.I && a1.N == b.N && a1.Ref == b.Ref;
                        else return ex.CallError("eq", $"non-comparable type {ex.Format(a1)}: {a1.TypeName}");
                        break;
                }
            }
            if (truth) return TemplateValue.True;
        }
        return TemplateValue.False;
    }

    // lt/le/gt/ge via Go's lt and eq: le = lt || eq, gt = !le, ge = !lt.
    private static TemplateValue Less(TemplateExecutor ex, string name, TemplateValue x, TemplateValue y, bool orEqual, bool negate)
    {
        var k1 = KindOf(x);
        var k2 = KindOf(y);
        if (k1 == BasicKind.Invalid || k2 == BasicKind.Invalid) return ex.CallError(name, "invalid type for comparison");
        if (k1 != k2) return ex.CallError(name, "incompatible types for comparison");
        int c;
        switch (k1)
        {
            case BasicKind.Bool: return ex.CallError(name, "invalid type for comparison");
            case BasicKind.Int: c = x.I.CompareTo(y.I); break;
            case BasicKind.Float:
                bool lt = x.F < y.F, eq = x.F == y.F;
                bool r = orEqual ? lt || eq : lt;
                return TemplateValue.Of(negate ? !r : r);
            default: c = string.CompareOrdinal(ex.Str(x), ex.Str(y)); break;
        }
        bool result = orEqual ? c <= 0 : c < 0;
        return TemplateValue.Of(negate ? !result : result);
    }

    private static TemplateValue Len(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        var v = a[0];
        return v.Kind switch
        {
            ValueKind.String => TemplateValue.Of(Encoding.UTF8.GetByteCount(v.StringRef!)),
            ValueKind.Utf8 => TemplateValue.Of(v.N),
            ValueKind.Map => TemplateValue.Of(ex.LabelCount),
            _ => ex.CallError("len", $"len of type {v.TypeName}"),
        };
    }

    private static TemplateValue Index(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        var item = a[0];
        for (int i = 1; i < a.Length; i++)
        {
            var idx = a[i];
            switch (item.Kind)
            {
                case ValueKind.Map:
                    if (!idx.IsStringLike) return ex.CallError("index", $"value has type {idx.TypeName}; should be string");
                    item = ex.Lookup(ex.Str(idx));
                    break;
                case ValueKind.String or ValueKind.Utf8:
                    if (idx.Kind != ValueKind.Int) return ex.CallError("index", "cannot index slice/array with type " + idx.TypeName);
                    var bytes = Encoding.UTF8.GetBytes(ex.Str(item));
                    if (idx.I < 0 || idx.I >= bytes.Length) return ex.CallError("index", $"index out of range: {idx.I}");
                    item = TemplateValue.Of((long)bytes[idx.I]);
                    break;
                default:
                    return ex.CallError("index", $"can't index item of type {item.TypeName}");
            }
        }
        return item;
    }

    private static string HtmlEscape(string s)
    {
        if (s.AsSpan().IndexOfAny("<>&'\"\0") < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '"': sb.Append("&#34;"); break;
                case '\0': sb.Append('\uFFFD'); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    private static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '"': sb.Append("\\\""); break;
                case '<': sb.Append(@"\u003C"); break;
                case '>': sb.Append(@"\u003E"); break;
                case '&': sb.Append(@"\u0026"); break;
                case '=': sb.Append(@"\u003D"); break;
                default:
                    if (c < ' ' || char.IsControl(c)) sb.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved bytes stay, space becomes '+', the rest %XX.</summary>
    internal static string QueryEscape(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (byte b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~') sb.Append((char)b);
            else if (b == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static TemplateValue UrlDecode(TemplateExecutor ex, ReadOnlySpan<TemplateValue> a)
    {
        string s = ex.Str(a[0]);
        var bytes = new List<byte>(s.Length);
        var src = Encoding.UTF8.GetBytes(s);
        for (int i = 0; i < src.Length; i++)
        {
            byte b = src[i];
            if (b == '%')
            {
                if (i + 2 >= src.Length || !IsHex(src[i + 1]) || !IsHex(src[i + 2]))
                {
                    string bad = Encoding.UTF8.GetString(src, i, Math.Min(3, src.Length - i));
                    return ex.CallError("urldecode", $"invalid URL escape {GoStrconv.Quote(bad)}");
                }
                bytes.Add((byte)(HexVal(src[i + 1]) * 16 + HexVal(src[i + 2])));
                i += 2;
            }
            else bytes.Add(b == '+' ? (byte)' ' : b);
        }
        return TemplateValue.Of(Encoding.UTF8.GetString([.. bytes]));
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexVal(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
