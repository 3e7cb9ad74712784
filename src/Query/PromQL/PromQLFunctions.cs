using System.Collections.Frozen;

namespace Strata.Query.PromQL;

/// <summary>
/// Every PromQL function of Prometheus 3.x (<c>promql/parser/functions.go</c>) with its argument
/// kinds and return kind. <see cref="FunctionInfo.Variadic"/> follows Prometheus: 0 = exactly
/// <c>ArgKinds.Length</c> arguments; n &gt; 0 = the last argument kind is optional and may repeat
/// up to n times; -1 = the last kind repeats without bound. Experimental functions are marked
/// (Prometheus gates them behind <c>--enable-feature=promql-experimental-functions</c>; this
/// parser always accepts them, as the conformance suite assumes).
/// </summary>
public static class PromQLFunctions
{
    private static readonly FrozenDictionary<string, FunctionInfo> Functions = new FunctionInfo[]
    {
        F("abs", [ValueKind.Vector], 0, ValueKind.Vector),
        F("absent", [ValueKind.Vector], 0, ValueKind.Vector),
        F("absent_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("acos", [ValueKind.Vector], 0, ValueKind.Vector),
        F("acosh", [ValueKind.Vector], 0, ValueKind.Vector),
        F("asin", [ValueKind.Vector], 0, ValueKind.Vector),
        F("asinh", [ValueKind.Vector], 0, ValueKind.Vector),
        F("atan", [ValueKind.Vector], 0, ValueKind.Vector),
        F("atanh", [ValueKind.Vector], 0, ValueKind.Vector),
        F("avg_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("ceil", [ValueKind.Vector], 0, ValueKind.Vector),
        F("changes", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("clamp", [ValueKind.Vector, ValueKind.Scalar, ValueKind.Scalar], 0, ValueKind.Vector),
        F("clamp_max", [ValueKind.Vector, ValueKind.Scalar], 0, ValueKind.Vector),
        F("clamp_min", [ValueKind.Vector, ValueKind.Scalar], 0, ValueKind.Vector),
        F("cos", [ValueKind.Vector], 0, ValueKind.Vector),
        F("cosh", [ValueKind.Vector], 0, ValueKind.Vector),
        F("count_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("days_in_month", [ValueKind.Vector], 1, ValueKind.Vector),
        F("day_of_month", [ValueKind.Vector], 1, ValueKind.Vector),
        F("day_of_week", [ValueKind.Vector], 1, ValueKind.Vector),
        F("day_of_year", [ValueKind.Vector], 1, ValueKind.Vector),
        F("deg", [ValueKind.Vector], 0, ValueKind.Vector),
        F("delta", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("deriv", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("double_exponential_smoothing", [ValueKind.Matrix, ValueKind.Scalar, ValueKind.Scalar], 0, ValueKind.Vector, experimental: true),
        F("end", [], 0, ValueKind.Scalar, experimental: true),
        F("exp", [ValueKind.Vector], 0, ValueKind.Vector),
        F("first_over_time", [ValueKind.Matrix], 0, ValueKind.Vector, experimental: true),
        F("floor", [ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_avg", [ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_count", [ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_fraction", [ValueKind.Scalar, ValueKind.Scalar, ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_quantile", [ValueKind.Scalar, ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_quantiles", [ValueKind.Vector, ValueKind.String, ValueKind.Scalar, ValueKind.Scalar], 9, ValueKind.Vector, experimental: true),
        F("histogram_stddev", [ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_stdvar", [ValueKind.Vector], 0, ValueKind.Vector),
        F("histogram_sum", [ValueKind.Vector], 0, ValueKind.Vector),
        F("hour", [ValueKind.Vector], 1, ValueKind.Vector),
        F("idelta", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("increase", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("info", [ValueKind.Vector, ValueKind.Vector], 1, ValueKind.Vector, experimental: true),
        F("integral", [ValueKind.Matrix, ValueKind.Scalar], 1, ValueKind.Vector, experimental: true),
        F("irate", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("label_join", [ValueKind.Vector, ValueKind.String, ValueKind.String, ValueKind.String], -1, ValueKind.Vector),
        F("label_replace", [ValueKind.Vector, ValueKind.String, ValueKind.String, ValueKind.String, ValueKind.String], 0, ValueKind.Vector),
        F("last_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("ln", [ValueKind.Vector], 0, ValueKind.Vector),
        F("log10", [ValueKind.Vector], 0, ValueKind.Vector),
        F("log2", [ValueKind.Vector], 0, ValueKind.Vector),
        F("mad_over_time", [ValueKind.Matrix], 0, ValueKind.Vector, experimental: true),
        F("max_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("min_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("max_of", [ValueKind.Scalar, ValueKind.Scalar], 0, ValueKind.Scalar, experimental: true),
        F("min_of", [ValueKind.Scalar, ValueKind.Scalar], 0, ValueKind.Scalar, experimental: true),
        F("minute", [ValueKind.Vector], 1, ValueKind.Vector),
        F("month", [ValueKind.Vector], 1, ValueKind.Vector),
        F("pi", [], 0, ValueKind.Scalar),
        F("predict_linear", [ValueKind.Matrix, ValueKind.Scalar], 0, ValueKind.Vector),
        F("present_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("quantile_over_time", [ValueKind.Scalar, ValueKind.Matrix], 0, ValueKind.Vector),
        F("rad", [ValueKind.Vector], 0, ValueKind.Vector),
        F("range", [], 0, ValueKind.Scalar, experimental: true),
        F("rate", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("resets", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("round", [ValueKind.Vector, ValueKind.Scalar], 1, ValueKind.Vector),
        F("scalar", [ValueKind.Vector], 0, ValueKind.Scalar),
        F("sgn", [ValueKind.Vector], 0, ValueKind.Vector),
        F("sin", [ValueKind.Vector], 0, ValueKind.Vector),
        F("sinh", [ValueKind.Vector], 0, ValueKind.Vector),
        F("sort", [ValueKind.Vector], 0, ValueKind.Vector),
        F("sort_by_label", [ValueKind.Vector, ValueKind.String], -1, ValueKind.Vector, experimental: true),
        F("sort_by_label_desc", [ValueKind.Vector, ValueKind.String], -1, ValueKind.Vector, experimental: true),
        F("sort_desc", [ValueKind.Vector], 0, ValueKind.Vector),
        F("sqrt", [ValueKind.Vector], 0, ValueKind.Vector),
        F("start", [], 0, ValueKind.Scalar, experimental: true),
        F("stddev_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("stdvar_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("step", [], 0, ValueKind.Scalar, experimental: true),
        F("sum_over_time", [ValueKind.Matrix], 0, ValueKind.Vector),
        F("tan", [ValueKind.Vector], 0, ValueKind.Vector),
        F("tanh", [ValueKind.Vector], 0, ValueKind.Vector),
        F("time", [], 0, ValueKind.Scalar),
        F("timestamp", [ValueKind.Vector], 0, ValueKind.Vector),
        F("ts_of_first_over_time", [ValueKind.Matrix], 0, ValueKind.Vector, experimental: true),
        F("ts_of_last_over_time", [ValueKind.Matrix], 0, ValueKind.Vector, experimental: true),
        F("ts_of_max_over_time", [ValueKind.Matrix], 0, ValueKind.Vector, experimental: true),
        F("ts_of_min_over_time", [ValueKind.Matrix], 0, ValueKind.Vector, experimental: true),
        F("vector", [ValueKind.Scalar], 0, ValueKind.Vector),
        F("year", [ValueKind.Vector], 1, ValueKind.Vector),
    }.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>All functions by name (names are case-sensitive, as in Prometheus).</summary>
    public static IReadOnlyDictionary<string, FunctionInfo> All => Functions;

    /// <summary>The function named <paramref name="name"/>, or null if PromQL has none.</summary>
    public static FunctionInfo? Lookup(string name) => Functions.GetValueOrDefault(name);

    private static FunctionInfo F(string name, ValueKind[] args, int variadic, ValueKind ret, bool experimental = false) =>
        new(name, args, variadic, ret, experimental);
}
