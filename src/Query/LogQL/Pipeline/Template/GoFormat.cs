using System.Globalization;
using System.Text;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>
/// Go's <c>fmt.Sprintf</c>/<c>Sprint</c>/<c>Sprintln</c> over template values: verbs <c>%v %s %q %d %f %F %e
/// %E %g %G %t %x %X %o %b %c %U %%</c>, flags <c>+ - # 0 space</c>, width and precision (also <c>*</c>),
/// and Go's diagnostics for mismatches (<c>%!d(string=abc)</c>, <c>%!d(MISSING)</c>, <c>%!(EXTRA …)</c>).
/// </summary>
internal static class GoFormat
{
    public static string Sprintf(TemplateExecutor ex, string format, ReadOnlySpan<TemplateValue> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        int argi = 0;
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                i++;
                continue;
            }
            i++;
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            bool plus = false, minus = false, sharp = false, zero = false, space = false;
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '+': plus = true; continue;
                    case '-': minus = true; continue;
                    case '#': sharp = true; continue;
                    case '0': zero = !minus; continue;
                    case ' ': space = true; continue;
                }
                break;
            }
            int width = -1, prec = -1;
            if (i < format.Length && format[i] == '*')
            {
                i++;
                if (argi < args.Length && args[argi].Kind == ValueKind.Int)
                {
                    width = (int)args[argi++].I;
                    if (width < 0)
                    {
                        minus = true;
                        width = -width;
                    }
                }
                else
                {
                    sb.Append("%!(BADWIDTH)");
                    if (argi < args.Length) argi++;
                }
            }
            else width = Number(format, ref i);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    if (argi < args.Length && args[argi].Kind == ValueKind.Int) prec = Math.Max(0, (int)args[argi++].I);
                    else
                    {
                        sb.Append("%!(BADPREC)");
                        if (argi < args.Length) argi++;
                    }
                }
                else
                {
                    prec = Number(format, ref i);
                    if (prec < 0) prec = 0;
                }
            }
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            char verb = format[i++];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (argi >= args.Length)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var spec = new Spec(plus, minus, sharp, zero, space, width, prec);
            FormatOne(ex, sb, verb, args[argi++], spec);
        }
        if (argi < args.Length)
        {
            sb.Append("%!(EXTRA ");
            for (int k = argi; k < args.Length; k++)
            {
                if (k > argi) sb.Append(", ");
                sb.Append(args[k].TypeName).Append('=').Append(ex.Format(args[k]));
            }
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int Number(string s, ref int i)
    {
        int start = i;
        int n = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            n = Math.Min(n * 10 + (s[i] - '0'), 1_000_000);
            i++;
        }
        return i == start ? -1 : n;
    }

    private readonly record struct Spec(bool Plus, bool Minus, bool Sharp, bool Zero, bool Space, int Width, int Prec);

    private static void FormatOne(TemplateExecutor ex, StringBuilder sb, char verb, TemplateValue v, Spec spec)
    {
        string? body = null;
        bool numeric = false;
        switch (v.Kind)
        {
            case ValueKind.String or ValueKind.Utf8:
                string s = ex.Str(v);
                switch (verb)
                {
                    case 'v' or 's':
                        body = spec.Prec >= 0 ? TruncateRunes(s, spec.Prec) : s;
                        break;
                    case 'q':
                        body = GoStrconv.Quote(spec.Prec >= 0 ? TruncateRunes(s, spec.Prec) : s);
                        break;
                    case 'x' or 'X':
                        var bytes = Encoding.UTF8.GetBytes(s);
                        body = verb == 'x' ? Convert.ToHexStringLower(bytes) : Convert.ToHexString(bytes);
                        break;
                }
                break;
            case ValueKind.Int:
                numeric = true;
                body = FormatInt(v.I, verb, spec);
                break;
            case ValueKind.Float:
                numeric = true;
                body = FormatFloatVerb(v.F, verb, spec);
                break;
            case ValueKind.Bool:
                if (verb is 'v' or 't') body = v.I != 0 ? "true" : "false";
                break;
            case ValueKind.Time:
                if (verb is 'v' or 's') body = GoTime.ToGoString(v);
                else if (verb == 'q') body = GoStrconv.Quote(GoTime.ToGoString(v));
                break;
            case ValueKind.Nil:
                body = verb == 'v' ? "<nil>" : null;
                if (body == null)
                {
                    sb.Append("%!").Append(verb).Append("(<nil>)");
                    return;
                }
                break;
            default:
                if (verb is 'v' or 's') body = ex.Format(v);
                break;
        }
        if (body == null)
        {
            sb.Append("%!").Append(verb).Append('(').Append(v.TypeName).Append('=').Append(ex.Format(v)).Append(')');
            return;
        }
        Pad(sb, body, spec, numeric && spec.Zero);
    }

    private static string TruncateRunes(string s, int n)
    {
        int runes = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (runes == n) return s[..i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length) i++;
            runes++;
        }
        return s;
    }

    private static void Pad(StringBuilder sb, string body, Spec spec, bool zeroPad)
    {
        int runes = 0;
        foreach (char c in body)
        {
            if (!char.IsLowSurrogate(c)) runes++;
        }
        int pad = spec.Width - runes;
        if (pad <= 0)
        {
            sb.Append(body);
            return;
        }
        if (spec.Minus)
        {
            sb.Append(body).Append(' ', pad);
            return;
        }
        if (zeroPad)
        {
            // Zeros go after the sign.
            int signLen = body.Length > 0 && body[0] is '+' or '-' or ' ' ? 1 : 0;
            sb.Append(body, 0, signLen).Append('0', pad).Append(body, signLen, body.Length - signLen);
            return;
        }
        sb.Append(' ', pad).Append(body);
    }

    private static string? FormatInt(long v, char verb, Spec spec)
    {
        bool neg = v < 0;
        ulong u = neg ? (ulong)(-(v + 1)) + 1 : (ulong)v;
        string digits;
        string prefix = "";
        switch (verb)
        {
            case 'v' or 'd': digits = u.ToString(CultureInfo.InvariantCulture); break;
            case 'x':
                digits = u.ToString("x", CultureInfo.InvariantCulture);
                if (spec.Sharp) prefix = "0x";
                break;
            case 'X':
                digits = u.ToString("X", CultureInfo.InvariantCulture);
                if (spec.Sharp) prefix = "0X";
                break;
            case 'o':
                digits = Convert.ToString((long)u, 8);
                if (spec.Sharp) prefix = "0";
                break;
            case 'O':
                digits = Convert.ToString((long)u, 8);
                prefix = "0o";
                break;
            case 'b': digits = Convert.ToString((long)u, 2); break;
            case 'c': return char.ConvertFromUtf32(v is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? (int)v : 0xFFFD);
            case 'q': return "'" + char.ConvertFromUtf32(v is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? (int)v : 0xFFFD) + "'";
            case 'U': return "U+" + u.ToString("X4", CultureInfo.InvariantCulture);
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G': return null;
            default: return null;
        }
        if (spec.Prec >= 0 && digits.Length < spec.Prec) digits = new string('0', spec.Prec - digits.Length) + digits;
        if (spec.Prec == 0 && u == 0) digits = "";
        string sign = neg ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        return sign + prefix + digits;
    }

    private static string? FormatFloatVerb(double f, char verb, Spec spec)
    {
        char fmt;
        int prec = spec.Prec;
        switch (verb)
        {
            case 'v' or 'g': fmt = 'g'; break;
            case 'G': fmt = 'G'; break;
            case 'e' or 'E': fmt = verb; if (prec < 0) prec = 6; break;
            case 'f' or 'F': fmt = 'f'; if (prec < 0) prec = 6; break;
            default: return null;
        }
        var sb = new StringBuilder();
        GoStrconv.AppendFloat(sb, f, fmt, prec);
        string s = sb.ToString();
        if (spec.Plus && s[0] != '-' && s[0] != '+') s = "+" + s;
        else if (spec.Space && s[0] != '-' && s[0] != '+') s = " " + s;
        return s;
    }

    /// <summary>fmt.Sprint: operands separated by a space when neither side is a string.</summary>
    public static string Sprint(TemplateExecutor ex, ReadOnlySpan<TemplateValue> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Length; i++)
        {
            if (i > 0 && !args[i].IsStringLike && !args[i - 1].IsStringLike) sb.Append(' ');
            sb.Append(ex.Format(args[i]));
        }
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: operands always separated by spaces, newline appended.</summary>
    public static string Sprintln(TemplateExecutor ex, ReadOnlySpan<TemplateValue> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(ex.Format(args[i]));
        }
        return sb.Append('\n').ToString();
    }
}
