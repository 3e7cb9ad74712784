using Strata.Query.Engine;
using Strata.Query.LogQL.Pipeline;
using Ast = Strata.Query.LogQL;

namespace Strata.Query.LogQL.Engine;

/// <summary>
/// Turns a parsed selector's pipeline (<see cref="Ast.PipelineStage"/> nodes) into runtime
/// <see cref="Stage"/>s once per query. Regexes, patterns and templates are compiled here, so a bad
/// one fails the query before any line is read.
/// </summary>
public static class LogPipelineBuilder
{
    public static Pipeline.Pipeline Build(Ast.LogSelectorExpr selector)
    {
        var stages = new List<Stage>(selector.Stages.Count);
        foreach (var s in selector.Stages)
        {
            if (s is Ast.UnwrapStage) break; // metric queries extract values; everything after unwrap is for them
            stages.Add(Build(s));
        }
        return new Pipeline.Pipeline(stages);
    }

    private static Stage Build(Ast.PipelineStage s) => s switch
    {
        Ast.LineFilterStage f => LineFilterOf(f),
        Ast.JsonParserStage { Parameters.Count: 0 } => new JsonParser(),
        Ast.JsonParserStage j => new JsonExpressionParser([.. j.Parameters.Select(p => (p.Label, p.Expression))]),
        Ast.LogfmtParserStage { Parameters.Count: 0 } l => new LogfmtParser(l.Strict, l.KeepEmpty),
        Ast.LogfmtParserStage l => new LogfmtExpressionParser([.. l.Parameters.Select(p => (p.Label, p.Expression))], l.Strict),
        Ast.RegexpParserStage r => new RegexpParser(r.Pattern),
        Ast.PatternParserStage p => new PatternParser(p.Pattern),
        Ast.UnpackStage => new UnpackParser(),
        Ast.LabelFilterStage lf => LabelFilterOf(lf.Filter),
        Ast.LineFormatStage lf => new LineFormat(lf.Template),
        Ast.LabelFormatStage lf => new LabelFormat([.. lf.Items.Select(i => i.IsRename ? LabelFormatSpec.Rename(i.Target, i.Value) : LabelFormatSpec.Template(i.Target, i.Value))]),
        Ast.DropStage d => new DropLabels([.. d.Labels.Select(Selector)]),
        Ast.KeepStage k => new KeepLabels([.. k.Labels.Select(Selector)]),
        Ast.DecolorizeStage => Decolorize.Instance,
        _ => throw new QueryException(ErrorType.BadData, $"the pipeline stage '{LogQLPrinter.Format(s).Trim()}' is not supported yet"),
    };

    private static LabelSelector Selector(Ast.LabelNameOrMatcher item) =>
        item.Matcher is { } m ? LabelSelector.ForMatcher(m.Name, m.Type, m.Value) : LabelSelector.ForName(item.Name);

    private static LineFilter LineFilterOf(Ast.LineFilterStage f)
    {
        if (f.Terms.Count == 1 && f.Terms[0].Ip) return LineFilter.Ip(f.Terms[0].Value, f.IsNegative);
        var values = new string[f.Terms.Count];
        for (int i = 0; i < values.Length; i++) values[i] = f.Terms[i].Value;
        return LineFilter.CreateAny(f.Op, values);
    }

    private static LabelFilter LabelFilterOf(Ast.LabelFilterExpr e) => e switch
    {
        Ast.AndLabelFilter a => LabelFilter.And(LabelFilterOf(a.Left), LabelFilterOf(a.Right)),
        Ast.OrLabelFilter o => LabelFilter.Or(LabelFilterOf(o.Left), LabelFilterOf(o.Right)),
        Ast.StringLabelFilter m => new Pipeline.StringLabelFilter(m.Matcher.Name, m.Matcher.Type, m.Matcher.Value),
        Ast.NumericLabelFilter n => new Pipeline.NumericLabelFilter(n.Label, Op(n.Comparison), n.Value),
        Ast.DurationLabelFilter d => new Pipeline.DurationLabelFilter(d.Label, Op(d.Comparison), d.Nanoseconds),
        Ast.BytesLabelFilter b => new Pipeline.BytesLabelFilter(b.Label, Op(b.Comparison), b.Bytes),
        Ast.IpLabelFilter ip => new Pipeline.IpLabelFilter(ip.Label, !ip.Negated, ip.Pattern),
        _ => throw new QueryException(ErrorType.BadData, "unsupported label filter"),
    };

    private static LabelFilterOp Op(Ast.LabelFilterComparison c) => c switch
    {
        Ast.LabelFilterComparison.Equal => LabelFilterOp.Equal,
        Ast.LabelFilterComparison.NotEqual => LabelFilterOp.NotEqual,
        Ast.LabelFilterComparison.Greater => LabelFilterOp.Greater,
        Ast.LabelFilterComparison.GreaterOrEqual => LabelFilterOp.GreaterOrEqual,
        Ast.LabelFilterComparison.Less => LabelFilterOp.Less,
        _ => LabelFilterOp.LessOrEqual,
    };
}
