namespace Strata.Ingest.RemoteWrite;

/// <summary>Reasons a sample (or histogram/exemplar) was not stored; the label value of the rejected-samples metric.</summary>
public enum RejectReason : byte
{
    OutOfOrder,
    DuplicateTimestamp,
    OutOfBounds,
    TooFarInFuture,
    InvalidSeries,
    NativeHistogramUnsupported,
    ExemplarUnsupported,
}

/// <summary>Stable names for <see cref="RejectReason"/> (metric label values).</summary>
public static class RejectReasons
{
    public const int Count = 7;

    public static string Name(RejectReason r) => r switch
    {
        RejectReason.OutOfOrder => "out_of_order",
        RejectReason.DuplicateTimestamp => "duplicate_timestamp",
        RejectReason.OutOfBounds => "out_of_bounds",
        RejectReason.TooFarInFuture => "too_far_in_future",
        RejectReason.InvalidSeries => "invalid_series",
        RejectReason.NativeHistogramUnsupported => "native_histogram_unsupported",
        _ => "exemplar_unsupported",
    };
}
