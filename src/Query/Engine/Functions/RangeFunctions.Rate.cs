namespace Strata.Query.Engine.Functions;

internal static partial class RangeFunctions
{
    /// <summary><c>rate</c>: the per-second increase over the window, counter resets compensated, extrapolated to the window edges.</summary>
    public static bool Rate(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long rangeStart, long rangeEnd, out double r)
        => ExtrapolatedRate(ts, vs, rangeStart, rangeEnd, isCounter: true, isRate: true, out r);

    /// <summary><c>increase</c>: as <see cref="Rate"/> but not divided by the range.</summary>
    public static bool Increase(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long rangeStart, long rangeEnd, out double r)
        => ExtrapolatedRate(ts, vs, rangeStart, rangeEnd, isCounter: true, isRate: false, out r);

    /// <summary>
    /// <see cref="Rate"/> (or <see cref="Increase"/>) for a window the caller knows holds no counter
    /// drop: the same result without the reset scan, which is the common case for range queries.
    /// </summary>
    public static bool CounterWithoutResets(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long rangeStart, long rangeEnd, bool isRate, out double r)
        => ExtrapolatedRate(ts, vs, rangeStart, rangeEnd, isCounter: true, isRate, out r, scanResets: false);

    /// <summary><c>delta</c>: last minus first for gauges, extrapolated to the window edges, no reset handling and no zero floor.</summary>
    public static bool Delta(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long rangeStart, long rangeEnd, out double r)
        => ExtrapolatedRate(ts, vs, rangeStart, rangeEnd, isCounter: false, isRate: false, out r);

    /// <summary>
    /// The shared body of rate, increase and delta. Needs at least two samples.
    /// </summary>
    /// <remarks>
    /// The raw difference between the last and first sample (plus, for counters, the value before
    /// each drop) covers only the sampled interval. It is scaled up to the window on each side by
    /// the gap to the window edge, but only if that gap is under 1.1 average sample intervals;
    /// a longer gap means the series starts or ends inside the window, and then it is extended by
    /// half an interval only. For counters the start extension is further cut where the line
    /// through the samples would cross zero, because a counter cannot have been negative.
    /// </remarks>
    private static bool ExtrapolatedRate(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, long rangeStart, long rangeEnd,
        bool isCounter, bool isRate, out double r, bool scanResets = true)
    {
        int n = vs.Length;
        if (n < 2)
        {
            r = 0;
            return false;
        }

        double first = vs[0];
        double result = vs[n - 1] - first;
        if (isCounter && scanResets)
        {
            // A drop is a reset to 0: what was counted before it is added back. Same addition order as Prometheus.
            double prev = first;
            for (int i = 1; i < n; i++)
            {
                double cur = vs[i];
                if (cur < prev)
                {
                    result += prev;
                }
                prev = cur;
            }
        }

        long firstT = ts[0], lastT = ts[n - 1];
        double durationToStart = (firstT - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - lastT) / 1000.0;
        double sampledInterval = (lastT - firstT) / 1000.0;
        double averageInterval = sampledInterval / (n - 1);
        double threshold = averageInterval * 1.1;

        if (durationToStart >= threshold)
        {
            durationToStart = averageInterval / 2;
        }
        if (isCounter && result > 0 && first >= 0)
        {
            double durationToZero = sampledInterval * (first / result);
            if (durationToZero < durationToStart)
            {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold)
        {
            durationToEnd = averageInterval / 2;
        }

        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate)
        {
            factor /= DurationSeconds(rangeEnd - rangeStart);
        }
        r = result * factor;
        return true;
    }

    /// <summary><c>irate</c>: per-second rate between the last two samples; after a drop the last value itself is the increase.</summary>
    public static bool Irate(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r) => InstantValue(ts, vs, isRate: true, out r);

    /// <summary><c>idelta</c>: difference between the last two samples.</summary>
    public static bool Idelta(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r) => InstantValue(ts, vs, isRate: false, out r);

    private static bool InstantValue(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, bool isRate, out double r)
    {
        int n = vs.Length;
        if (n < 2)
        {
            r = 0;
            return false;
        }
        long interval = ts[n - 1] - ts[n - 2];
        if (interval == 0)
        {
            r = 0;
            return false;
        }
        double last = vs[n - 1], prev = vs[n - 2];
        // Written as "not a drop" so a NaN on either side takes the subtraction and yields NaN.
        r = isRate && last < prev ? last : last - prev;
        if (isRate)
        {
            r /= interval / 1000.0;
        }
        return true;
    }

    /// <summary>
    /// <c>resets</c>: how many times a sample is lower than the one before it. Needs one sample.
    /// The timestamps are unused for floats; they keep the window-kernel shape and will order
    /// floats against histograms (a switch between the two counts as a reset).
    /// </summary>
    public static bool Resets(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        int resets = 0;
        for (int i = 1; i < vs.Length; i++)
        {
            if (vs[i] < vs[i - 1])
            {
                resets++;
            }
        }
        r = resets;
        return true;
    }

    /// <summary>
    /// <c>changes</c>: how many times a sample differs from the one before it; NaN followed by NaN
    /// is not a change. Needs one sample. Timestamps as for <see cref="Resets"/>.
    /// </summary>
    public static bool Changes(ReadOnlySpan<long> ts, ReadOnlySpan<double> vs, out double r)
    {
        if (vs.IsEmpty)
        {
            r = 0;
            return false;
        }
        int changes = 0;
        for (int i = 1; i < vs.Length; i++)
        {
            double cur = vs[i], prev = vs[i - 1];
            if (cur != prev && !(double.IsNaN(cur) && double.IsNaN(prev)))
            {
                changes++;
            }
        }
        r = changes;
        return true;
    }
}
