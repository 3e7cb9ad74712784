using Strata.Storage.Index;

namespace Strata.Query.PromQL;

/// <summary>The type an expression evaluates to (Prometheus's parser.ValueType).</summary>
public enum ValueKind : byte
{
    None,
    Scalar,
    Vector,
    Matrix,
    String,
}

/// <summary>
/// A node of the PromQL syntax tree. <see cref="Start"/> and <see cref="End"/> are character offsets
/// into the query text (end exclusive), used for error messages and annotations.
/// </summary>
public abstract class Expr
{
    public int Start { get; init; }
    public int End { get; init; }
    public abstract ValueKind Kind { get; }
}

/// <summary>A float literal: <c>1</c>, <c>0x1f</c>, <c>1e3</c>, <c>Inf</c>, <c>NaN</c>, or a duration used as a number (<c>5m</c> = 300).</summary>
public sealed class NumberLiteral(double value) : Expr
{
    public double Value { get; } = value;
    /// <summary>True when written as a duration (<c>5m</c>); the printer then formats it back as a duration.</summary>
    public bool IsDuration { get; init; }
    public override ValueKind Kind => ValueKind.Scalar;
}

/// <summary>A string literal with escapes resolved.</summary>
public sealed class StringLiteral(string value) : Expr
{
    public string Value { get; } = value;
    public override ValueKind Kind => ValueKind.String;
}

/// <summary>
/// A duration operand of a range, offset, subquery step or <c>@</c>: either a constant, or (with
/// duration arithmetic) an expression evaluated to seconds at evaluation time.
/// </summary>
/// <remarks>
/// The parser folds arithmetic without <c>step()</c>/<c>range()</c> into <see cref="Milliseconds"/>
/// (so <see cref="IsConstant"/> holds for <c>[26m+4m]</c>). A non-constant <see cref="Expression"/>
/// is built only from <see cref="NumberLiteral"/> (seconds), <see cref="ParenExpr"/>,
/// <see cref="UnaryExpr"/>, <see cref="BinaryExpr"/> (+ - * / % ^, no matching) and
/// <see cref="DurationFunction"/>; its value in seconds × 1000, truncated, is the duration.
/// Ranges and subquery steps must then be &gt; 0 ("duration must be greater than 0").
/// </remarks>
public readonly record struct DurationValue(long Milliseconds, Expr? Expression = null)
{
    public static DurationValue Zero => default;
    public bool IsConstant => Expression is null;

    /// <summary>
    /// The duration arithmetic as written when the parser folded it into <see cref="Milliseconds"/>
    /// (e.g. <c>[26m+4m]</c>, <c>offset (5)</c>); only used to print the query back as written.
    /// Null for plain literals and when <see cref="Expression"/> is set.
    /// </summary>
    public Expr? Source { get; init; }
}

/// <summary>How an <c>@</c> modifier pins evaluation time.</summary>
public enum AtKind : byte
{
    None,
    /// <summary><c>@ &lt;timestamp&gt;</c>, <see cref="VectorSelector.AtMs"/> holds milliseconds.</summary>
    Timestamp,
    /// <summary><c>@ start()</c>.</summary>
    Start,
    /// <summary><c>@ end()</c>.</summary>
    End,
}

/// <summary>
/// An instant vector selector: <c>name{matchers} offset d @ t</c>. <see cref="Matchers"/> includes the
/// <c>__name__="name"</c> matcher when a metric name is written (bare or quoted).
/// </summary>
public sealed class VectorSelector : Expr
{
    public string? Name { get; init; }
    public required IReadOnlyList<LabelMatcher> Matchers { get; init; }
    public DurationValue Offset { get; set; }
    public AtKind At { get; set; }
    public long AtMs { get; set; }
    /// <summary>The experimental <c>anchored</c> / <c>smoothed</c> range modifiers (Prometheus 3.x); None when absent.</summary>
    public string? RangeModifier { get; set; }
    public override ValueKind Kind => ValueKind.Vector;
}

/// <summary>A range vector selector <c>selector[range]</c>; offset/@ live on the inner selector.</summary>
public sealed class MatrixSelector : Expr
{
    public required VectorSelector Selector { get; init; }
    public required DurationValue Range { get; init; }
    public override ValueKind Kind => ValueKind.Matrix;
}

/// <summary><c>expr[range:step] offset d @ t</c>; a zero step means the default resolution.</summary>
public sealed class SubqueryExpr : Expr
{
    public required Expr Inner { get; init; }
    public required DurationValue Range { get; init; }
    public DurationValue Step { get; init; }
    public DurationValue Offset { get; set; }
    public AtKind At { get; set; }
    public long AtMs { get; set; }
    public override ValueKind Kind => ValueKind.Matrix;
}

