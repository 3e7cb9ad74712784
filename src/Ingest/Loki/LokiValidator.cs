using System.Globalization;
using System.Text;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Ingest.Loki;

/// <summary>
/// Loki's push validation (pkg/distributor/validator.go, ValidateLabels and ValidateEntry) with its
/// error texts (pkg/validation/validate.go), so that clients, alerts on them and log searches see
/// what Loki would have said. Label checks run once per distinct label text (their result is
/// cached); entry checks are a few compares per line and allocate nothing unless they fail.
/// </summary>
/// <remarks>Stateless apart from the immutable limits; thread-safe.</remarks>
public sealed class LokiValidator
{
    private readonly LokiLimits _limits;

    public LokiValidator(LokiLimits limits)
    {
        limits.Validate();
        _limits = limits;
    }

    public LokiLimits Limits => _limits;

    /// <summary>
    /// Turns a stream's parsed label pairs into its label set as Loki does: drops empty values
    /// (syntax.ParseLabels), adds <c>service_name</c> (<see cref="ServiceNameDiscovery"/>), sorts,
    /// then applies, in Loki's order, the missing-labels, label-count (not counting
    /// <c>service_name</c>), name-length, value-length and duplicate-name checks, and last our
    /// label-name syntax check (<see cref="LokiLimits.AllowUtf8LabelNames"/>). Streams carrying
    /// <c>__aggregated_metric__</c> or <c>__pattern__</c> skip the checks, as in Loki.
    /// </summary>
    /// <param name="pairs">Parsed pairs in any order; reordered and filtered in place.</param>
    /// <param name="rawText">The label text as sent, which Loki quotes in label errors when it added no <c>service_name</c>.</param>
    /// <param name="labels">The label set, or null when rejected.</param>
    /// <param name="labelsText">The final labels as Loki prints them in entry errors.</param>
    /// <param name="error">The 400 message when rejected.</param>
    public LokiRejectReason ValidateLabels(List<Label> pairs, string rawText, out LabelSet? labels, out string labelsText, out string? error)
    {
        labels = null;
        error = null;
        pairs.RemoveAll(static l => l.Value.Length == 0);
        string? service = ServiceNameDiscovery.Derive(pairs, _limits.DiscoverServiceName);
        if (service is not null) pairs.Add(new Label(ServiceNameDiscovery.LabelName, service));

        var sorted = pairs.ToArray();
        // Stable, so duplicate names keep their text order and messages are deterministic (Prometheus'
        // labels.New sorts with slices.SortFunc, which leaves the order of equal names unspecified).
        var order = new int[sorted.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int c = Utf8Order.CompareStrings(sorted[a].Name, sorted[b].Name);
            return c != 0 ? c : a.CompareTo(b);
        });
        var ordered = new Label[sorted.Length];
        for (int i = 0; i < order.Length; i++) ordered[i] = sorted[order[i]];
        sorted = ordered;

        labelsText = GoText.Labels(sorted);
        string streamText = service is not null ? labelsText : rawText;

