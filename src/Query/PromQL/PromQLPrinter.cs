using System.Text;
using Strata.Storage.Index;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Query.PromQL;

/// <summary>
/// Prints an expression the way Prometheus does. <see cref="Format"/> is the canonical single-line
/// form (<c>Expr.String()</c>): <c>sum by (job) (rate(foo{a="b"}[5m] offset 1m))</c>.
/// <see cref="Prettify"/> is <c>/api/v1/format_query</c>'s output (<c>parser.Prettify</c>): the same
/// text, but any node longer than 100 bytes is split over indented lines.
/// Rules: matchers sorted and comma-joined without spaces, values Go-quoted; the <c>__name__</c>
/// matcher is folded into the metric name; durations as <c>1h30m</c>; <c>@</c> timestamps with
/// three decimals; numbers in shortest form without exponent; <c>on</c>/<c>ignoring</c>/<c>group_*</c>
/// lists as <c>on (a, b)</c>; label names that are not <c>[a-zA-Z_][a-zA-Z0-9_]*</c> are quoted.
/// Parsing the output yields an equivalent expression.
/// </summary>
public static class PromQLPrinter
{
    /// <summary>Formats <paramref name="expr"/> on one line.</summary>
    public static string Format(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder(64);
        Write(sb, expr);
        return sb.ToString();
    }

    /// <summary>
    /// Multi-line form used by <c>/api/v1/format_query</c>: a node whose single-line form exceeds
    /// 100 bytes is broken up (aggregation/call arguments and parenthesised bodies on their own
    /// lines, binary operands around the operator line), indenting two spaces per level. Like
    /// Prometheus, a short subquery under a split parent is not indented.
    /// </summary>
    public static string Prettify(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder(128);
        Pretty(sb, expr, 0);
        return sb.ToString();
    }

    private const int MaxCharactersPerLine = 100;

    private static bool NeedsSplit(Expr e) => Encoding.UTF8.GetByteCount(Format(e)) > MaxCharactersPerLine;

    private static void Indent(StringBuilder sb, int level) => sb.Append(' ', 2 * level);

    private static void Pretty(StringBuilder sb, Expr e, int level)
    {
        if (e is SubqueryExpr sq)
        {
            if (!NeedsSplit(sq))
            {
                Write(sb, sq);
                return;
            }
            Pretty(sb, sq.Inner, level);
            WriteSubquerySuffix(sb, sq);
            return;
        }
        if (e is UnaryExpr u)
        {
            Indent(sb, level);
            sb.Append(u.Negate ? '-' : '+');
            var child = new StringBuilder();
            Pretty(child, u.Inner, level);
            sb.Append(child.ToString().Trim());
            return;
        }
        Indent(sb, level);
        if (e is not (AggregateExpr or BinaryExpr or CallExpr or ParenExpr) || !NeedsSplit(e))
        {
            Write(sb, e);
            return;
        }
        switch (e)
        {
            case AggregateExpr a:
                WriteAggregateHead(sb, a);
                sb.Append("(\n");
                if (a.Param is not null)
                {
                    Pretty(sb, a.Param, level + 1);
                    sb.Append(",\n");
                }
                Pretty(sb, a.Inner, level + 1);
                sb.Append('\n');
                Indent(sb, level);
                sb.Append(')');
                break;
            case BinaryExpr b:
                sb.Length -= 2 * level; // the left operand indents itself one level deeper
                Pretty(sb, b.Lhs, level + 1);
                sb.Append('\n');
                Indent(sb, level);
                WriteOperator(sb, b);
                sb.Append('\n');
                Pretty(sb, b.Rhs, level + 1);
                break;
            case CallExpr c:
                sb.Append(c.Function.Name).Append("(\n");
                for (int i = 0; i < c.Args.Count; i++)
                {
                    if (i > 0) sb.Append(",\n");
                    Pretty(sb, c.Args[i], level + 1);
                }
                sb.Append('\n');
                Indent(sb, level);
                sb.Append(')');
                break;
            case ParenExpr p:
                sb.Append("(\n");
                Pretty(sb, p.Inner, level + 1);
                sb.Append('\n');
                Indent(sb, level);
                sb.Append(')');
                break;
        }
    }

