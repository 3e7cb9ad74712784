namespace Strata.Query.LogQL.Pipeline;

internal enum ValueKind : byte
{
    /// <summary>No value (Go's invalid reflect.Value / nil interface); prints as <c>&lt;no value&gt;</c>.</summary>
    Nil,
    String,
    /// <summary>A label value still held as UTF-8 in the entry's arena: I = offset, N = length.</summary>
    Utf8,
    Int,
    Float,
    Bool,
    /// <summary>A Go time.Time: I = Unix seconds, N = nanoseconds, Ref = TimeZoneInfo (null means UTC).</summary>
    Time,
    /// <summary>The root label map (the template's dot).</summary>
    Map,
}

/// <summary>
/// A value inside template execution, without boxing: Go's <c>reflect.Value</c> reduced to the kinds
/// Loki templates produce (label values are strings; functions return ints, floats, bools and times).
/// </summary>
internal readonly struct TemplateValue
{
    public readonly ValueKind Kind;
    public readonly int N;
    public readonly long I;
    public readonly double F;
    public readonly object? Ref;

    private TemplateValue(ValueKind kind, long i = 0, double f = 0, int n = 0, object? r = null)
    {
        Kind = kind;
        I = i;
        F = f;
        N = n;
        Ref = r;
    }

    public static readonly TemplateValue Nil = default;
    public static readonly TemplateValue Root = new(ValueKind.Map);
    public static readonly TemplateValue EmptyString = new(ValueKind.String, r: "");
    public static readonly TemplateValue True = new(ValueKind.Bool, i: 1);
    public static readonly TemplateValue False = new(ValueKind.Bool, i: 0);

    public static TemplateValue Of(string s) => new(ValueKind.String, r: s);
    public static TemplateValue Of(long i) => new(ValueKind.Int, i: i);
    public static TemplateValue Of(double f) => new(ValueKind.Float, f: f);
    public static TemplateValue Of(bool b) => b ? True : False;
    public static TemplateValue Utf8(int offset, int length) => new(ValueKind.Utf8, i: offset, n: length);
    public static TemplateValue Time(long unixSeconds, int nanos, TimeZoneInfo? zone) => new(ValueKind.Time, i: unixSeconds, n: nanos, r: zone);

    public bool IsStringLike => Kind is ValueKind.String or ValueKind.Utf8;

    public string? StringRef => Ref as string;

    public TimeZoneInfo? Zone => Ref as TimeZoneInfo;

    /// <summary>Go's type name, used in error messages ("expected string; got int").</summary>
    public string TypeName => Kind switch
    {
        ValueKind.Nil => "<nil>",
        ValueKind.String or ValueKind.Utf8 => "string",
        ValueKind.Int => "int",
        ValueKind.Float => "float64",
        ValueKind.Bool => "bool",
        ValueKind.Time => "time.Time",
        _ => "map[string]string",
    };
}
