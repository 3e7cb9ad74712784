using System.Globalization;
using System.Text;
using Strata.Storage.Index;
using GoText = Strata.Query.PromQL.GoText;
using MatchType = Strata.Storage.Index.MatchType;
using PromDuration = Strata.Query.PromQL.PromDuration;

namespace Strata.Query.LogQL;

/// <summary>
/// Prints a LogQL tree the way Loki does. <see cref="Format"/> is Loki's <c>Expr.String()</c>, the
/// canonical one-line form; <see cref="Prettify"/> is <c>syntax.Prettify</c>, what
/// <c>/loki/api/v1/format_query</c> returns. Parsing either output gives back an equivalent tree.
/// </summary>
/// <remarks>
/// Loki's conventions, kept byte for byte: matchers in query order joined by <c>", "</c> with
/// Go-quoted values; pipeline stages joined by spaces; the range glued to the pipeline
/// (<c>{a="b"} |= "x"[5m]</c>); offsets and duration filters in Go's <c>time.Duration</c> form
/// (<c>offset 1h0m0s</c>, <c>latency&gt;250ms</c>); bytes filters through go-humanize
/// (<c>size&gt;21MB</c> for 20MiB: lossy, as in Loki); label filter combinations as
/// <c>( a , b )</c> / <c>( a or b )</c>; every binary operation in parentheses; <c>vector(1.000000)</c>;
/// topk's k and quantile's φ before a bare comma; grouping after range aggregations and before
/// the parenthesis of vector aggregations (<c>sum by (a,b)(...)</c>).
/// </remarks>
public static partial class LogQLPrinter
{
    /// <summary>Formats <paramref name="expr"/> on one line (Loki's <c>String()</c>).</summary>
    public static string Format(LogQLExpr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var sb = new StringBuilder(64);
        Write(sb, expr);
        return sb.ToString();
    }

    /// <summary>Formats one pipeline stage as it appears in a query (<c>| json</c>, <c>|= "x"</c>).</summary>
    public static string Format(PipelineStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var sb = new StringBuilder(32);
        WriteStage(sb, stage);
        return sb.ToString();
    }

    /// <summary>Formats a label filter expression (<c>( status&gt;=500 , level="error" )</c>).</summary>
    public static string Format(LabelFilterExpr filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sb = new StringBuilder(32);
        WriteLabelFilter(sb, filter);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, LogQLExpr e)
    {
        switch (e)
        {
            case LogSelectorExpr s:
                WriteSelector(sb, s);
                break;
            case RangeAggregationExpr r:
                sb.Append(r.Op.Name()).Append('(');
                if (r.Parameter is { } p) sb.Append(GoText.FormatFloat(p)).Append(',');
                WriteSelector(sb, r.Selector);
                WriteRangeAndOffset(sb, r, pretty: false);
                sb.Append(')');
                if (r.Grouping is { } g) WriteGrouping(sb, g);
                break;
            case VectorAggregationExpr v:
                sb.Append(v.Op.Name());
                if (!v.Grouping.IsSingleton) WriteGrouping(sb, v.Grouping);
                sb.Append('(');
                if (v.Parameter is { } k) sb.Append(k.ToString(CultureInfo.InvariantCulture)).Append(',');
                Write(sb, v.Inner);
                sb.Append(')');
                break;
            case BinaryOpExpr b:
                sb.Append('(');
                Write(sb, b.Lhs);
                sb.Append(' ').Append(BinaryOpText(b)).Append(' ');
                Write(sb, b.Rhs);
                sb.Append(')');
                break;
            case LiteralExpr l:
                sb.Append(GoText.FormatG(l.Value));
                break;
            case VectorExpr v:
                sb.Append("vector(").Append(Parser.GoF6(v.Value)).Append(')');
                break;
            case LabelReplaceExpr lr:
                sb.Append("label_replace(");
                Write(sb, lr.Inner);
                sb.Append(',').Append(GoText.Quote(lr.Destination))
                    .Append(',').Append(GoText.Quote(lr.Replacement))
                    .Append(',').Append(GoText.Quote(lr.Source))
                    .Append(',').Append(GoText.Quote(lr.Regex))
                    .Append(')');
                break;
            default:
                throw new ArgumentException($"unexpected node {e.GetType().Name}", nameof(e));
        }
    }

