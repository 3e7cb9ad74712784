namespace Strata.Ingest.RemoteWrite;

/// <summary>Limits applied to remote-write requests. Defaults suit Kubernetes exporters with room to spare.</summary>
public sealed record IngestOptions
{
    /// <summary>Largest accepted request body as sent (compressed); larger → 413.</summary>
    public int MaxBodyBytes { get; init; } = 64 << 20;

    /// <summary>Largest decompressed protobuf; a larger declared snappy length → 413 before allocating.</summary>
    public int MaxDecodedBytes { get; init; } = 256 << 20;

    public int MaxLabelNamesPerSeries { get; init; } = 128;
    public int MaxLabelNameLength { get; init; } = 1024;
    public int MaxLabelValueLength { get; init; } = 64 * 1024;

    /// <summary>Samples further ahead of the wall clock than this are rejected (Prometheus: 10 m).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(10);

    public void Validate()
    {
        if (MaxBodyBytes <= 0 || MaxDecodedBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), "body limits must be positive");
        if (MaxLabelNamesPerSeries <= 0 || MaxLabelNameLength <= 0 || MaxLabelValueLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxLabelNamesPerSeries), "label limits must be positive");
    }
}
