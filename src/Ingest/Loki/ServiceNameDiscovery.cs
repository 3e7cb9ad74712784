using Strata.Storage.Labels;

namespace Strata.Ingest.Loki;

/// <summary>
/// Loki 3's <c>service_name</c> derivation (pkg/loghttp/push/push.go, ParseLokiRequest): a stream
/// without a non-empty <c>service_name</c> gets the value of the first label of
/// <see cref="LokiLimits.DiscoverServiceName"/> that it has, or <c>unknown_service</c>. Streams
/// Loki writes for itself (<c>__aggregated_metric__</c>, <c>__pattern__</c>) are left alone, and an
/// empty list turns the derivation off. Grafana's Logs Drilldown groups everything by this label.
/// </summary>
public static class ServiceNameDiscovery
{
    public const string LabelName = "service_name";
    public const string Unknown = "unknown_service";
    public const string AggregatedMetricLabel = "__aggregated_metric__";
    public const string PatternLabel = "__pattern__";

    /// <summary>The value to add, or null when the stream keeps its labels. <paramref name="pairs"/> has no empty values.</summary>
    public static string? Derive(List<Label> pairs, IReadOnlyList<string> discover)
    {
        if (discover.Count == 0) return null;
        foreach (var l in pairs)
        {
            if (l.Name is LabelName or AggregatedMetricLabel or PatternLabel) return null;
        }
        foreach (string name in discover)
        {
            foreach (var l in pairs)
            {
                if (string.Equals(l.Name, name, StringComparison.Ordinal)) return l.Value;
            }
        }
        return Unknown;
    }
}
