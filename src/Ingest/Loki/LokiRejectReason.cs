namespace Strata.Ingest.Loki;

/// <summary>
/// Why pushed entries were not accepted. The names are Loki's <c>reason</c> label values of
/// <c>loki_discarded_samples_total</c> (pkg/validation/validate.go), so dashboards keep working.
/// </summary>
public enum LokiRejectReason : byte
{
    None = 0,
    InvalidLabels,
    MissingLabels,
    MaxLabelNamesPerSeries,
    LabelNameTooLong,
    LabelValueTooLong,
    DuplicateLabelNames,
    InvalidLabelName,
    GreaterThanMaxSampleAge,
    TooFarInFuture,
    LineTooLong,
    DisallowedStructuredMetadata,
    StructuredMetadataTooLarge,
    StructuredMetadataTooMany,
}

/// <summary>Stable names for <see cref="LokiRejectReason"/>.</summary>
public static class LokiRejectReasons
{
    public const int Count = 14;

    public static string Name(LokiRejectReason r) => r switch
    {
        LokiRejectReason.None => "none",
        LokiRejectReason.InvalidLabels => "invalid_labels",
        LokiRejectReason.MissingLabels => "missing_labels",
        LokiRejectReason.MaxLabelNamesPerSeries => "max_label_names_per_series",
        LokiRejectReason.LabelNameTooLong => "label_name_too_long",
        LokiRejectReason.LabelValueTooLong => "label_value_too_long",
        LokiRejectReason.DuplicateLabelNames => "duplicate_label_names",
        // Not a Loki reason: Loki 3 accepts any quoted UTF-8 name (see LokiLimits.AllowUtf8LabelNames).
        LokiRejectReason.InvalidLabelName => "invalid_label_name",
        LokiRejectReason.GreaterThanMaxSampleAge => "greater_than_max_sample_age",
        LokiRejectReason.TooFarInFuture => "too_far_in_future",
        LokiRejectReason.LineTooLong => "line_too_long",
        LokiRejectReason.DisallowedStructuredMetadata => "disallowed_structured_metadata",
        LokiRejectReason.StructuredMetadataTooLarge => "structured_metadata_too_large",
        _ => "structured_metadata_too_many",
    };
}
