namespace Strata.QueryCompare;

/// <summary>Order statistics over one server's timed runs of one query, in milliseconds.</summary>
public readonly record struct Latency(double Median, double P90)
{
    public static Latency Of(IReadOnlyCollection<double> samplesMs)
    {
        var s = samplesMs.Order().ToArray();
        if (s.Length == 0) return new Latency(double.NaN, double.NaN);
        double median = s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        // Nearest rank, as in most load tools: with 15 runs p90 is the 14th fastest.
        double p90 = s[(int)Math.Ceiling(0.9 * s.Length) - 1];
        return new Latency(median, p90);
    }

    public static double MedianOf(IEnumerable<double> values) => Of(values.ToArray()).Median;
}