/// <summary>A function call; <see cref="Function"/> describes argument and return types.</summary>
public sealed class CallExpr : Expr
{
    public required FunctionInfo Function { get; init; }
    public required IReadOnlyList<Expr> Args { get; init; }
    public override ValueKind Kind => Function.ReturnKind;
}

/// <summary>Static description of a PromQL function (name, argument kinds, variadic count, return kind).</summary>
public sealed record FunctionInfo(string Name, ValueKind[] ArgKinds, int Variadic, ValueKind ReturnKind, bool Experimental = false);

/// <summary>Aggregation operators.</summary>
public enum AggregateOp : byte
{
    Sum, Avg, Count, Min, Max, Group, Stddev, Stdvar, Topk, Bottomk, Quantile, CountValues, LimitK, LimitRatio,
}

/// <summary><c>op by|without (labels) (param, expr)</c>.</summary>
public sealed class AggregateExpr : Expr
{
    public required AggregateOp Op { get; init; }
    public required Expr Inner { get; init; }
    public Expr? Param { get; init; }
    public IReadOnlyList<string> Grouping { get; init; } = [];
    public bool Without { get; init; }
    /// <summary>True when <c>by</c>/<c>without</c> was written (even with an empty list).</summary>
    public bool HasGrouping { get; init; }
    public override ValueKind Kind => ValueKind.Vector;
}

/// <summary>Binary operators in Prometheus's precedence classes.</summary>
public enum BinaryOp : byte
{
    Add, Sub, Mul, Div, Mod, Pow, Atan2,
    Eql, Neq, Gtr, Lss, Gte, Lte,
    And, Or, Unless,
    /// <summary><c>&lt;/</c>: trims a native histogram's observations above the right-hand value (comparison precedence).</summary>
    TrimUpper,
    /// <summary><c>&gt;/</c>: trims a native histogram's observations below the right-hand value (comparison precedence).</summary>
    TrimLower,
}

/// <summary>Matching cardinality of a vector/vector operation.</summary>
public enum MatchCardinality : byte
{
    OneToOne,
    ManyToOne,  // group_left
    OneToMany,  // group_right
    ManyToMany, // set operators
}

/// <summary>The <c>on</c>/<c>ignoring</c> and <c>group_left</c>/<c>group_right</c> clause of a binary operation.</summary>
public sealed class VectorMatching
{
    public MatchCardinality Card { get; set; }
    public IReadOnlyList<string> MatchingLabels { get; set; } = [];
    /// <summary>True for <c>on(...)</c>, false for <c>ignoring(...)</c> or no clause.</summary>
    public bool On { get; set; }
    /// <summary>Extra labels copied from the "one" side (<c>group_left(a, b)</c>).</summary>
    public IReadOnlyList<string> Include { get; set; } = [];
    /// <summary>Experimental fill modifiers: value used when the left / right side has no match.</summary>
    public double? FillLeft { get; set; }
    public double? FillRight { get; set; }
}

/// <summary><c>lhs op [bool] [on|ignoring(...)] [group_left|group_right(...)] rhs</c>.</summary>
public sealed class BinaryExpr : Expr
{
    public required BinaryOp Op { get; init; }
    public required Expr Lhs { get; init; }
    public required Expr Rhs { get; init; }
    public bool ReturnBool { get; init; }
    /// <summary>Present when both sides are vectors (Prometheus sets a default one-to-one matching).</summary>
    public VectorMatching? Matching { get; init; }
    public override ValueKind Kind =>
        Lhs.Kind == ValueKind.Scalar && Rhs.Kind == ValueKind.Scalar ? ValueKind.Scalar : ValueKind.Vector;
}

/// <summary>Unary minus or plus.</summary>
public sealed class UnaryExpr : Expr
{
    public required bool Negate { get; init; }
    public required Expr Inner { get; init; }
    public override ValueKind Kind => Inner.Kind;
}

/// <summary>A parenthesised expression (kept so that printing round-trips).</summary>
public sealed class ParenExpr : Expr
{
    public required Expr Inner { get; init; }
    public override ValueKind Kind => Inner.Kind;
}

/// <summary>
/// A duration-valued function inside duration arithmetic, evaluated by the engine: <c>step()</c>
/// (query step), <c>range()</c> (end - start, 0 for instant queries), <c>min_of(a, b)</c>,
/// <c>max_of(a, b)</c>. Outside brackets and offsets these names are ordinary function calls.
/// </summary>
public sealed class DurationFunction(string name) : Expr
{
    public string Name { get; } = name;
    /// <summary>Operands of <c>min_of(a, b)</c> / <c>max_of(a, b)</c>; empty for <c>step()</c> and <c>range()</c>.</summary>
    public IReadOnlyList<Expr> Args { get; init; } = [];
    public override ValueKind Kind => ValueKind.Scalar;
}
