namespace Strata.Storage.Metadata;

/// <summary>Latest type, help and unit per metric family, as sent with remote-write metadata.</summary>
public readonly record struct MetricMetadata(byte Type, string Help, string Unit);

/// <summary>
/// Metric metadata by family name (feeds <c>/api/v1/metadata</c>). Keeps only the newest entry
/// per family, like Prometheus's per-target metadata cache. Thread-safe.
/// </summary>
public sealed class MetadataStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MetricMetadata> _byFamily = new(StringComparer.Ordinal);

    public void Set(string family, byte type, string help, string unit)
    {
        var m = new MetricMetadata(type, help, unit);
        lock (_lock) _byFamily[family] = m;
    }

    public List<KeyValuePair<string, MetricMetadata>> Snapshot()
    {
        lock (_lock) return [.. _byFamily];
    }

    public int Count
    {
        get
        {
            lock (_lock) return _byFamily.Count;
        }
    }
}
