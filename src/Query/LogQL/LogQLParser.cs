using System.Text;
using Strata.Storage.Index;

namespace Strata.Query.LogQL;

/// <summary>
/// Entry points of the LogQL parser (Loki 3.x grammar: stream selectors, line filters with
/// <c>or</c>, <c>ip()</c> and patterns, json/logfmt/regexp/pattern/unpack parsers, label filters,
/// line_format, label_format, drop, keep, decolorize, unwrap; range and vector aggregations,
/// binary operators with vector matching, <c>vector()</c>, <c>label_replace()</c>).
/// All methods are thread-safe (each call builds its own parser). Errors are
/// <see cref="LogQLParseException"/>s worded as Loki's.
/// </summary>
public static class LogQLParser
{
    /// <summary>Loki's maxInputSize: queries of this many UTF-8 bytes or more are rejected.</summary>
    public const int MaxQueryBytes = 5120;

    /// <summary>
    /// Parses a log or metric query as Loki's <c>syntax.ParseExpr</c>: syntax, the checks Loki makes
    /// while building the tree, and the rule that every selector needs a matcher that does not
    /// match the empty string. The result is a <see cref="LogSelectorExpr"/> or a <see cref="MetricExpr"/>.
    /// </summary>
    /// <exception cref="LogQLParseException">On any error.</exception>
    public static LogQLExpr ParseExpr(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckSize(input);
        return new Parser(input).ParseRoot(checkMatchers: true);
    }

    /// <summary>Parses a metric query (Loki's <c>ParseSampleExpr</c>); a log query is "only sample expression supported".</summary>
    /// <exception cref="LogQLParseException">On any error.</exception>
    public static MetricExpr ParseMetricExpr(string input) =>
        ParseExpr(input) as MetricExpr ?? throw LogQLParseException.Plain("only sample expression supported");

    /// <summary>
    /// Parses a log selector with optional pipeline, as Loki's <c>ParseLogSelector</c> does for the
    /// <c>query</c> parameter of the label, detected-fields and tail endpoints. With
    /// <paramref name="validate"/> false the empty-compatible matcher rule is not applied, so
    /// <c>{}</c> is accepted.
    /// </summary>
    /// <exception cref="LogQLParseException">On any error; a metric query is "only log selector is supported".</exception>
    public static LogSelectorExpr ParseSelector(string input, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckSize(input);
        var expr = new Parser(input).ParseRoot(checkMatchers: validate);
        return expr as LogSelectorExpr ?? throw LogQLParseException.Plain("only log selector is supported");
    }

    /// <summary>
    /// Parses a bare stream selector <c>{a="b", c=~"d"}</c>, as Loki's <c>ParseMatchers</c> does for
    /// <c>match[]</c> of the series endpoint.
    /// </summary>
    /// <exception cref="LogQLParseException">On any error; a pipeline or metric query is "only label matchers are supported".</exception>
    public static IReadOnlyList<LabelMatcher> ParseMatchers(string input, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckSize(input);
        var expr = new Parser(input).ParseRoot(checkMatchers: validate);
        if (expr is LogSelectorExpr { Stages.Count: 0 } s) return s.Matchers;
        throw LogQLParseException.Plain("only label matchers are supported");
    }

    /// <summary>
    /// True when every matcher accepts the empty string (or there is none), i.e. the selector would
    /// select every stream: Loki rejects such queries (<c>{app=~".*"}</c>, <c>{app!="x"}</c>, <c>{}</c>).
    /// </summary>
    public static bool MatchesEverything(IReadOnlyList<LabelMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        foreach (var m in matchers)
        {
            if (!m.MatchesEmpty) return false;
        }
        return true;
    }

    private static void CheckSize(string input)
    {
        int bytes = Encoding.UTF8.GetByteCount(input);
        if (bytes >= MaxQueryBytes) throw LogQLParseException.NoPosition($"input size too long ({bytes} > {MaxQueryBytes})");
    }
}
