using System.Globalization;
using System.Text;
using GoText = Strata.Query.PromQL.GoText;

namespace Strata.Query.LogQL;

public static partial class LogQLPrinter
{
    private const int MaxCharactersPerLine = 100;

    /// <summary>
    /// Loki's <c>syntax.Prettify</c>, the output of <c>/loki/api/v1/format_query</c>: a node whose
    /// <see cref="Format"/> text exceeds 100 bytes is split, pipelines one stage per line, call
    /// arguments and binary operands indented two spaces per level.
    /// </summary>
    /// <remarks>
    /// Where Loki's prettier changes what the query means, this one keeps the meaning instead:
    /// <list type="bullet">
    /// <item>A split binary operand that is itself a binary operation of lower precedence (or the
    /// right operand of equal precedence) is wrapped in parentheses; Loki drops them, so its output
    /// for <c>a * (b + c)</c> reads <c>a * b + c</c>.</item>
    /// <item><c>without ()</c> keeps its parentheses (Loki prints a bare <c>without</c>, which does not parse),
    /// and a range aggregation keeps <c>by ()</c> (Loki drops it, which changes the grouping).</item>
    /// <item>A split chain of line filters keeps each filter's <c>or</c> alternatives (Loki drops them).</item>
    /// <item>A negative offset keeps its sign (Loki prints nothing for it).</item>
    /// <item><c>on ()</c> and the <c>group_left</c>/<c>group_right</c> after it are kept (Loki drops them).</item>
    /// </list>
    /// </remarks>
    public static string Prettify(LogQLExpr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder(128);
        Pretty(sb, expr, 0);
        return sb.ToString();
    }

    private static bool NeedsSplit(string formatted) => Encoding.UTF8.GetByteCount(formatted) > MaxCharactersPerLine;

    private static StringBuilder Indent(StringBuilder sb, int level) => sb.Append(' ', 2 * level);

