using System.Globalization;
using System.Text;

namespace Strata.QueryCompare;

/// <summary>The results table, its summary lines and the difference details, as plain text and as Markdown.</summary>
public static class Report
{
    private static readonly string[] Header = ["#", "kind", "strata med ms", "strata p90", "prom med ms", "prom p90", "ratio", "series", "match", "query"];

    public static string Text(IReadOnlyList<QueryOutcome> outcomes, Options o)
    {
        var rows = outcomes.Select(Cells).ToList();
        var widths = new int[Header.Length];
        foreach (var r in rows.Prepend(Header))
        {
            for (int c = 0; c < r.Length; c++) widths[c] = Math.Max(widths[c], r[c].Length);
        }
        var sb = new StringBuilder();
        sb.AppendLine(Settings(o));
        foreach (var r in rows.Prepend(Header))
        {
            for (int c = 0; c < r.Length; c++)
            {
                // Numbers right-aligned, text left-aligned; the query goes last so long ones don't break the columns.
                bool left = c is 1 or 8 or 9;
                string cell = left ? r[c].PadRight(widths[c]) : r[c].PadLeft(widths[c]);
                sb.Append(c == r.Length - 1 ? cell.TrimEnd() : cell + "  ");
            }
            sb.AppendLine();
        }
        sb.AppendLine();
        foreach (var line in Summary(outcomes)) sb.AppendLine(line);
        AppendDifferences(sb, outcomes, markdown: false);
        return sb.ToString();
    }

    public static string Markdown(IReadOnlyList<QueryOutcome> outcomes, Options o)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Strata vs Prometheus: PromQL latency and results").AppendLine();
        sb.AppendLine(Settings(o)).AppendLine();
        sb.AppendLine("| " + string.Join(" | ", Header) + " |");
        sb.AppendLine("|" + string.Concat(Header.Select((_, c) => c is 1 or 8 or 9 ? ":---|" : "---:|")));
        foreach (var r in outcomes.Select(Cells))
        {
            r[^1] = "`" + r[^1].Replace("|", "\\|", StringComparison.Ordinal) + "`";
            sb.AppendLine("| " + string.Join(" | ", r) + " |");
        }
        sb.AppendLine();
        foreach (var line in Summary(outcomes)) sb.Append("- ").AppendLine(line);
        AppendDifferences(sb, outcomes, markdown: true);
        return sb.ToString();
    }

    private static string Settings(Options o) =>
        $"end={Options.FormatSeconds(o.EndMs)} ({DateTimeOffset.FromUnixTimeMilliseconds(o.EndMs):u}), range={o.RangeMs / 1000.0:0.###}s, " +
        $"step={o.StepMs / 1000.0:0.###}s, runs={o.Runs}, strata={o.Strata}, prometheus={o.Prometheus}";

    private static string[] Cells(QueryOutcome r)
    {
        var c = r.Comparison;
        string series = c.StrataSeries == c.PrometheusSeries ? N(c.PrometheusSeries) : $"{N(c.StrataSeries)}/{N(c.PrometheusSeries)}";
        string match = c.Match ? "yes" : c.Error ? "ERROR" : "NO";
        return [N(r.Index), r.Query.Kind == QueryKind.Instant ? "instant" : "range", Ms(r.Strata.Median), Ms(r.Strata.P90),
            Ms(r.Prometheus.Median), Ms(r.Prometheus.P90), double.IsNaN(r.Ratio) ? "-" : r.Ratio.ToString("F2", CultureInfo.InvariantCulture) + "x",
            series, match, r.Query.PromQL];
    }

    private static IEnumerable<string> Summary(IReadOnlyList<QueryOutcome> outcomes)
    {
        var ok = outcomes.Where(r => !r.Comparison.Error && r.Strata.Median > 0 && r.Prometheus.Median > 0).ToList();
        int differing = outcomes.Count(r => !r.Comparison.Match);
        int errors = outcomes.Count(r => r.Comparison.Error);
        if (ok.Count > 0)
        {
            double geo = Math.Exp(ok.Average(r => Math.Log(r.Ratio)));
            double sMed = Latency.MedianOf(ok.Select(r => r.Strata.Median));
            double pMed = Latency.MedianOf(ok.Select(r => r.Prometheus.Median));
            yield return $"geometric mean of ratios (Prometheus/Strata): {geo:F2}x over {ok.Count} queries";
            yield return $"median-of-medians: Strata {sMed:F2} ms, Prometheus {pMed:F2} ms, ratio {pMed / sMed:F2}x";
            yield return $"median of per-query ratios: {Latency.MedianOf(ok.Select(r => r.Ratio)):F2}x";
        }
        else
        {
            yield return "no query answered successfully on both servers; no ratios";
        }
        yield return $"DIFFERENCES: {differing} of {outcomes.Count} queries" + (errors > 0 ? $" ({errors} with errors)" : "");
    }

    private static void AppendDifferences(StringBuilder sb, IReadOnlyList<QueryOutcome> outcomes, bool markdown)
    {
        foreach (var r in outcomes.Where(r => !r.Comparison.Match))
        {
            sb.AppendLine();
            sb.AppendLine(markdown
                ? $"### #{r.Index} {(r.Comparison.Error ? "error" : "difference")}: `{r.Query.PromQL}` ({r.Query.Kind.ToString().ToLowerInvariant()})"
                : $"#{r.Index} {(r.Comparison.Error ? "ERROR" : "DIFFERENCE")} ({r.Query.Kind.ToString().ToLowerInvariant()}, line {r.Query.Line}): {r.Query.PromQL}");
            foreach (var d in r.Comparison.Details) sb.AppendLine(markdown ? $"- {d}" : $"    {d}");
        }
    }

    private static string Ms(double v) => double.IsNaN(v) ? "-" : v.ToString(v < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);

    private static string N(int v) => v < 0 ? "-" : v.ToString(CultureInfo.InvariantCulture);
}
