using Strata.Storage.Index;

namespace Strata.Query.LogQL;

/// <summary>
/// A label filter expression: leaves compare one label, <see cref="AndLabelFilter"/> and
/// <see cref="OrLabelFilter"/> combine them. <c>and</c>, <c>,</c> and plain juxtaposition
/// (<c>a="x" b="y"</c>) all mean and.
/// </summary>
/// <remarks>
/// Loki's semantics, which the evaluator has to keep: a numeric, duration or bytes leaf fails when
/// the label is missing, and when the value does not parse it passes but sets <c>__error__</c>
/// (<c>LabelFilterErr</c>) unless an error is already set; a <see cref="StringLabelFilter"/>
/// compares the empty string for a missing label, and is the only leaf that can test
/// <c>__error__</c>/<c>__error_details__</c>.
/// </remarks>
public abstract class LabelFilterExpr
{
    public int Start { get; init; }
    public int End { get; init; }
}

/// <summary>Both sides must pass (Loki evaluates both, left first).</summary>
public sealed class AndLabelFilter : LabelFilterExpr
{
    public required LabelFilterExpr Left { get; init; }
    public required LabelFilterExpr Right { get; init; }
}

/// <summary>Either side must pass (right is skipped when left passes).</summary>
public sealed class OrLabelFilter : LabelFilterExpr
{
    public required LabelFilterExpr Left { get; init; }
    public required LabelFilterExpr Right { get; init; }
}

/// <summary>Comparison of a numeric, duration or bytes label filter.</summary>
public enum LabelFilterComparison : byte
{
    /// <summary><c>=</c> or <c>==</c>.</summary>
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary><c>level="error"</c>, <c>level!=""</c>, <c>msg=~"time.*"</c>, <c>__error__!~".+"</c>: a string matcher on the label value (regexes anchored).</summary>
public sealed class StringLabelFilter : LabelFilterExpr
{
    public required LabelMatcher Matcher { get; init; }
}

/// <summary><c>status &gt;= 500</c>: the label value parsed as a float (Go <c>strconv.ParseFloat</c>).</summary>
public sealed class NumericLabelFilter : LabelFilterExpr
{
    public required string Label { get; init; }
    public required LabelFilterComparison Comparison { get; init; }
    public required double Value { get; init; }
}

/// <summary><c>latency &gt; 250ms</c>: the label value parsed as a Go duration (<see cref="GoDuration.TryParse"/>).</summary>
public sealed class DurationLabelFilter : LabelFilterExpr
{
    public required string Label { get; init; }
    public required LabelFilterComparison Comparison { get; init; }
    public required long Nanoseconds { get; init; }
}

/// <summary><c>size &gt; 20MB</c>: the label value parsed as a byte size (<see cref="HumanBytes.TryParse"/>).</summary>
public sealed class BytesLabelFilter : LabelFilterExpr
{
    public required string Label { get; init; }
    public required LabelFilterComparison Comparison { get; init; }
    public required ulong Bytes { get; init; }
}

/// <summary><c>addr=ip("10.0.0.0/8")</c> / <c>addr!=ip("...")</c>: the label value is an IP in the single address, range (<c>a-b</c>) or CIDR.</summary>
public sealed class IpLabelFilter : LabelFilterExpr
{
    public required string Label { get; init; }
    public bool Negated { get; init; }
    public required string Pattern { get; init; }
}