    private static void WriteSelector(StringBuilder sb, LogSelectorExpr s, int stageCount = -1)
    {
        WriteMatchers(sb, s.Matchers);
        int n = stageCount < 0 ? s.Stages.Count : stageCount;
        for (int i = 0; i < n; i++)
        {
            sb.Append(' ');
            WriteStage(sb, s.Stages[i]);
        }
    }

    private static void WriteMatchers(StringBuilder sb, IReadOnlyList<LabelMatcher> matchers)
    {
        sb.Append('{');
        for (int i = 0; i < matchers.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            WriteMatcher(sb, matchers[i]);
        }
        sb.Append('}');
    }

    // Prometheus's Matcher.String(): name, operator, Go-quoted value.
    private static void WriteMatcher(StringBuilder sb, LabelMatcher m) =>
        sb.Append(m.Name).Append(MatchOpText(m.Type)).Append(GoText.Quote(m.Value));

    private static string MatchOpText(MatchType t) => t switch
    {
        MatchType.Equal => "=",
        MatchType.NotEqual => "!=",
        MatchType.Regex => "=~",
        _ => "!~",
    };

    // [5m] and " offset 1h0m0s" (String) or " offset 1h" (Prettify, which uses model.Duration).
    private static void WriteRangeAndOffset(StringBuilder sb, RangeAggregationExpr r, bool pretty)
    {
        sb.Append(pretty ? " [" : "[").Append(PromDuration.Format(r.Range.Ticks / TimeSpan.TicksPerMillisecond)).Append(']');
        if (r.Offset == TimeSpan.Zero) return;
        long ns = r.Offset.Ticks * 100;
        sb.Append(" offset ").Append(pretty ? PromDuration.Format(ns / 1_000_000) : GoDuration.Format(ns));
    }

    private static void WriteGrouping(StringBuilder sb, Grouping g)
    {
        sb.Append(g.Without ? " without (" : " by (");
        for (int i = 0; i < g.Labels.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(g.Labels[i]);
        }
        sb.Append(')');
    }

    // Loki prints matching only when it has `on` or labels, and then always with a trailing space
    // before an absent group_* (so `a + on (x)  b` has two spaces); `ignoring ()` prints nothing.
    private static string BinaryOpText(BinaryOpExpr b)
    {
        var sb = new StringBuilder(b.Op.Name());
        if (b.ReturnBool) sb.Append(" bool");
        var m = b.Matching;
        if (m.On || m.MatchingLabels.Count > 0)
        {
            string group = m.Card switch
            {
                MatchingCardinality.ManyToOne => "group_left",
                MatchingCardinality.OneToMany => "group_right",
                _ => "",
            };
            if (m.Include.Count > 0) group = $"{group} ({string.Join(',', m.Include)})";
            sb.Append(m.On ? " on (" : " ignoring (").AppendJoin(',', m.MatchingLabels).Append(") ").Append(group);
        }
        return sb.ToString();
    }

    // ---- stages --------------------------------------------------------------------------------

