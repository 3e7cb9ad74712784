using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Strata.Storage.Index;

/// <summary>
/// Compiles anchored, non-backtracking regexes once per pattern. Bounded: past the cap it stops
/// caching rather than growing with every distinct user pattern.
/// </summary>
public static class RegexCache
{
    private const int MaxEntries = 4096;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>Returns the compiled, fully anchored regex; throws <see cref="ArgumentException"/> on bad syntax.</summary>
    public static Regex Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var re)) return re;
        re = new Regex("^(?:" + pattern + ")$",
            RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.ExplicitCapture);
        if (Cache.Count < MaxEntries) Cache.TryAdd(pattern, re);
        return re;
    }
}
