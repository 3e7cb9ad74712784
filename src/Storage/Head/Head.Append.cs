namespace Strata.Storage.Head;

public sealed partial class Head
{
    /// <summary>
    /// Appends samples of one series in order, under one acquisition of the series lock. Writes the
    /// outcome of each sample into <paramref name="results"/> and returns how many were stored.
    /// </summary>
    public int Append(MemSeries series, ReadOnlySpan<long> timestamps, ReadOnlySpan<double> values, Span<AppendResult> results)
    {
        int stored = 0;
        long min = long.MaxValue, max = long.MinValue;
        long minValid = Volatile.Read(ref _minValidTime);
        long window = Options.OutOfOrderWindowMs;
        long oooFloor = window > 0 ? Math.Max(minValid, MaxTime - window) : long.MaxValue;
        lock (series)
        {
            for (int i = 0; i < timestamps.Length; i++)
            {
                var r = series.AppendLocked(timestamps[i], values[i], Options, minValid, oooFloor);
                results[i] = r;
                if (r == AppendResult.Appended)
                {
                    stored++;
                    long t = timestamps[i];
                    if (t < min) min = t;
                    if (t > max) max = t;
                }
            }
        }
        if (stored > 0)
        {
            Interlocked.Add(ref _samplesAppended, stored);
            UpdateBounds(min, max);
        }
        return stored;
    }

    /// <summary>Appends one sample (tests, replay and other cold paths).</summary>
    public AppendResult Append(MemSeries series, long t, double v)
    {
        Span<AppendResult> r = stackalloc AppendResult[1];
        Append(series, [t], [v], r);
        return r[0];
    }

    private void UpdateBounds(long min, long max)
    {
        long cur;
        while (min < (cur = Interlocked.Read(ref _minTime)))
        {
            if (Interlocked.CompareExchange(ref _minTime, min, cur) == cur) break;
        }
        while (max > (cur = Interlocked.Read(ref _maxTime)))
        {
            if (Interlocked.CompareExchange(ref _maxTime, max, cur) == cur) break;
        }
    }
}
