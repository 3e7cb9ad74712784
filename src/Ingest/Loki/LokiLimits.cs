namespace Strata.Ingest.Loki;

/// <summary>
/// Limits and switches for Loki pushes. Defaults are Loki's <c>limits_config</c> defaults
/// (pkg/validation/limits.go; byte sizes there are parsed with c2h5oh/datasize, so "256KB" is
/// 262,144 bytes). Immutable; validated once by <see cref="LokiPushDecoder"/>'s constructor.
/// </summary>
public sealed record LokiLimits
{
    /// <summary>
    /// Largest body after gzip/deflate and after snappy; more → 413 before the rest is read.
    /// Loki's own bound is the request size (<c>-distributor.max-recv-msg-size</c>, 100 MB).
    /// </summary>
    public int MaxDecompressedBytes { get; init; } = 100 << 20;

    /// <summary><c>max_line_size</c>: longer lines are rejected (or truncated, see <see cref="TruncateLongLines"/>); 0 = no limit.</summary>
    public int MaxLineSize { get; init; } = 256 << 10;

    /// <summary><c>max_line_size_truncate</c>: cut long lines to <see cref="MaxLineSize"/> bytes instead of rejecting them.</summary>
    public bool TruncateLongLines { get; init; }

    /// <summary><c>max_label_names_per_series</c>; a <c>service_name</c> label is not counted (as in Loki).</summary>
    public int MaxLabelNamesPerSeries { get; init; } = 15;

    /// <summary><c>max_label_name_length</c>, in bytes.</summary>
    public int MaxLabelNameLength { get; init; } = 1024;

    /// <summary><c>max_label_value_length</c>, in bytes.</summary>
    public int MaxLabelValueLength { get; init; } = 2048;

    /// <summary><c>reject_old_samples</c> with <c>reject_old_samples_max_age</c> (7 d).</summary>
    public bool RejectOldSamples { get; init; } = true;

    public TimeSpan RejectOldSamplesMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>creation_grace_period</c>: entries further ahead of the wall clock are rejected.</summary>
    public TimeSpan CreationGracePeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><c>allow_structured_metadata</c>.</summary>
    public bool AllowStructuredMetadata { get; init; } = true;

    /// <summary><c>max_structured_metadata_size</c> (sum of name and value bytes per entry); 0 = no limit.</summary>
    public int MaxStructuredMetadataSize { get; init; } = 64 << 10;

    /// <summary><c>max_structured_metadata_entries_count</c>; 0 = no limit.</summary>
    public int MaxStructuredMetadataCount { get; init; } = 128;

    /// <summary>
    /// Accept label names outside <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, which only the quoted form of the
    /// protobuf label string (<c>{"k8s.pod"="x"}</c>, Prometheus 3 syntax) can carry. Off by default
    /// because LogQL selectors cannot name such labels.
    /// </summary>
    public bool AllowUtf8LabelNames { get; init; }

    /// <summary>
    /// <c>discover_service_name</c>: when a stream has no <c>service_name</c>, the value of the first
    /// of these labels that is present becomes its <c>service_name</c>, else <c>unknown_service</c>.
    /// Empty turns the derivation off. Loki 3's default list, in its order.
    /// </summary>
    public IReadOnlyList<string> DiscoverServiceName { get; init; } = DefaultDiscoverServiceName;

    /// <summary>
    /// <c>discover_log_levels</c>: add a <c>detected_level</c> structured-metadata pair to every entry
    /// (<see cref="DetectedLevel"/>). Needs <see cref="AllowStructuredMetadata"/>.
    /// </summary>
    public bool DiscoverLogLevels { get; init; } = true;

    /// <summary>Parsed label strings remembered per decoder (two-way set-associative; rounded up to a power of two).</summary>
    public int LabelCacheSize { get; init; } = 4096;

    public static readonly IReadOnlyList<string> DefaultDiscoverServiceName =
    [
        "service", "app", "application", "app_name", "name", "app_kubernetes_io_name", "container",
        "container_name", "k8s_container_name", "component", "workload", "job", "k8s_job_name",
    ];

    public void Validate()
    {
        if (MaxDecompressedBytes <= 0) throw new ArgumentOutOfRangeException(nameof(MaxDecompressedBytes), "must be positive");
        if (MaxLineSize < 0 || MaxStructuredMetadataSize < 0 || MaxStructuredMetadataCount < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxLineSize), "size limits must not be negative (0 = no limit)");
        if (MaxLabelNamesPerSeries <= 0 || MaxLabelNameLength <= 0 || MaxLabelValueLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxLabelNamesPerSeries), "label limits must be positive");
        if (RejectOldSamplesMaxAge <= TimeSpan.Zero || CreationGracePeriod < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RejectOldSamplesMaxAge), "time limits must be positive");
        if (LabelCacheSize < 2 || LabelCacheSize > 1 << 24)
            throw new ArgumentOutOfRangeException(nameof(LabelCacheSize), "must be in [2, 2^24]");
        foreach (var name in DiscoverServiceName)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("empty label name in DiscoverServiceName", nameof(DiscoverServiceName));
        }
    }
}
