namespace Strata.Query.PromQL;

/// <summary>
/// Entry points of the PromQL parser (Prometheus 3.x grammar, including the experimental parts the
/// conformance suite enables: duration arithmetic, <c>step()</c>/<c>range()</c>/<c>min_of</c>/<c>max_of</c>,
/// <c>fill</c> modifiers, <c>anchored</c>/<c>smoothed</c>, <c>limitk</c>/<c>limit_ratio</c> and the
/// experimental functions).
///
/// Grammar summary (lowest precedence first): <c>or</c>; <c>and unless</c>; <c>== != &lt; &lt;= &gt; &gt;=</c>;
/// <c>+ -</c>; <c>* / % atan2</c>; unary <c>+ -</c>; <c>^</c> (right-associative); then the postfix
/// modifiers <c>[range]</c>, <c>[range:step]</c>, <c>offset d</c>, <c>@ t</c>, <c>anchored</c>,
/// <c>smoothed</c>. An <c>offset</c> takes one operand (a signed number or duration, a parenthesised
/// duration expression, <c>step()</c>, <c>range()</c>, <c>min_of(..)</c> or <c>max_of(..)</c>), so
/// <c>x offset 5m + 1</c> is <c>(x offset 5m) + 1</c>; brackets take full duration arithmetic.
///
/// All methods are thread-safe (each call builds its own parser). Errors are
/// <see cref="ParseException"/>s with Prometheus's messages.
/// </summary>
public static class PromQLParser
{
    /// <summary>Parses and type-checks a PromQL expression.</summary>
    /// <exception cref="ParseException">On any syntax or type error.</exception>
    public static Expr ParseExpr(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Parser(input).ParseExpression();
    }

    /// <summary>
    /// Parses a series selector such as a <c>match[]</c> parameter: exactly one vector selector, no
    /// offset, <c>@</c> or range. Like Prometheus's <c>ParseMetricSelector</c> this does not run the
    /// type checks, so <c>{}</c> is accepted; the HTTP layer must reject selectors whose matchers all
    /// match the empty string ("match[] must contain at least one non-empty matcher").
    /// </summary>
    /// <exception cref="ParseException">On any syntax error, e.g. <c>1:5: parse error: unexpected &lt;offset&gt;</c>.</exception>
    public static VectorSelector ParseSelector(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Parser(input).ParseSelectorOnly();
    }
}
