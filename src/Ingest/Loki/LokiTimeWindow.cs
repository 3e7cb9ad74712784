namespace Strata.Ingest.Loki;

/// <summary>
/// The accepted timestamp range of one push, fixed when its decoding starts (Loki computes it once
/// per request too): entries before <see cref="MinNs"/> are too old (only when
/// <see cref="RejectOld"/>), entries after <see cref="MaxNs"/> too new.
/// </summary>
public readonly record struct LokiTimeWindow(long MinNs, long MaxNs, bool RejectOld)
{
    public static LokiTimeWindow At(DateTimeOffset now, LokiLimits limits)
    {
        long nowNs = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        return new LokiTimeWindow(
            nowNs - limits.RejectOldSamplesMaxAge.Ticks * 100,
            nowNs + limits.CreationGracePeriod.Ticks * 100,
            limits.RejectOldSamples);
    }
}