    private static void WriteStage(StringBuilder sb, PipelineStage stage)
    {
        switch (stage)
        {
            case LineFilterStage f:
                sb.Append(f.Op.Name()).Append(' ');
                for (int i = 0; i < f.Terms.Count; i++)
                {
                    if (i > 0) sb.Append(" or ");
                    var t = f.Terms[i];
                    if (t.Ip) sb.Append("ip(").Append(GoText.Quote(t.Value)).Append(')');
                    else sb.Append(GoText.Quote(t.Value));
                }
                break;
            case JsonParserStage j:
                sb.Append("| json");
                if (j.Parameters.Count > 0)
                {
                    sb.Append(' ');
                    WriteExtractions(sb, j.Parameters);
                }
                break;
            case LogfmtParserStage l when l.Parameters.Count == 0:
                sb.Append("| logfmt");
                if (l.Strict) sb.Append(" --strict");
                if (l.KeepEmpty) sb.Append(" --keep-empty");
                break;
            case LogfmtParserStage l:
                sb.Append("| logfmt ");
                if (l.Strict) sb.Append("--strict ");
                if (l.KeepEmpty) sb.Append("--keep-empty ");
                WriteExtractions(sb, l.Parameters);
                break;
            case RegexpParserStage r:
                sb.Append("| regexp ").Append(GoText.Quote(r.Pattern));
                break;
            case PatternParserStage p:
                sb.Append("| pattern ").Append(GoText.Quote(p.Pattern));
                break;
            case UnpackStage:
                sb.Append("| unpack");
                break;
            case LabelFilterStage lf:
                sb.Append("| ");
                WriteLabelFilter(sb, lf.Filter);
                break;
            case LineFormatStage lf:
                sb.Append("| line_format ").Append(GoText.Quote(lf.Template));
                break;
            case LabelFormatStage lf:
                sb.Append("| label_format ");
                for (int i = 0; i < lf.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    var item = lf.Items[i];
                    sb.Append(item.Target).Append('=').Append(item.IsRename ? item.Value : GoText.Quote(item.Value));
                }
                break;
            case DropStage d:
                sb.Append("| drop ");
                WriteNamedMatchers(sb, d.Labels);
                break;
            case KeepStage k:
                sb.Append("| keep ");
                WriteNamedMatchers(sb, k.Labels);
                break;
            case DecolorizeStage:
                sb.Append("| decolorize");
                break;
            case UnwrapStage u:
                sb.Append("| unwrap ");
                if (u.Conversion == UnwrapConversion.None) sb.Append(u.Label);
                else sb.Append(u.Conversion.Name()).Append('(').Append(u.Label).Append(')');
                break;
            default:
                throw new ArgumentException($"unexpected stage {stage.GetType().Name}", nameof(stage));
        }
    }

    private static void WriteExtractions(StringBuilder sb, IReadOnlyList<LabelExtraction> list)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(list[i].Label).Append('=').Append(GoText.Quote(list[i].Expression));
        }
    }

    private static void WriteNamedMatchers(StringBuilder sb, IReadOnlyList<LabelNameOrMatcher> list)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (i > 0) sb.Append(',');
            if (list[i].Matcher is { } m) WriteMatcher(sb, m);
            else sb.Append(list[i].Name);
        }
    }

    private static void WriteLabelFilter(StringBuilder sb, LabelFilterExpr f)
    {
        switch (f)
        {
            case AndLabelFilter a:
                sb.Append("( ");
                WriteLabelFilter(sb, a.Left);
                sb.Append(" , ");
                WriteLabelFilter(sb, a.Right);
                sb.Append(" )");
                break;
            case OrLabelFilter o:
                sb.Append("( ");
                WriteLabelFilter(sb, o.Left);
                sb.Append(" or ");
                WriteLabelFilter(sb, o.Right);
                sb.Append(" )");
                break;
            case StringLabelFilter s:
                WriteStringFilter(sb, s.Matcher);
                break;
            case NumericLabelFilter n:
                sb.Append(n.Label).Append(n.Comparison.Name()).Append(GoText.FormatFloat(n.Value));
                break;
            case DurationLabelFilter d:
                sb.Append(d.Label).Append(d.Comparison.Name()).Append(GoDuration.Format(d.Nanoseconds));
                break;
            case BytesLabelFilter b:
                sb.Append(b.Label).Append(b.Comparison.Name()).Append(HumanBytes.Format(b.Bytes));
                break;
            case IpLabelFilter ip:
                sb.Append(ip.Label).Append(ip.Negated ? "!=" : "=").Append("ip(").Append(GoText.Quote(ip.Pattern)).Append(')');
                break;
            default:
                throw new ArgumentException($"unexpected label filter {f.GetType().Name}", nameof(f));
        }
    }

    // Loki prints a regex label filter that it could not reduce to literal matching (its
    // regexpFilter) with the raw pattern in backquotes, and every other string filter as Prometheus
    // prints a matcher. See LabelRegexShape for how the reduction is predicted.
    private static void WriteStringFilter(StringBuilder sb, LabelMatcher m)
    {
        if (m.Type is MatchType.Regex or MatchType.NotRegex && !LabelRegexShape.IsReducible(m.Value))
        {
            sb.Append(m.Name).Append(MatchOpText(m.Type));
            if (m.Value.Contains('`', StringComparison.Ordinal)) sb.Append(GoText.Quote(m.Value));
            else sb.Append('`').Append(m.Value).Append('`');
            return;
        }
        WriteMatcher(sb, m);
    }
}
