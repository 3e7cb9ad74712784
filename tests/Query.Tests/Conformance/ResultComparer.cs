using System.Text;
using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Labels;

namespace Strata.Query.Tests.Conformance;

/// <summary>
/// Compares a query result with what an eval block expects (FORMAT.md sections 5.1 and 6, following
/// upstream's <c>compareResult</c>). Each method returns null on a match, otherwise a short reason
/// that names the series and values involved.
/// </summary>
internal static class ResultComparer
{
    // Enough differences to see the pattern without one eval flooding the report.
    private const int MaxListed = 3;

    /// <summary>The result of an instant eval, whatever its type.</summary>
    public static string? CompareInstant(EvalCommand ev, QueryValue value) => value switch
    {
        MatrixResult m when ev.RangeVector is { } rv => CompareMatrix(ev, m, rv.StartMs, rv.EndMs, rv.StepMs),
        // Without "expect range vector" the upstream runner has no times for the points: only an
        // empty range vector against no result lines can pass.
        MatrixResult m => m.Series.Count == 0 && ev.Series.Count == 0 && ev.ExpectedScalar == null ? null
            : $"query returned a range vector with {m.Series.Count} series but the case has no 'expect range vector'",
        VectorResult v => ev.ExpectedScalar is { } s ? $"expected scalar {s} got a vector of {v.Samples.Count}"
            : CompareVector(ev, v.Samples, ev.Ordered),
        ScalarResult s => CompareScalar(ev, s.Value),
        StringResult s => s.Value == (ev.ExpectedString ?? "") ? null
            : $"expected string \"{ev.ExpectedString ?? ""}\" got \"{s.Value}\"",
        null => "engine returned null",
        _ => $"unexpected result type {value.GetType().Name}",
    };

    public static string? CompareScalar(EvalCommand ev, double actual)
    {
        if (ev.ExpectedScalar is not { } exp) return $"expected a vector or matrix result got scalar {FloatValues.Format(actual)}";
        if (exp.Kind == SlotKind.Histogram) return $"expected histogram {exp.HistogramText} got scalar {FloatValues.Format(actual)}";
        return FloatValues.AlmostEqual(exp.Value, actual) ? null
            : $"expected scalar {FloatValues.Format(exp.Value)} got {FloatValues.Format(actual)}";
    }

