namespace Strata.Query.LogQL;

/// <summary>Range aggregations over a log range (<c>op({selector} | pipeline [range])</c>).</summary>
public enum RangeOp : byte
{
    /// <summary><c>count_over_time</c>: lines per range. No unwrap.</summary>
    CountOverTime,
    /// <summary><c>rate</c>: lines per second, or with unwrap the per-second sum of the unwrapped values.</summary>
    Rate,
    /// <summary><c>rate_counter</c>: counter rate of the unwrapped values (unwrap required).</summary>
    RateCounter,
    /// <summary><c>bytes_over_time</c>: line bytes per range. No unwrap.</summary>
    BytesOverTime,
    /// <summary><c>bytes_rate</c>: line bytes per second. No unwrap.</summary>
    BytesRate,
    AvgOverTime,
    SumOverTime,
    MinOverTime,
    MaxOverTime,
    StdvarOverTime,
    StddevOverTime,
    /// <summary><c>quantile_over_time(φ, ...)</c>; φ is <see cref="RangeAggregationExpr.Parameter"/>.</summary>
    QuantileOverTime,
    FirstOverTime,
    LastOverTime,
    /// <summary><c>absent_over_time</c>: 1 for the selector's labels when there is no line (unwrap optional).</summary>
    AbsentOverTime,
}

/// <summary>Vector aggregation operators.</summary>
public enum VectorOp : byte
{
    Sum,
    Avg,
    Count,
    Max,
    Min,
    Stddev,
    Stdvar,
    /// <summary><c>bottomk(k, ...)</c>; k is <see cref="VectorAggregationExpr.Parameter"/>.</summary>
    Bottomk,
    /// <summary><c>topk(k, ...)</c>; k is <see cref="VectorAggregationExpr.Parameter"/>.</summary>
    Topk,
    /// <summary><c>sort</c>: ascending by value; no grouping labels allowed.</summary>
    Sort,
    /// <summary><c>sort_desc</c>: descending by value; no grouping labels allowed.</summary>
    SortDesc,
    /// <summary><c>approx_topk(k, ...)</c> (Loki 3.x, probabilistic); no grouping allowed.</summary>
    ApproxTopk,
}

/// <summary>Binary operators, in LogQL's (PromQL's) precedence classes.</summary>
public enum BinaryOperator : byte
{
    Or,
    And,
    Unless,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
}

/// <summary>Matching cardinality of a vector/vector operation.</summary>
public enum MatchingCardinality : byte
{
    OneToOne,
    /// <summary><c>group_left</c>.</summary>
    ManyToOne,
    /// <summary><c>group_right</c>.</summary>
    OneToMany,
}

/// <summary>
/// <c>by (labels)</c> or <c>without (labels)</c>. <c>by ()</c> (and no clause at all on a vector
/// aggregation) aggregates everything into one series.
/// </summary>
public sealed class Grouping
{
    public bool Without { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>True for <c>by ()</c>: every series falls into one group.</summary>
    public bool IsSingleton => !Without && Labels.Count == 0;
}

/// <summary>
/// <c>op([parameter,] {selector} | pipeline [range] [offset d]) [by|without (labels)]</c>, e.g.
/// <c>count_over_time({app="x"} |= "err" [5m])</c> or
/// <c>quantile_over_time(0.99, {app="x"} | json | unwrap duration(latency) [5m]) by (pod)</c>.
/// </summary>
/// <remarks>
/// Whatever order the query used (<c>{s}[5m] | json</c>, <c>({s} | json)[5m]</c>), the pipeline is in
/// <see cref="Selector"/>. The parser has already applied Loki's rules: unwrap is present exactly for
/// the ops that need it (<c>rate</c> and <c>absent_over_time</c> work either way), the parameter only
/// for <c>quantile_over_time</c>, and grouping only for avg/min/max/stddev/stdvar/quantile/first/last.
/// </remarks>
public sealed class RangeAggregationExpr : MetricExpr
{
    public required RangeOp Op { get; init; }
    public required LogSelectorExpr Selector { get; init; }
    public required TimeSpan Range { get; init; }
    /// <summary>Shifts the range back in time (<c>offset 1h</c>); may be negative. Zero when absent.</summary>
    public TimeSpan Offset { get; init; }
    /// <summary>φ of <c>quantile_over_time</c>; null for the other ops.</summary>
    public double? Parameter { get; init; }
    /// <summary>The <c>by</c>/<c>without</c> clause written after the call, or null when there is none.</summary>
    public Grouping? Grouping { get; init; }
    public UnwrapStage? Unwrap => Selector.Unwrap;
}

/// <summary>
/// <c>op [by|without (labels)] ([k,] expr) [by|without (labels)]</c>. <see cref="Grouping"/> is never
/// null: without a clause it is <c>by ()</c>.
/// </summary>
public sealed class VectorAggregationExpr : MetricExpr
{
    public required VectorOp Op { get; init; }
    public required MetricExpr Inner { get; init; }
    public required Grouping Grouping { get; init; }
    /// <summary>k of <c>topk</c>/<c>bottomk</c>/<c>approx_topk</c> (a positive integer); null for the other ops.</summary>
    public int? Parameter { get; init; }
}

/// <summary>The <c>on</c>/<c>ignoring</c> and <c>group_left</c>/<c>group_right</c> clause of a binary operation.</summary>
public sealed class BinaryMatching
{
    public MatchingCardinality Card { get; init; }
    /// <summary>True for <c>on (...)</c>; false for <c>ignoring (...)</c> or no clause.</summary>
    public bool On { get; init; }
    public IReadOnlyList<string> MatchingLabels { get; init; } = [];
    /// <summary>Labels copied from the "one" side: <c>group_left (a, b)</c>.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];
}

/// <summary>
/// <c>lhs op [bool] [on|ignoring (labels) [group_left|group_right [(labels)]]] rhs</c>. Both sides are
/// never literals at once (the parser folds <c>1 + 2</c> into 3, as Loki does), and set operators
/// (<c>and or unless</c>) never have a literal side.
/// </summary>
public sealed class BinaryOpExpr : MetricExpr
{
    public required BinaryOperator Op { get; init; }
    public required MetricExpr Lhs { get; init; }
    public required MetricExpr Rhs { get; init; }
    /// <summary>The comparison returns 0/1 instead of filtering (<c>&gt; bool</c>).</summary>
    public bool ReturnBool { get; init; }
    public required BinaryMatching Matching { get; init; }
}

/// <summary>A scalar literal such as <c>100</c> or <c>-0.5</c>, or the folded value of a literal-only binary operation.</summary>
public sealed class LiteralExpr : MetricExpr
{
    public required double Value { get; init; }
}

/// <summary><c>vector(1)</c>: a single series without labels holding the value at every step.</summary>
public sealed class VectorExpr : MetricExpr
{
    public required double Value { get; init; }
}

/// <summary><c>label_replace(expr, "dst", "replacement", "src", "regex")</c>; the regex is Go syntax, anchored at both ends.</summary>
public sealed class LabelReplaceExpr : MetricExpr
{
    public required MetricExpr Inner { get; init; }
    public required string Destination { get; init; }
    public required string Replacement { get; init; }
    public required string Source { get; init; }
    public required string Regex { get; init; }
}

/// <summary>
/// Stands in for an operand Loki builds with an error attached (e.g. a log selector as a binary
/// operand). The parser reports the error once the query parsed; it never escapes the parser.
/// </summary>
internal sealed class InvalidMetricExpr : MetricExpr
{
}
