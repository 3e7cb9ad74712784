using Strata.Storage.Index;

namespace Strata.Query.LogQL;

/// <summary>
/// A node of a LogQL syntax tree. <see cref="Start"/> and <see cref="End"/> are character offsets
/// into the query text (end exclusive). The tree is immutable once the parser returns it.
/// A query's root is either a <see cref="LogSelectorExpr"/> (a log query, answered with log lines)
/// or a <see cref="MetricExpr"/> (a metric query, answered with samples).
/// </summary>
public abstract class LogQLExpr
{
    public int Start { get; init; }
    public int End { get; init; }
}

/// <summary>
/// A stream selector and its pipeline: <c>{app="api", env=~"prod|dev"} |= "error" | json | level="error"</c>.
/// </summary>
/// <remarks>
/// <para><see cref="Matchers"/> are in query order (Loki does not sort them). Loki requires at least one
/// matcher that does not match the empty string (<see cref="LogQLParser.MatchesEverything"/>);
/// <see cref="LogQLParser.ParseExpr"/> checks it, the unvalidated entry points do not.</para>
/// <para><see cref="Stages"/> run left to right on each line. Inside a <see cref="RangeAggregationExpr"/>
/// the list may end with an <see cref="UnwrapStage"/> followed only by <see cref="LabelFilterStage"/>s
/// (Loki's post-unwrap filters, e.g. <c>| unwrap latency | __error__=""</c>), which apply after the
/// unwrapped value was converted, so they see conversion errors in <c>__error__</c>. A log query
/// (a root <see cref="LogSelectorExpr"/>) never contains an unwrap.</para>
/// </remarks>
public sealed class LogSelectorExpr : LogQLExpr
{
    public required IReadOnlyList<LabelMatcher> Matchers { get; init; }
    public IReadOnlyList<PipelineStage> Stages { get; init; } = [];

    /// <summary>The unwrap stage of a metric query's selector, or null.</summary>
    public UnwrapStage? Unwrap
    {
        get
        {
            foreach (var s in Stages)
            {
                if (s is UnwrapStage u) return u;
            }
            return null;
        }
    }
}

/// <summary>A query that yields samples: aggregations, binary operations, literals, <c>vector()</c>, <c>label_replace()</c>.</summary>
public abstract class MetricExpr : LogQLExpr
{
}