        var reason = Check(sorted, streamText, out error);
        if (reason == LokiRejectReason.None) labels = new LabelSet(sorted);
        return reason;
    }

    private LokiRejectReason Check(Label[] sorted, string streamText, out string? error)
    {
        error = null;
        if (sorted.Length == 0)
        {
            error = "error at least one label pair is required per stream";
            return LokiRejectReason.MissingLabels;
        }
        int count = sorted.Length;
        foreach (var l in sorted)
        {
            if (l.Name is ServiceNameDiscovery.AggregatedMetricLabel or ServiceNameDiscovery.PatternLabel)
                return Duplicate(sorted, streamText, out error);
            if (l.Name == ServiceNameDiscovery.LabelName) count--;
        }
        if (count > _limits.MaxLabelNamesPerSeries)
        {
            error = $"entry for stream '{streamText}' has {count} label names; limit {_limits.MaxLabelNamesPerSeries}";
            return LokiRejectReason.MaxLabelNamesPerSeries;
        }
        for (int i = 0; i < sorted.Length; i++)
        {
            var l = sorted[i];
            if (Encoding.UTF8.GetByteCount(l.Name) > _limits.MaxLabelNameLength)
            {
                error = $"stream '{streamText}' has label name too long: '{l.Name}'";
                return LokiRejectReason.LabelNameTooLong;
            }
            if (Encoding.UTF8.GetByteCount(l.Value) > _limits.MaxLabelValueLength)
            {
                error = $"stream '{streamText}' has label value too long: '{l.Value}'";
                return LokiRejectReason.LabelValueTooLong;
            }
            if (i > 0 && sorted[i - 1].Name == l.Name)
            {
                error = $"stream '{streamText}' has duplicate label name: '{l.Name}'";
                return LokiRejectReason.DuplicateLabelNames;
            }
            if (!_limits.AllowUtf8LabelNames && !LokiLabelParser.IsLegacyName(l.Name))
            {
                error = $"stream '{streamText}' has invalid label name: '{l.Name}'";
                return LokiRejectReason.InvalidLabelName;
            }
        }
        return LokiRejectReason.None;
    }

    // Loki skips every check for its internal streams; a LabelSet still needs unique names.
    private static LokiRejectReason Duplicate(Label[] sorted, string streamText, out string? error)
    {
        error = null;
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Name == sorted[i].Name)
            {
                error = $"stream '{streamText}' has duplicate label name: '{sorted[i].Name}'";
                return LokiRejectReason.DuplicateLabelNames;
            }
        }
        return LokiRejectReason.None;
    }

    /// <summary>
    /// Loki's entry checks in its order: too old, too new, line size, then structured metadata
    /// (allowed, total size, count). Lines are expected to be truncated already when
    /// <see cref="LokiLimits.TruncateLongLines"/> is set.
    /// </summary>
    public LokiRejectReason ValidateEntry(in LogEntry entry, in LokiTimeWindow window)
    {
        if (window.RejectOld && entry.TimestampNs < window.MinNs) return LokiRejectReason.GreaterThanMaxSampleAge;
        if (entry.TimestampNs > window.MaxNs) return LokiRejectReason.TooFarInFuture;
        if (_limits.MaxLineSize != 0 && entry.Line.Length > _limits.MaxLineSize) return LokiRejectReason.LineTooLong;
        var metadata = entry.Metadata;
        if (metadata.Length > 0)
        {
            if (!_limits.AllowStructuredMetadata) return LokiRejectReason.DisallowedStructuredMetadata;
            if (_limits.MaxStructuredMetadataSize != 0 && MetadataSize(metadata) > _limits.MaxStructuredMetadataSize)
                return LokiRejectReason.StructuredMetadataTooLarge;
            if (_limits.MaxStructuredMetadataCount != 0 && metadata.Length > _limits.MaxStructuredMetadataCount)
                return LokiRejectReason.StructuredMetadataTooMany;
        }
        return LokiRejectReason.None;
    }

    /// <summary>Loki's util.StructuredMetadataSize: name plus value bytes.</summary>
    public static int MetadataSize(Label[] metadata)
    {
        int n = 0;
        foreach (var l in metadata) n += Encoding.UTF8.GetByteCount(l.Name) + Encoding.UTF8.GetByteCount(l.Value);
        return n;
    }

    /// <summary>The message for an entry <see cref="ValidateEntry"/> rejected (cold path).</summary>
    public string DescribeEntry(LokiRejectReason reason, string labelsText, in LogEntry entry, in LokiTimeWindow window) => reason switch
    {
        LokiRejectReason.GreaterThanMaxSampleAge =>
            $"entry for stream '{labelsText}' has timestamp too old: {GoText.Rfc3339(entry.TimestampNs)}, oldest acceptable timestamp is: {GoText.Rfc3339(window.MinNs)}",
        LokiRejectReason.TooFarInFuture =>
            $"entry for stream '{labelsText}' has timestamp too new: {GoText.Rfc3339(entry.TimestampNs)}",
        LokiRejectReason.LineTooLong => string.Create(CultureInfo.InvariantCulture,
            $"Max entry size '{_limits.MaxLineSize}' bytes exceeded for stream '{labelsText}' while adding an entry with length '{entry.Line.Length}' bytes"),
        LokiRejectReason.DisallowedStructuredMetadata =>
            $"stream '{labelsText}' includes structured metadata, but this feature is disallowed. Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it.",
        LokiRejectReason.StructuredMetadataTooLarge => string.Create(CultureInfo.InvariantCulture,
            $"stream '{labelsText}' has structured metadata too large: '{MetadataSize(entry.Metadata)}' bytes, limit: '{_limits.MaxStructuredMetadataSize}' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it."),
        LokiRejectReason.StructuredMetadataTooMany => string.Create(CultureInfo.InvariantCulture,
            $"stream '{labelsText}' has too many structured metadata labels: '{entry.Metadata.Length}', limit: '{_limits.MaxStructuredMetadataCount}'. Please see `limits_config.max_structured_metadata_entries_count` or contact your Loki administrator to increase it."),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "not an entry rejection"),
    };
}
