namespace Strata.Query.LogQL;

/// <summary>The LogQL spelling of the AST's operators, shared by the parser's messages and the printer.</summary>
internal static class Names
{
    public static string Name(this RangeOp op) => op switch
    {
        RangeOp.CountOverTime => "count_over_time",
        RangeOp.Rate => "rate",
        RangeOp.RateCounter => "rate_counter",
        RangeOp.BytesOverTime => "bytes_over_time",
        RangeOp.BytesRate => "bytes_rate",
        RangeOp.AvgOverTime => "avg_over_time",
        RangeOp.SumOverTime => "sum_over_time",
        RangeOp.MinOverTime => "min_over_time",
        RangeOp.MaxOverTime => "max_over_time",
        RangeOp.StdvarOverTime => "stdvar_over_time",
        RangeOp.StddevOverTime => "stddev_over_time",
        RangeOp.QuantileOverTime => "quantile_over_time",
        RangeOp.FirstOverTime => "first_over_time",
        RangeOp.LastOverTime => "last_over_time",
        _ => "absent_over_time",
    };

    public static string Name(this VectorOp op) => op switch
    {
        VectorOp.Sum => "sum",
        VectorOp.Avg => "avg",
        VectorOp.Count => "count",
        VectorOp.Max => "max",
        VectorOp.Min => "min",
        VectorOp.Stddev => "stddev",
        VectorOp.Stdvar => "stdvar",
        VectorOp.Bottomk => "bottomk",
        VectorOp.Topk => "topk",
        VectorOp.Sort => "sort",
        VectorOp.SortDesc => "sort_desc",
        _ => "approx_topk",
    };

    public static string Name(this BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "or",
        BinaryOperator.And => "and",
        BinaryOperator.Unless => "unless",
        BinaryOperator.Add => "+",
        BinaryOperator.Sub => "-",
        BinaryOperator.Mul => "*",
        BinaryOperator.Div => "/",
        BinaryOperator.Mod => "%",
        BinaryOperator.Pow => "^",
        BinaryOperator.Eq => "==",
        BinaryOperator.Neq => "!=",
        BinaryOperator.Gt => ">",
        BinaryOperator.Gte => ">=",
        BinaryOperator.Lt => "<",
        _ => "<=",
    };

    public static string Name(this LineFilterOp op) => op switch
    {
        LineFilterOp.Contains => "|=",
        LineFilterOp.NotContains => "!=",
        LineFilterOp.Regex => "|~",
        LineFilterOp.NotRegex => "!~",
        LineFilterOp.Pattern => "|>",
        _ => "!>",
    };

    /// <summary>Loki's <c>LabelFilterType.String()</c>: equality prints as <c>==</c> even when written <c>=</c>.</summary>
    public static string Name(this LabelFilterComparison c) => c switch
    {
        LabelFilterComparison.Equal => "==",
        LabelFilterComparison.NotEqual => "!=",
        LabelFilterComparison.Greater => ">",
        LabelFilterComparison.GreaterOrEqual => ">=",
        LabelFilterComparison.Less => "<",
        _ => "<=",
    };

    public static string Name(this UnwrapConversion c) => c switch
    {
        UnwrapConversion.Bytes => "bytes",
        UnwrapConversion.Duration => "duration",
        UnwrapConversion.DurationSeconds => "duration_seconds",
        _ => "",
    };
}
