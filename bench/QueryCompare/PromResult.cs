using System.Text;
using System.Text.Json;

namespace Strata.QueryCompare;

/// <summary>A point as the API wrote it: the timestamp kept as an exact decimal, the value as its text.</summary>
public readonly record struct Point(decimal Timestamp, string Value);

/// <summary>One result series; <see cref="Key"/> is the label set in name order, so matching ignores JSON key order.</summary>
public sealed record Series(string Key, string Display, List<Point> Points);

/// <summary>The <c>data</c> of a successful query response, flattened to series of points for all result types.</summary>
public sealed record PromResult(string ResultType, List<Series> Series)
{
    /// <summary>Parses a Prometheus query API body; returns null and a reason when it is not a success body.</summary>
    public static PromResult? TryParse(byte[] body, out string? error)
    {
        error = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (!root.TryGetProperty("status", out var status) || status.GetString() != "success")
            {
                error = "status is not \"success\"";
                return null;
            }
            var data = root.GetProperty("data");
            string type = data.GetProperty("resultType").GetString() ?? "";
            var result = data.GetProperty("result");
            var series = new List<Series>();
            switch (type)
            {
                case "matrix":
                    foreach (var s in result.EnumerateArray())
                    {
                        var points = new List<Point>();
                        if (s.TryGetProperty("values", out var values))
                        {
                            foreach (var p in values.EnumerateArray()) points.Add(ReadPoint(p));
                        }
                        // Native histograms are not in bench/Load's dataset; compare them as raw JSON if they ever appear.
                        if (s.TryGetProperty("histograms", out var hs))
                        {
                            foreach (var h in hs.EnumerateArray()) points.Add(new Point(h[0].GetDecimal(), h[1].GetRawText()));
                        }
                        series.Add(MakeSeries(s.GetProperty("metric"), points));
                    }
                    break;
                case "vector":
                    foreach (var s in result.EnumerateArray())
                    {
                        var p = s.TryGetProperty("value", out var v) ? ReadPoint(v)
                            : new Point(s.GetProperty("histogram")[0].GetDecimal(), s.GetProperty("histogram")[1].GetRawText());
                        series.Add(MakeSeries(s.GetProperty("metric"), [p]));
                    }
                    break;
                case "scalar":
                case "string":
                    series.Add(new Series("", "{}", [ReadPoint(result)]));
                    break;
                default:
                    error = $"unknown resultType \"{type}\"";
                    return null;
            }
            return new PromResult(type, series);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            error = $"unparseable body: {e.Message}";
            return null;
        }
    }

    private static Point ReadPoint(JsonElement pair) => new(pair[0].GetDecimal(), pair[1].GetString() ?? "");

    private static Series MakeSeries(JsonElement metric, List<Point> points)
    {
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var p in metric.EnumerateObject()) labels.Add(new(p.Name, p.Value.GetString() ?? ""));
        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var key = new StringBuilder();
        var display = new StringBuilder();
        string? name = labels.Find(l => l.Key == "__name__").Value;
        display.Append(name).Append('{');
        bool first = true;
        foreach (var (k, v) in labels)
        {
            // NUL cannot occur in a label name and \x01 separates name from value, so the key is unambiguous.
            key.Append(k).Append('\x01').Append(v).Append('\0');
            if (k == "__name__") continue;
            if (!first) display.Append(", ");
            display.Append(k).Append("=\"").Append(v).Append('"');
            first = false;
        }
        display.Append('}');
        return new Series(key.ToString(), display.ToString(), points);
    }
}
