namespace Strata.Query.LogQL;

internal sealed partial class Parser
{
    /// <summary>
    /// Loki asks every query to select streams with at least one matcher that cannot match the
    /// empty string: <c>{app=~".*"}</c> or <c>{app!="x"}</c> alone would scan every stream.
    /// </summary>
    internal const string AtLeastOneMatcherRequired =
        "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will";

    /// <summary>
    /// Loki's <c>validateExpr</c>: walks the tree depth first, left operand first, and reports the
    /// first error recorded on a node while parsing, the sort grouping rule, and (with
    /// <paramref name="checkMatchers"/>) selectors that would match every stream.
    /// </summary>
    private void Validate(LogQLExpr expr, bool checkMatchers)
    {
        switch (expr)
        {
            case LogSelectorExpr s:
                if (checkMatchers) CheckMatchers(s);
                break;
            case MetricExpr m:
                ValidateMetric(m, checkMatchers);
                break;
        }
    }

    private void ValidateMetric(MetricExpr e, bool checkMatchers)
    {
        if (_deferred.TryGetValue(e, out string? error)) throw LogQLParseException.NoPosition(error);
        switch (e)
        {
            case BinaryOpExpr b:
                ValidateMetric(b.Lhs, checkMatchers);
                ValidateMetric(b.Rhs, checkMatchers);
                break;
            case VectorAggregationExpr v:
                if (v.Op is VectorOp.Sort or VectorOp.SortDesc && v.Grouping.Labels.Count > 0)
                {
                    throw LogQLParseException.NoPosition("sort and sort_desc doesn't allow grouping by ");
                }
                ValidateMetric(v.Inner, checkMatchers);
                break;
            case RangeAggregationExpr r:
                if (checkMatchers) CheckMatchers(r.Selector);
                break;
            case LabelReplaceExpr l:
                ValidateMetric(l.Inner, checkMatchers);
                break;
        }
    }

    private static void CheckMatchers(LogSelectorExpr s)
    {
        if (LogQLParser.MatchesEverything(s.Matchers)) throw LogQLParseException.NoPosition(AtLeastOneMatcherRequired);
    }
}
