namespace Strata.Query.Engine.Functions;

/// <summary>
/// The numeric kernels of PromQL's range-vector functions (rate family, regression, *_over_time),
/// with Prometheus 3's float semantics.
/// </summary>
/// <remarks>
/// Contract shared by every kernel:
/// <list type="bullet">
/// <item>The input is the float samples of one series in one window (rangeStart, rangeEnd] in
/// milliseconds, ascending and strictly increasing in time, stale markers already removed. Where
/// a kernel takes both spans they have the same length.</item>
/// <item>The return value says whether the step has an output point; when it is false the out
/// value is meaningless (0). No kernel allocates or throws; argument validation that ends a
/// query (e.g. smoothing factors) is the caller's.</item>
/// <item>Native histogram samples are the caller's: it passes only the float samples and adds
/// the mixed-range annotations. Kernels that need scratch space take it from the caller.</item>
/// </list>
/// The file split follows the families: <c>RangeFunctions.Rate.cs</c> (rate, increase, delta,
/// irate, idelta, resets, changes), <c>RangeFunctions.Regression.cs</c> (deriv, predict_linear,
/// double_exponential_smoothing) and <c>RangeFunctions.OverTime.cs</c> (the *_over_time family).
/// </remarks>
internal static partial class RangeFunctions
{
    /// <summary>
    /// A millisecond duration in seconds, computed as Go's <c>time.Duration.Seconds()</c> does
    /// (whole seconds plus the remainder in nanoseconds / 1e9): for a range such as 1001ms this can
    /// differ in the last bit from ms / 1000.0, and rate divides by it.
    /// </summary>
    internal static double DurationSeconds(long milliseconds)
    {
        long whole = milliseconds / 1000;
        long nanos = milliseconds % 1000 * 1_000_000;
        return whole + nanos / 1e9;
    }
}