    private static void Pretty(StringBuilder sb, LogQLExpr e, int level)
    {
        string flat = Format(e);
        if (!NeedsSplit(flat) || e is LiteralExpr or VectorExpr)
        {
            Indent(sb, level).Append(flat);
            return;
        }
        switch (e)
        {
            case LogSelectorExpr s:
                PrettySelector(sb, s, s.Stages.Count, level);
                break;
            case RangeAggregationExpr r:
                Indent(sb, level).Append(r.Op.Name()).Append("(\n");
                if (r.Parameter is { } p) Indent(sb, level + 1).Append(GoText.FormatG(p)).Append(",\n");
                PrettyLogRange(sb, r, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(')');
                if (r.Grouping is { } g) PrettyGrouping(sb, g, keepEmptyBy: true);
                break;
            case VectorAggregationExpr v:
                Indent(sb, level).Append(v.Op.Name());
                PrettyGrouping(sb, v.Grouping, keepEmptyBy: false);
                sb.Append("(\n");
                if (v.Parameter is { } k) Indent(sb, level + 1).Append(k.ToString(CultureInfo.InvariantCulture)).Append(",\n");
                Pretty(sb, v.Inner, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(')');
                break;
            case BinaryOpExpr b:
                PrettyOperand(sb, b, b.Lhs, isRight: false, level + 1);
                sb.Append('\n');
                Indent(sb, level).Append(PrettyBinaryOp(b)).Append('\n');
                PrettyOperand(sb, b, b.Rhs, isRight: true, level + 1);
                break;
            case LabelReplaceExpr lr:
                Indent(sb, level).Append("label_replace(\n");
                Pretty(sb, lr.Inner, level + 1);
                foreach (string arg in (ReadOnlySpan<string>)[lr.Destination, lr.Replacement, lr.Source, lr.Regex])
                {
                    sb.Append(",\n");
                    Indent(sb, level + 1).Append(GoText.Quote(arg));
                }
                sb.Append('\n');
                Indent(sb, level).Append(')');
                break;
            default:
                Indent(sb, level).Append(flat);
                break;
        }
    }

    private static int Precedence(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => 1,
        BinaryOperator.And or BinaryOperator.Unless => 2,
        BinaryOperator.Eq or BinaryOperator.Neq or BinaryOperator.Gt or BinaryOperator.Gte or BinaryOperator.Lt or BinaryOperator.Lte => 3,
        BinaryOperator.Add or BinaryOperator.Sub => 4,
        BinaryOperator.Mul or BinaryOperator.Div or BinaryOperator.Mod => 5,
        _ => 6,
    };

    private static void PrettyOperand(StringBuilder sb, BinaryOpExpr parent, MetricExpr operand, bool isRight, int level)
    {
        bool needsParens = operand is BinaryOpExpr child && NeedsSplit(Format(child)) && (
            Precedence(child.Op) < Precedence(parent.Op)
            || (Precedence(child.Op) == Precedence(parent.Op) && (isRight ^ (parent.Op == BinaryOperator.Pow))));
        if (!needsParens)
        {
            Pretty(sb, operand, level);
            return;
        }
        Indent(sb, level).Append("(\n");
        Pretty(sb, operand, level + 1);
        sb.Append('\n');
        Indent(sb, level).Append(')');
    }

    // Loki's formatBinaryOp: unlike String(), lists are joined with ", ". Loki prints the matching
    // only when it has labels, losing `on ()` and its group_*; it is kept here as String() keeps it.
    private static string PrettyBinaryOp(BinaryOpExpr b)
    {
        var sb = new StringBuilder(b.Op.Name());
        if (b.ReturnBool) sb.Append(" bool");
        var m = b.Matching;
        string group = m.Card switch
        {
            MatchingCardinality.ManyToOne => "group_left",
            MatchingCardinality.OneToMany => "group_right",
            _ => "",
        };
        if (m.Include.Count > 0) group = $"{group} ({string.Join(", ", m.Include)})";
        if (m.On || m.MatchingLabels.Count > 0)
        {
            sb.Append(m.On ? " on (" : " ignoring (").AppendJoin(", ", m.MatchingLabels).Append(") ").Append(group);
        }
        return sb.ToString();
    }

    private static void PrettyGrouping(StringBuilder sb, Grouping g, bool keepEmptyBy)
    {
        if (g.Labels.Count == 0)
        {
            if (g.Without) sb.Append(" without ()");
            else if (keepEmptyBy) sb.Append(" by ()");
            return;
        }
        sb.Append(g.Without ? " without (" : " by (").AppendJoin(", ", g.Labels).Append(')');
    }

    // Loki's PipelineExpr.Pretty over the first `count` stages: the selector, then one stage per
    // line one level deeper. Consecutive line filters are one stage in Loki's tree and stay on one
    // line unless that line is too long.
    private static void PrettySelector(StringBuilder sb, LogSelectorExpr s, int count, int level)
    {
        var flat = new StringBuilder();
        WriteSelector(flat, s, count);
        if (count == 0 || !NeedsSplit(flat.ToString()))
        {
            Indent(sb, level).Append(flat);
            return;
        }
        Indent(sb, level);
        WriteMatchers(sb, s.Matchers);
        int i = 0;
        while (i < count)
        {
            sb.Append('\n');
            if (s.Stages[i] is LineFilterStage)
            {
                int j = i;
                while (j < count && s.Stages[j] is LineFilterStage) j++;
                PrettyLineFilters(sb, s.Stages, i, j, level + 1);
                i = j;
                continue;
            }
            // Loki's DecolorizeExpr.Pretty forgets the indentation.
            if (s.Stages[i] is not DecolorizeStage) Indent(sb, level + 1);
            WriteStage(sb, s.Stages[i]);
            i++;
        }
    }

    // Line filters [from, to): on one line if it fits, else the prefix (recursively) and the last
    // filter on its own line.
    private static void PrettyLineFilters(StringBuilder sb, IReadOnlyList<PipelineStage> stages, int from, int to, int level)
    {
        var flat = new StringBuilder();
        for (int i = from; i < to; i++)
        {
            if (i > from) flat.Append(' ');
            WriteStage(flat, stages[i]);
        }
        if (to - from == 1 || !NeedsSplit(flat.ToString()))
        {
            Indent(sb, level).Append(flat);
            return;
        }
        PrettyLineFilters(sb, stages, from, to - 1, level);
        sb.Append('\n');
        Indent(sb, level);
        WriteStage(sb, stages[to - 1]);
    }

    // Loki's LogRange.Pretty: the selector without the unwrap, the unwrap and its filters on their
    // own lines one level deeper, then " [range]" and the offset.
    private static void PrettyLogRange(StringBuilder sb, RangeAggregationExpr r, int level)
    {
        var stages = r.Selector.Stages;
        int unwrapAt = stages.Count;
        for (int i = 0; i < stages.Count; i++)
        {
            if (stages[i] is UnwrapStage)
            {
                unwrapAt = i;
                break;
            }
        }
        PrettySelector(sb, r.Selector, unwrapAt, level);
        if (unwrapAt < stages.Count)
        {
            sb.Append('\n');
            Indent(sb, level + 1);
            WriteStage(sb, stages[unwrapAt]);
            for (int i = unwrapAt + 1; i < stages.Count; i++)
            {
                sb.Append('\n');
                Indent(sb, level + 1);
                WriteStage(sb, stages[i]);
            }
        }
        WriteRangeAndOffset(sb, r, pretty: true);
    }
}
