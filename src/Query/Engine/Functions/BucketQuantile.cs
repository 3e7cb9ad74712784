namespace Strata.Query.Engine.Functions;

/// <summary>
/// <c>histogram_quantile</c> over the classic <c>le</c> buckets of one series group, with
/// Prometheus 3's rules: linear interpolation inside the bucket holding the rank, 0 as the lower
/// edge of the lowest bucket when its upper bound is positive, the second-highest bound when the
/// rank lands in the +Inf bucket, and a repair of non-monotonic cumulative counts.
/// Native histograms take a different path and are not handled here.
/// </summary>
internal static class BucketQuantile
{
    /// <summary>
    /// Relative difference under which two neighbouring cumulative counts are taken as equal
    /// (float noise from rate() and sums, not a real decrease). A real one-observation step only
    /// falls below it in a bucket holding about 10¹² observations.
    /// </summary>
    internal const double SmallDeltaTolerance = 1e-12;

    private const double MinNormal = 2.2250738585072014e-308; // smallest positive normal double

    /// <summary>
    /// Returns the <paramref name="q"/>-quantile estimated from <paramref name="buckets"/>.
    /// </summary>
    /// <param name="q">φ; NaN → NaN, below 0 → −Inf, above 1 → +Inf (the caller adds the invalid-quantile warning).</param>
    /// <param name="buckets">
    /// Buckets in any order. The span is used as scratch: it is sorted by upper bound, buckets with
    /// equal bounds (e.g. <c>le="0.2"</c> and <c>le="2e-1"</c>) are merged by summing their counts
    /// into a prefix, and counts are repaired in place.
    /// </param>
    /// <param name="forcedMonotonic">
    /// True when a count lower than a previous one had to be raised; the caller then emits the info
    /// annotation "input to histogram_quantile needed to be fixed for monotonicity".
    /// </param>
    /// <param name="fixedPrecision">True when counts differing only by float noise were made equal (no annotation in Prometheus).</param>
    /// <returns>
    /// NaN when there is no +Inf bucket, fewer than two distinct bounds, or zero observations
    /// (the flags are then false, as in Prometheus).
    /// </returns>
    public static double Quantile(double q, Span<Bucket> buckets, out bool forcedMonotonic, out bool fixedPrecision)
    {
        forcedMonotonic = false;
        fixedPrecision = false;
        if (double.IsNaN(q))
        {
            return double.NaN;
        }
        if (q < 0)
        {
            return double.NegativeInfinity;
        }
        if (q > 1)
        {
            return double.PositiveInfinity;
        }
        if (buckets.IsEmpty)
        {
            return double.NaN;
        }

        // A total order (NaN bounds first) rather than Go's "NaN equals everything" comparator:
        // an inconsistent comparer can make introsort throw, and NaN bounds are garbage either way.
        buckets.Sort(default(ByUpperBound));
        if (!double.IsPositiveInfinity(buckets[^1].UpperBound))
        {
            return double.NaN;
        }

        buckets = Coalesce(buckets);
        bool forced = EnsureMonotonic(buckets, SmallDeltaTolerance, out bool fixedNoise);

        if (buckets.Length < 2)
        {
            return double.NaN;
        }
        double observations = buckets[^1].Count;
        if (observations == 0)
        {
            return double.NaN;
        }
        forcedMonotonic = forced;
        fixedPrecision = fixedNoise;

        double rank = q * observations;
        int b = SearchFirstCountAtLeast(buckets[..^1], rank);
        if (b == buckets.Length - 1)
        {
            return buckets[^2].UpperBound;
        }
        if (b == 0 && buckets[0].UpperBound <= 0)
        {
            return buckets[0].UpperBound;
        }

        double bucketStart = 0;
        double bucketEnd = buckets[b].UpperBound;
        double count = buckets[b].Count;
        if (b > 0)
        {
            bucketStart = buckets[b - 1].UpperBound;
            count -= buckets[b - 1].Count;
            rank -= buckets[b - 1].Count;
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /// <summary>Merges runs of equal upper bounds (input sorted) into a prefix and returns it.</summary>
    private static Span<Bucket> Coalesce(Span<Bucket> buckets)
    {
        Bucket last = buckets[0];
        int w = 0;
        for (int i = 1; i < buckets.Length; i++)
        {
            Bucket b = buckets[i];
            if (b.UpperBound == last.UpperBound)
            {
                last = last with { Count = last.Count + b.Count };
            }
            else
            {
                buckets[w++] = last;
                last = b;
            }
        }
        buckets[w] = last;
        return buckets[..(w + 1)];
    }

    /// <summary>
    /// Walks the counts upwards: a count within <paramref name="tolerance"/> of the last accepted
    /// one is set equal to it (either direction, reported in <paramref name="fixedPrecision"/>); a
    /// count below it is raised to it (returned as "forced"). Neither kind of corrected bucket
    /// becomes the new reference, so a run of small drifts cannot add up past the tolerance.
    /// </summary>
    private static bool EnsureMonotonic(Span<Bucket> buckets, double tolerance, out bool fixedPrecision)
    {
        bool forced = false;
        fixedPrecision = false;
        double prev = buckets[0].Count;
        for (int i = 1; i < buckets.Length; i++)
        {
            double curr = buckets[i].Count;
            if (curr == prev)
            {
                continue;
            }
            if (AlmostEqual(prev, curr, tolerance))
            {
                buckets[i] = buckets[i] with { Count = prev };
                fixedPrecision = true;
                continue;
            }
            if (curr < prev)
            {
                buckets[i] = buckets[i] with { Count = prev };
                forced = true;
                continue;
            }
            prev = curr;
        }
        return forced;
    }

    /// <summary>
    /// Relative equality as Prometheus's util/almost: |a−b| / (|a|+|b|) &lt; ε, with an absolute
    /// test near zero where the relative one is meaningless. Two NaNs are equal.
    /// </summary>
    internal static bool AlmostEqual(double a, double b, double epsilon)
    {
        if (double.IsNaN(a) && double.IsNaN(b))
        {
            return true;
        }
        if (a == b)
        {
            return true;
        }
        double absSum = Math.Abs(a) + Math.Abs(b);
        double diff = Math.Abs(a - b);
        if (a == 0 || b == 0 || absSum < MinNormal)
        {
            return diff < epsilon * MinNormal;
        }
        return diff / Math.Min(absSum, double.MaxValue) < epsilon;
    }

    /// <summary>
    /// Index of the first bucket whose count is ≥ <paramref name="rank"/>, or the length if none.
    /// A binary search probing the same indexes as Go's sort.Search, so that counts which are still
    /// not monotonic (NaN counts survive the repair) select the same bucket as Prometheus.
    /// </summary>
    private static int SearchFirstCountAtLeast(ReadOnlySpan<Bucket> buckets, double rank)
    {
        int lo = 0, hi = buckets.Length;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (!(buckets[mid].Count >= rank))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>Orders buckets by upper bound; a struct so the generic sort is specialised and nothing is boxed.</summary>
    private readonly struct ByUpperBound : IComparer<Bucket>
    {
        public int Compare(Bucket x, Bucket y) => x.UpperBound.CompareTo(y.UpperBound);
    }
}
