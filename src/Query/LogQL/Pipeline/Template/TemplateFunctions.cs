using System.Diagnostics.CodeAnalysis;

namespace Strata.Query.LogQL.Pipeline;

/// <summary>Go parameter types as the template engine checks them (Go's <c>evalArg</c>/<c>validateType</c>).</summary>
internal enum ParamKind : byte
{
    String,
    Int,
    Float,
    Bool,
    Time,
    Any,
}

internal delegate TemplateValue TemplateFunc(TemplateExecutor ex, ReadOnlySpan<TemplateValue> args);

/// <summary>A function callable from a template: Go signature (for argument checking) and implementation.</summary>
internal sealed class TemplateFunction(string name, ParamKind[] parameters, ParamKind? variadic, TemplateFunc? impl, string? lazy = null)
{
    public string Name { get; } = name;
    public ParamKind[] Params { get; } = parameters;
    public ParamKind? Variadic { get; } = variadic;
    public TemplateFunc? Impl { get; } = impl;

    /// <summary>"and"/"or": operands are evaluated lazily by the executor.</summary>
    public string? Lazy { get; } = lazy;
}

/// <summary>
/// The functions of LogQL's <c>line_format</c>/<c>label_format</c>: Go's template builtins (<c>and or not
/// len index print printf println eq ne lt le gt ge html js urlquery</c>), Loki's own map in
/// <c>pkg/logql/log/fmt.go</c>, and the sprig functions Loki enables.
/// <para>
/// Not implemented (a query using them fails at parse time with "function not defined"): sprig's
/// <c>fromJson</c> (needs maps and slices as template values) and Go's <c>slice</c> and <c>call</c>.
/// Sprig's <c>date</c>/<c>toDate</c>/<c>now</c> use the server's local zone, which is UTC for Loki and here.
/// Go distinguishes <c>int</c> from <c>int64</c> when checking arguments; we treat them as one type,
/// so a few programs Go rejects (<c>trunc (add 1 2) .x</c>) run here.
/// </para>
/// </summary>
internal static partial class TemplateFunctions
{
    private static readonly Dictionary<string, TemplateFunction> Registry = Build();

    public static bool TryGet(string name, [NotNullWhen(true)] out TemplateFunction? fn) => Registry.TryGetValue(name, out fn);

    private const ParamKind S = ParamKind.String;
    private const ParamKind I = ParamKind.Int;
    private const ParamKind F = ParamKind.Float;
    private const ParamKind T = ParamKind.Time;
    private const ParamKind A = ParamKind.Any;

    private static Dictionary<string, TemplateFunction> Build()
    {
        var d = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal);
        void Add(string name, ParamKind[] ps, TemplateFunc f, ParamKind? variadic = null) => d[name] = new TemplateFunction(name, ps, variadic, f);

        // Go builtins.
        d["and"] = new TemplateFunction("and", [], A, null, "and");
        d["or"] = new TemplateFunction("or", [], A, null, "or");
        Add("not", [A], static (ex, a) => TemplateValue.Of(!ex.IsTrueValue(a[0])));
        Add("len", [A], Len);
        Add("index", [A], Index, A);
        Add("print", [], static (ex, a) => TemplateValue.Of(GoFormat.Sprint(ex, a)), A);
        Add("println", [], static (ex, a) => TemplateValue.Of(GoFormat.Sprintln(ex, a)), A);
        Add("printf", [S], static (ex, a) => TemplateValue.Of(GoFormat.Sprintf(ex, ex.Str(a[0]), a[1..])), A);
        Add("eq", [A], Eq, A);
        Add("ne", [A, A], static (ex, a) => Not(ex, Eq(ex, a)));
        Add("lt", [A, A], static (ex, a) => Less(ex, "lt", a[0], a[1], orEqual: false, negate: false));
        Add("le", [A, A], static (ex, a) => Less(ex, "le", a[0], a[1], orEqual: true, negate: false));
        Add("gt", [A, A], static (ex, a) => Less(ex, "gt", a[0], a[1], orEqual: true, negate: true));
        Add("ge", [A, A], static (ex, a) => Less(ex, "ge", a[0], a[1], orEqual: false, negate: true));
        Add("html", [], static (ex, a) => TemplateValue.Of(HtmlEscape(GoFormat.Sprint(ex, a))), A);
        Add("js", [], static (ex, a) => TemplateValue.Of(JsEscape(GoFormat.Sprint(ex, a))), A);
        Add("urlquery", [], static (ex, a) => TemplateValue.Of(QueryEscape(GoFormat.Sprint(ex, a))), A);