    /// <summary>An instant vector against the result lines (one value each); order matters only when <paramref name="ordered"/>.</summary>
    public static string? CompareVector(EvalCommand ev, IReadOnlyList<VectorSample> samples, bool ordered)
    {
        var issues = new List<string>();
        var seen = new HashSet<LabelSet>();
        var unexpected = new List<string>();
        var mismatched = new List<string>();
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            if (!seen.Add(s.Labels))
            {
                issues.Add($"duplicate series {Show(s.Labels)} in result");
                continue;
            }
            if (!ev.Series.TryGetValue(s.Labels, out var exp))
            {
                unexpected.Add($"{Show(s.Labels)} {FloatValues.Format(s.Value)}");
                continue;
            }
            if (ordered && exp.Position != i + 1) mismatched.Add($"order: {Show(s.Labels)} expected at position {exp.Position} got {i + 1}");
            var e = exp.Slots[0];
            if (e.Kind == SlotKind.Histogram) mismatched.Add($"{Show(s.Labels)}: expected histogram {e.HistogramText} got float {FloatValues.Format(s.Value)}");
            // "_" as an instant value compares as 0, as upstream's zero SequenceValue does.
            else if (!FloatValues.AlmostEqual(e.Value, s.Value))
                mismatched.Add($"value mismatch {Show(s.Labels)}: expected {FloatValues.Format(e.Value)} got {FloatValues.Format(s.Value)}");
        }
        var missing = ev.Series.Values.Where(e => !seen.Contains(e.Labels)).OrderBy(e => e.Position).Select(e => $"{Show(e.Labels)} {e.Slots[0]}").ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var sb = new StringBuilder($"expected {ev.Series.Count} series got {seen.Count}");
            if (missing.Count > 0) sb.Append("; missing ").Append(List(missing));
            if (unexpected.Count > 0) sb.Append("; unexpected ").Append(List(unexpected));
            issues.Add(sb.ToString());
        }
        if (mismatched.Count > 0) issues.Add(List(mismatched));
        return issues.Count == 0 ? null : string.Join("; ", issues);
    }

    /// <summary>
    /// A matrix against result lines whose k-th value belongs to <paramref name="start"/> + k *
    /// <paramref name="step"/> (<c>_</c>: no point there). Series must come back sorted by labels.
    /// </summary>
    public static string? CompareMatrix(EvalCommand ev, MatrixResult m, long start, long end, long step)
    {
        if (ev.Ordered) return "expected an ordered vector but the query returned a matrix";
        if (ev.ExpectedScalar is { } sc) return $"expected scalar {sc} got a matrix of {m.Series.Count} series";
        var issues = new List<string>();
        for (int i = 0; i + 1 < m.Series.Count; i++)
        {
            if (m.Series[i].Labels.CompareTo(m.Series[i + 1].Labels) > 0)
            {
                issues.Add($"matrix not sorted by labels: {Show(m.Series[i].Labels)} before {Show(m.Series[i + 1].Labels)}");
                break;
            }
        }
        var seen = new HashSet<LabelSet>();
        var unexpected = new List<string>();
        var pointIssues = new List<string>();
        foreach (var s in m.Series)
        {
            if (!seen.Add(s.Labels))
            {
                issues.Add($"duplicate series {Show(s.Labels)} in result");
                continue;
            }
            if (!ev.Series.TryGetValue(s.Labels, out var exp))
            {
                unexpected.Add($"{Show(s.Labels)} {Points(s)}");
                continue;
            }
            if (ComparePoints(exp, s, start, end, step) is { } why) pointIssues.Add($"{Show(s.Labels)}: {why}");
        }
        var missing = ev.Series.Values.Where(e => !seen.Contains(e.Labels)).OrderBy(e => e.Position)
            .Select(e => $"{Show(e.Labels)} {string.Join(' ', e.Slots.Take(8))}{(e.Slots.Count > 8 ? " ..." : "")}").ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var sb = new StringBuilder($"expected {ev.Series.Count} series got {seen.Count}");
            if (missing.Count > 0) sb.Append("; missing ").Append(List(missing));
            if (unexpected.Count > 0) sb.Append("; unexpected ").Append(List(unexpected));
            issues.Add(sb.ToString());
        }
        if (pointIssues.Count > 0) issues.Add(List(pointIssues));
        return issues.Count == 0 ? null : string.Join("; ", issues);
    }

    private static string? ComparePoints(ExpectedSeries exp, SeriesPoints s, long start, long end, long step)
    {
        var expected = new List<(long T, Slot V)>();
        for (int k = 0; k < exp.Slots.Count; k++)
        {
            long t = start + k * step;
            if (t > end) return $"script expects {exp.Slots.Count} points but the range only has {(step > 0 ? (end - start) / step + 1 : 1)} steps";
            if (exp.Slots[k].Kind != SlotKind.Empty) expected.Add((t, exp.Slots[k]));
        }
        if (expected.Any(p => p.V.Kind == SlotKind.Histogram))
            return $"expected native histograms (first {expected.First(p => p.V.Kind == SlotKind.Histogram).V.HistogramText}) got {s.Count} float points";
        int i = 0, j = 0;
        var diffs = new List<string>();
        while (i < expected.Count || j < s.Count)
        {
            long te = i < expected.Count ? expected[i].T : long.MaxValue;
            long ta = j < s.Count ? s.Timestamps[j] : long.MaxValue;
            if (te == ta)
            {
                double ev = expected[i].V.Value, av = s.Values[j];
                if (!FloatValues.AlmostEqual(ev, av)) diffs.Add($"at {Time(te)} expected {FloatValues.Format(ev)} got {FloatValues.Format(av)}");
                i++;
                j++;
            }
            else if (te < ta)
            {
                diffs.Add($"at {Time(te)} expected {FloatValues.Format(expected[i].V.Value)} got no point");
                i++;
            }
            else
            {
                diffs.Add($"at {Time(ta)} expected no point got {FloatValues.Format(s.Values[j])}");
                j++;
            }
        }
        if (diffs.Count == 0) return null;
        string counts = expected.Count != s.Count ? $"expected {expected.Count} points got {s.Count}; " : "";
        return counts + List(diffs);
    }

    private static string Points(SeriesPoints s)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < Math.Min(s.Count, 6); i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(FloatValues.Format(s.Values[i])).Append('@').Append(Time(s.Timestamps[i]));
        }
        if (s.Count > 6) sb.Append(" ...");
        return sb.Append(']').ToString();
    }

    /// <summary>Label sets as the scripts write them: <c>name</c>, <c>name{a="b"}</c>, <c>{a="b"}</c>, <c>{}</c>.</summary>
    public static string Show(LabelSet labels) =>
        labels.Count == 1 && labels[0].Name == LabelSet.MetricName ? labels[0].Value : labels.ToString();

    /// <summary>Times as the scripts write them (<c>1m30s</c>), which reads better than milliseconds.</summary>
    public static string Time(long ms) => ms < 0 ? "-" + PromDuration.Format(-ms) : PromDuration.Format(ms);

    private static string List(List<string> items) =>
        items.Count <= MaxListed ? string.Join(", ", items)
        : string.Join(", ", items.Take(MaxListed)) + $" and {items.Count - MaxListed} more";
}
