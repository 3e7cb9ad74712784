namespace Strata.QueryCompare;

/// <summary>Everything measured for one query: both servers' latencies and whether their answers agree.</summary>
public sealed record QueryOutcome(int Index, QuerySpec Query, Latency Strata, Latency Prometheus, Comparison Comparison)
{
    /// <summary>Prometheus median over Strata median; only meaningful when both answered 200.</summary>
    public double Ratio => Comparison.Error ? double.NaN : Prometheus.Median / Strata.Median;
}