    /// <summary>Formats a label matcher like Prometheus's <c>Matcher.String()</c>: <c>job=~"a|b"</c>, <c>"my.label"="x"</c>.</summary>
    public static string FormatMatcher(LabelMatcher m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var sb = new StringBuilder();
        WriteMatcher(sb, m);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, Expr expr)
    {
        switch (expr)
        {
            case AggregateExpr a:
                WriteAggregateHead(sb, a);
                sb.Append('(');
                if (a.Param is not null)
                {
                    Write(sb, a.Param);
                    sb.Append(", ");
                }
                Write(sb, a.Inner);
                sb.Append(')');
                break;
            case BinaryExpr b:
                Write(sb, b.Lhs);
                sb.Append(' ');
                WriteOperator(sb, b);
                sb.Append(' ');
                Write(sb, b.Rhs);
                break;
            case CallExpr c:
                sb.Append(c.Function.Name).Append('(');
                for (int i = 0; i < c.Args.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, c.Args[i]);
                }
                sb.Append(')');
                break;
            case MatrixSelector m:
                WriteSelectorBody(sb, m.Selector);
                sb.Append('[');
                WriteDuration(sb, m.Range);
                sb.Append(']');
                if (m.Selector.RangeModifier is { } mod) sb.Append(' ').Append(mod);
                WriteAt(sb, m.Selector.At, m.Selector.AtMs);
                WriteOffset(sb, m.Selector.Offset);
                break;
            case SubqueryExpr s:
                Write(sb, s.Inner);
                WriteSubquerySuffix(sb, s);
                break;
            case NumberLiteral n:
                if (n.IsDuration)
                {
                    long ms = (long)Math.Round(n.Value * 1000);
                    if (ms < 0) sb.Append('-');
                    sb.Append(PromDuration.Format(Math.Abs(ms)));
                }
                else
                {
                    sb.Append(GoText.FormatFloat(n.Value));
                }
                break;
            case ParenExpr p:
                sb.Append('(');
                Write(sb, p.Inner);
                sb.Append(')');
                break;
            case StringLiteral s:
                sb.Append(GoText.Quote(s.Value));
                break;
            case UnaryExpr u:
                sb.Append(u.Negate ? '-' : '+');
                Write(sb, u.Inner);
                break;
            case VectorSelector v:
                WriteSelectorBody(sb, v);
                WriteAt(sb, v.At, v.AtMs);
                if (v.RangeModifier is { } rm) sb.Append(' ').Append(rm);
                WriteOffset(sb, v.Offset);
                break;
            case DurationFunction f:
                sb.Append(f.Name).Append('(');
                for (int i = 0; i < f.Args.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, f.Args[i]);
                }
                sb.Append(')');
                break;
            default:
                throw new ArgumentException($"unknown node type {expr.GetType().Name}", nameof(expr));
        }
    }

    private static void WriteAggregateHead(StringBuilder sb, AggregateExpr a)
    {
        sb.Append(AggregateName(a.Op));
        if (a.Without)
        {
            sb.Append(" without (");
            WriteLabels(sb, a.Grouping);
            sb.Append(") ");
        }
        else if (a.Grouping.Count > 0)
        {
            sb.Append(" by (");
            WriteLabels(sb, a.Grouping);
            sb.Append(") ");
        }
    }

    private static void WriteOperator(StringBuilder sb, BinaryExpr b)
    {
        sb.Append(Parser.OperatorName(b.Op));
        if (b.ReturnBool) sb.Append(" bool");
        if (b.Matching is { } vm) WriteMatching(sb, vm);
    }

    private static void WriteSubquerySuffix(StringBuilder sb, SubqueryExpr s)
    {
        sb.Append('[');
        WriteDuration(sb, s.Range);
        sb.Append(':');
        if (s.Step != default) WriteDuration(sb, s.Step);
        sb.Append(']');
        WriteAt(sb, s.At, s.AtMs);
        WriteOffset(sb, s.Offset);
    }

    private static void WriteSelectorBody(StringBuilder sb, VectorSelector v)
    {
        var parts = new List<string>(v.Matchers.Count);
        foreach (var m in v.Matchers)
        {
            if (m.Name == "__name__" && m.Type == MatchType.Equal && m.Value == v.Name && m.Value.Length > 0) continue;
            parts.Add(FormatMatcher(m));
        }
        sb.Append(v.Name);
        if (parts.Count == 0) return;
        parts.Sort(StringComparer.Ordinal);
        sb.Append('{').AppendJoin(',', parts).Append('}');
    }

    private static void WriteMatcher(StringBuilder sb, LabelMatcher m)
    {
        sb.Append(ShouldQuoteName(m.Name) ? GoText.Quote(m.Name) : m.Name);
        sb.Append(m.Type switch
        {
            MatchType.Equal => "=",
            MatchType.NotEqual => "!=",
            MatchType.Regex => "=~",
            _ => "!~",
        });
        sb.Append(GoText.Quote(m.Value));
    }

    private static bool ShouldQuoteName(string name) => !Parser.IsLegacyLabelName(name);

    private static void WriteLabels(StringBuilder sb, IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Parser.IsLegacyLabelName(labels[i]) ? labels[i] : GoText.Quote(labels[i]));
        }
    }

    private static void WriteMatching(StringBuilder sb, VectorMatching vm)
    {
        bool grouped = vm.Card is MatchCardinality.ManyToOne or MatchCardinality.OneToMany;
        if (vm.MatchingLabels.Count > 0 || vm.On || grouped)
        {
            sb.Append(vm.On ? " on (" : " ignoring (");
            WriteLabels(sb, vm.MatchingLabels);
            sb.Append(')');
        }
        if (grouped)
        {
            sb.Append(vm.Card == MatchCardinality.ManyToOne ? " group_left (" : " group_right (");
            WriteLabels(sb, vm.Include);
            sb.Append(')');
        }
        if (vm.FillLeft is { } l && vm.FillRight is { } r && BitConverter.DoubleToInt64Bits(l) == BitConverter.DoubleToInt64Bits(r))
        {
            sb.Append(" fill (").Append(GoText.FormatG(l)).Append(')');
            return;
        }
        if (vm.FillLeft is { } fl) sb.Append(" fill_left (").Append(GoText.FormatG(fl)).Append(')');
        if (vm.FillRight is { } fr) sb.Append(" fill_right (").Append(GoText.FormatG(fr)).Append(')');
    }

    private static void WriteDuration(StringBuilder sb, DurationValue d)
    {
        if ((d.Source ?? d.Expression) is { } e)
        {
            Write(sb, e);
            return;
        }
        sb.Append(PromDuration.Format(d.Milliseconds));
    }

    private static void WriteOffset(StringBuilder sb, DurationValue d)
    {
        if ((d.Source ?? d.Expression) is { } e)
        {
            sb.Append(" offset ");
            Write(sb, e);
        }
        else if (d.Milliseconds > 0)
        {
            sb.Append(" offset ").Append(PromDuration.Format(d.Milliseconds));
        }
        else if (d.Milliseconds < 0)
        {
            sb.Append(" offset -").Append(PromDuration.Format(-d.Milliseconds));
        }
    }

    private static void WriteAt(StringBuilder sb, AtKind kind, long ms)
    {
        switch (kind)
        {
            case AtKind.Timestamp:
                sb.Append(" @ ").Append((ms / 1000.0).ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case AtKind.Start:
                sb.Append(" @ start()");
                break;
            case AtKind.End:
                sb.Append(" @ end()");
                break;
        }
    }

    /// <summary>The PromQL keyword of an aggregation operator.</summary>
    public static string AggregateName(AggregateOp op) => op switch
    {
        AggregateOp.Sum => "sum",
        AggregateOp.Avg => "avg",
        AggregateOp.Count => "count",
        AggregateOp.Min => "min",
        AggregateOp.Max => "max",
        AggregateOp.Group => "group",
        AggregateOp.Stddev => "stddev",
        AggregateOp.Stdvar => "stdvar",
        AggregateOp.Topk => "topk",
        AggregateOp.Bottomk => "bottomk",
        AggregateOp.Quantile => "quantile",
        AggregateOp.CountValues => "count_values",
        AggregateOp.LimitK => "limitk",
        AggregateOp.LimitRatio => "limit_ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>Go's <c>strconv.FormatFloat(v, 'f', -1, 64)</c>, as Prometheus prints number literals in its AST JSON.</summary>
    public static string FormatFloat(double v) => GoText.FormatFloat(v);

    /// <summary>The PromQL spelling of a binary operator (<c>+</c>, <c>atan2</c>, <c>unless</c>, ...).</summary>
    public static string OperatorName(BinaryOp op) => Parser.OperatorName(op);
}
