using System.Globalization;

namespace Strata.QueryCompare;

/// <summary>Outcome of comparing the two servers' answers to one query.</summary>
public sealed record Comparison(bool Match, bool Error, int StrataSeries, int PrometheusSeries, List<string> Details);

/// <summary>
/// Compares two query responses series by series. Timestamps must be identical; values may differ
/// by a relative 1e-9, which absorbs summation-order differences between engines (a few ulps)
/// while any real evaluation difference, even one sample in a window, is orders of magnitude larger.
/// </summary>
public static class ResultComparer
{
    public const double RelativeTolerance = 1e-9;
    private const int MaxDetails = 5;

    public static Comparison Compare(ApiResponse strata, ApiResponse prometheus)
    {
        var details = new List<string>();
        if (!strata.Ok || !prometheus.Ok)
        {
            if (!strata.Ok) details.Add($"Strata error: {strata.Describe()}");
            if (!prometheus.Ok) details.Add($"Prometheus error: {prometheus.Describe()}");
            return new Comparison(false, true, -1, -1, details);
        }
        var s = PromResult.TryParse(strata.Body, out string? sErr);
        var p = PromResult.TryParse(prometheus.Body, out string? pErr);
        if (s == null || p == null)
        {
            if (s == null) details.Add($"Strata body: {sErr}: {strata.Describe()}");
            if (p == null) details.Add($"Prometheus body: {pErr}: {prometheus.Describe()}");
            return new Comparison(false, true, s?.Series.Count ?? -1, p?.Series.Count ?? -1, details);
        }
        if (s.ResultType != p.ResultType) details.Add($"resultType: Strata {s.ResultType}, Prometheus {p.ResultType}");
        if (s.Series.Count != p.Series.Count) details.Add($"series count: Strata {s.Series.Count}, Prometheus {p.Series.Count}");

        var sByKey = Index(s, "Strata", details);
        var pByKey = Index(p, "Prometheus", details);
        int differing = 0;
        foreach (var (key, ps) in pByKey)
        {
            string? d = sByKey.TryGetValue(key, out var ss)
                ? ComparePoints(ss, ps)
                : $"series only in Prometheus ({ps.Points.Count} points): {ps.Display}";
            if (d != null && ++differing <= MaxDetails) details.Add(d);
        }
        foreach (var (key, ss) in sByKey)
        {
            if (!pByKey.ContainsKey(key) && ++differing <= MaxDetails)
                details.Add($"series only in Strata ({ss.Points.Count} points): {ss.Display}");
        }
        if (differing > MaxDetails) details.Add($"… {differing - MaxDetails} more differing series ({differing} in all)");
        return new Comparison(details.Count == 0, false, s.Series.Count, p.Series.Count, details);
    }

    private static Dictionary<string, Series> Index(PromResult r, string side, List<string> details)
    {
        var byKey = new Dictionary<string, Series>(StringComparer.Ordinal);
        foreach (var series in r.Series)
        {
            if (!byKey.TryAdd(series.Key, series)) details.Add($"{side} returned a duplicate series: {series.Display}");
        }
        return byKey;
    }

    /// <summary>Null when equal; otherwise the series and its first differing point.</summary>
    private static string? ComparePoints(Series s, Series p)
    {
        int n = Math.Min(s.Points.Count, p.Points.Count);
        for (int i = 0; i < n; i++)
        {
            var a = s.Points[i];
            var b = p.Points[i];
            if (a.Timestamp != b.Timestamp || !ValuesEqual(a.Value, b.Value))
            {
                return $"{p.Display}: point {i} of {p.Points.Count}: Strata [{Ts(a.Timestamp)}, \"{a.Value}\"], " +
                       $"Prometheus [{Ts(b.Timestamp)}, \"{b.Value}\"]{RelativeDiff(a.Value, b.Value)}";
            }
        }
        if (s.Points.Count == p.Points.Count) return null;
        var extra = s.Points.Count > n ? ("Strata", s.Points[n]) : ("Prometheus", p.Points[n]);
        return $"{p.Display}: point count Strata {s.Points.Count}, Prometheus {p.Points.Count}; " +
               $"first extra point in {extra.Item1}: [{Ts(extra.Item2.Timestamp)}, \"{extra.Item2.Value}\"]";
    }

    public static bool ValuesEqual(string a, string b)
    {
        if (a == b) return true;
        if (!TryParseValue(a, out double x) || !TryParseValue(b, out double y)) return false;
        if (double.IsNaN(x) || double.IsNaN(y)) return double.IsNaN(x) && double.IsNaN(y);
        if (double.IsInfinity(x) || double.IsInfinity(y)) return x == y;
        return Math.Abs(x - y) <= RelativeTolerance * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    /// <summary>Prometheus renders values with Go's strconv 'f', -1 plus "NaN", "+Inf" and "-Inf".</summary>
    public static bool TryParseValue(string s, out double v)
    {
        switch (s)
        {
            case "NaN": v = double.NaN; return true;
            case "+Inf": v = double.PositiveInfinity; return true;
            case "-Inf": v = double.NegativeInfinity; return true;
            default:
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v);
        }
    }

    private static string RelativeDiff(string a, string b)
    {
        if (!TryParseValue(a, out double x) || !TryParseValue(b, out double y) || !double.IsFinite(x) || !double.IsFinite(y)) return "";
        double m = Math.Max(Math.Abs(x), Math.Abs(y));
        return m == 0 ? "" : $" (relative difference {Math.Abs(x - y) / m:G3})";
    }

    private static string Ts(decimal t) => t.ToString(CultureInfo.InvariantCulture);
}