        // Loki's map.
        Add("ToLower", [S], static (ex, a) => TemplateValue.Of(ex.Str(a[0]).ToLowerInvariant()));
        Add("ToUpper", [S], static (ex, a) => TemplateValue.Of(ex.Str(a[0]).ToUpperInvariant()));
        Add("Title", [S], static (ex, a) => TemplateValue.Of(Title(ex.Str(a[0]))));
        Add("Replace", [S, S, S, I], static (ex, a) => TemplateValue.Of(Replace(ex.Str(a[0]), ex.Str(a[1]), ex.Str(a[2]), a[3].I)));
        Add("Trim", [S, S], static (ex, a) => TemplateValue.Of(Trim(ex.Str(a[0]), ex.Str(a[1]), true, true)));
        Add("TrimLeft", [S, S], static (ex, a) => TemplateValue.Of(Trim(ex.Str(a[0]), ex.Str(a[1]), true, false)));
        Add("TrimRight", [S, S], static (ex, a) => TemplateValue.Of(Trim(ex.Str(a[0]), ex.Str(a[1]), false, true)));
        Add("TrimPrefix", [S, S], static (ex, a) => TemplateValue.Of(TrimPrefix(ex.Str(a[0]), ex.Str(a[1]))));
        Add("TrimSuffix", [S, S], static (ex, a) => TemplateValue.Of(TrimSuffix(ex.Str(a[0]), ex.Str(a[1]))));
        Add("TrimSpace", [S], static (ex, a) => TemplateValue.Of(TrimSpace(ex.Str(a[0]))));
        Add("regexReplaceAll", [S, S, S], static (ex, a) => RegexReplace(ex, "regexReplaceAll", a, literal: false));
        Add("regexReplaceAllLiteral", [S, S, S], static (ex, a) => RegexReplace(ex, "regexReplaceAllLiteral", a, literal: true));
        Add("count", [S, S], RegexCount);
        Add("urldecode", [S], UrlDecode);
        Add("urlencode", [S], static (ex, a) => TemplateValue.Of(QueryEscape(ex.Str(a[0]))));
        Add("bytes", [S], static (ex, a) => ConvertBytes(ex, "bytes", a[0]));
        Add("duration", [S], static (ex, a) => ConvertDuration(ex, "duration", a[0]));
        Add("duration_seconds", [S], static (ex, a) => ConvertDuration(ex, "duration_seconds", a[0]));
        Add("unixEpochMillis", [T], static (ex, a) => TemplateValue.Of(Millis(a[0]).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Add("unixEpochNanos", [T], static (ex, a) => TemplateValue.Of(unchecked(a[0].I * 1_000_000_000 + a[0].N).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Add("toDateInZone", [S, S, S], ToDateInZone);
        Add("unixToTime", [S], UnixToTime);
        Add("alignLeft", [I, S], static (ex, a) => TemplateValue.Of(Align(ex.Str(a[1]), (int)a[0].I, left: true)));
        Add("alignRight", [I, S], static (ex, a) => TemplateValue.Of(Align(ex.Str(a[1]), (int)a[0].I, left: false)));
        Add("__line__", [], static (ex, a) => TemplateValue.Of(ex.Entry.LineString));
        Add("__timestamp__", [], static (ex, a) => GoTime.FromUnixNanos(ex.Entry.Timestamp));

        // Sprig functions enabled by Loki.
        Add("b64enc", [S], static (ex, a) => TemplateValue.Of(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ex.Str(a[0])))));
        Add("b64dec", [S], B64Dec);
        Add("lower", [S], static (ex, a) => TemplateValue.Of(ex.Str(a[0]).ToLowerInvariant()));
        Add("upper", [S], static (ex, a) => TemplateValue.Of(ex.Str(a[0]).ToUpperInvariant()));
        Add("title", [S], static (ex, a) => TemplateValue.Of(Title(ex.Str(a[0]))));
        Add("trunc", [I, S], static (ex, a) => TemplateValue.Of(Trunc((int)a[0].I, ex.Str(a[1]))));
        Add("substr", [I, I, S], static (ex, a) => TemplateValue.Of(Substring((int)a[0].I, (int)a[1].I, ex.Str(a[2]))));
        Add("contains", [S, S], static (ex, a) => TemplateValue.Of(ex.Str(a[1]).Contains(ex.Str(a[0]), StringComparison.Ordinal)));
        Add("hasPrefix", [S, S], static (ex, a) => TemplateValue.Of(ex.Str(a[1]).StartsWith(ex.Str(a[0]), StringComparison.Ordinal)));
        Add("hasSuffix", [S, S], static (ex, a) => TemplateValue.Of(ex.Str(a[1]).EndsWith(ex.Str(a[0]), StringComparison.Ordinal)));
        Add("indent", [I, S], static (ex, a) => TemplateValue.Of(Indent((int)a[0].I, ex.Str(a[1]))));
        Add("nindent", [I, S], static (ex, a) => TemplateValue.Of("\n" + Indent((int)a[0].I, ex.Str(a[1]))));
        Add("replace", [S, S, S], static (ex, a) => TemplateValue.Of(Replace(ex.Str(a[2]), ex.Str(a[0]), ex.Str(a[1]), -1)));
        Add("repeat", [I, S], Repeat);
        Add("trim", [S], static (ex, a) => TemplateValue.Of(TrimSpace(ex.Str(a[0]))));
        Add("trimAll", [S, S], static (ex, a) => TemplateValue.Of(Trim(ex.Str(a[1]), ex.Str(a[0]), true, true)));
        Add("trimSuffix", [S, S], static (ex, a) => TemplateValue.Of(TrimSuffix(ex.Str(a[1]), ex.Str(a[0]))));
        Add("trimPrefix", [S, S], static (ex, a) => TemplateValue.Of(TrimPrefix(ex.Str(a[1]), ex.Str(a[0]))));
        Add("int", [A], static (ex, a) => TemplateValue.Of(ToInt64(ex, a[0])));
        Add("float64", [A], static (ex, a) => TemplateValue.Of(ToFloat64(ex, a[0])));
        Add("add", [], Add_, A);
        Add("add1", [A], static (ex, a) => TemplateValue.Of(ToInt64(ex, a[0]) + 1));
        Add("sub", [A, A], static (ex, a) => TemplateValue.Of(ToInt64(ex, a[0]) - ToInt64(ex, a[1])));
        Add("mul", [A], Mul, A);
        Add("div", [A, A], static (ex, a) => IntDiv(ex, "div", a, modulo: false));
        Add("mod", [A, A], static (ex, a) => IntDiv(ex, "mod", a, modulo: true));
        Add("addf", [], static (ex, a) => DecimalOp(ex, "addf", TemplateValue.Of(0L), a, '+'), A);
        Add("subf", [A], static (ex, a) => DecimalOp(ex, "subf", a[0], a[1..], '-'), A);
        Add("mulf", [A], static (ex, a) => DecimalOp(ex, "mulf", a[0], a[1..], '*'), A);
        Add("divf", [A], static (ex, a) => DecimalOp(ex, "divf", a[0], a[1..], '/'), A);
        Add("max", [A], static (ex, a) => MinMax(ex, a, max: true), A);
        Add("min", [A], static (ex, a) => MinMax(ex, a, max: false), A);
        Add("maxf", [A], static (ex, a) => MinMaxF(ex, a, max: true), A);
        Add("minf", [A], static (ex, a) => MinMaxF(ex, a, max: false), A);
        Add("ceil", [A], static (ex, a) => TemplateValue.Of(Math.Ceiling(ToFloat64(ex, a[0]))));
        Add("floor", [A], static (ex, a) => TemplateValue.Of(Math.Floor(ToFloat64(ex, a[0]))));
        Add("round", [A, I], Round, F);
        Add("date", [S, A], Date);
        Add("toDate", [S, S], static (ex, a) => GoTime.TryParse(ex.Str(a[0]), ex.Str(a[1]), null, out var t) ? t : GoTime.Zero);
        Add("now", [], static (ex, a) => GoTime.Now());
        Add("unixEpoch", [T], static (ex, a) => TemplateValue.Of(a[0].I.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Add("default", [A], Default, A);
        return d;
    }
}
