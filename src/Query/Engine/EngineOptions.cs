namespace Strata.Query.Engine;

/// <summary>PromQL engine limits and defaults (Prometheus's flag defaults).</summary>
public sealed record EngineOptions
{
    /// <summary><c>--query.lookback-delta</c>: how far back an instant selector looks for a sample.</summary>
    public TimeSpan LookbackDelta { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>--query.timeout</c>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary><c>--query.max-samples</c>: samples a query may hold in memory at once.</summary>
    public long MaxSamples { get; init; } = 50_000_000;

    /// <summary><c>--query.max-concurrency</c>.</summary>
    public int MaxConcurrency { get; init; } = 20;

    /// <summary>Points per series a range query may return.</summary>
    public int MaxPointsPerSeries { get; init; } = 11_000;

    public void Validate()
    {
        if (LookbackDelta <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(LookbackDelta), "lookback delta must be positive");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Timeout), "query timeout must be positive");
        if (MaxSamples <= 0) throw new ArgumentOutOfRangeException(nameof(MaxSamples), "max samples must be positive");
        if (MaxConcurrency <= 0) throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), "max concurrency must be positive");
    }
}
