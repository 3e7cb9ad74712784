using System.Globalization;
using Microsoft.Extensions.Primitives;
using Strata.Query.PromQL;

namespace Strata.Api.Http;

/// <summary>
/// Request parameters merged as Go's <c>r.Form</c>: form-encoded body values first, then the query
/// string. Single-valued parameters take the first value; <c>match[]</c>-style ones take all.
/// </summary>
public sealed class ApiParams
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static async Task<ApiParams> ReadAsync(HttpRequest request)
    {
        var p = new ApiParams();
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            foreach (var (k, v) in form) p.Add(k, v);
        }
        foreach (var (k, v) in request.Query) p.Add(k, v);
        return p;
    }

    private void Add(string key, StringValues values)
    {
        if (!_values.TryGetValue(key, out var list)) _values[key] = list = [];
        foreach (var v in values)
        {
            if (v != null) list.Add(v);
        }
    }

    public string? Get(string name) => _values.TryGetValue(name, out var l) && l.Count > 0 ? l[0] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var l) ? l : [];
}

/// <summary>Prometheus API time and duration parameter parsing (spec §1.4–1.5).</summary>
public static class ApiTime
{
    /// <summary>The ms renderings of Prometheus's MinTime and MaxTime (used for "unbounded").</summary>
    public const long MinTime = (long.MinValue / 1000 + 62135596801L) * 1000;
    public const long MaxTime = (long.MaxValue / 1000 - 62135596801L) * 1000 + 999;

    public static bool TryParseTime(string s, out long ms)
    {
        ms = 0;
        if (s.Length == 0) return false;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
        {
            if (double.IsNaN(f) || double.IsInfinity(f)) return false;
            double sec = Math.Truncate(f);
            double frac = Math.Round((f - sec) * 1000);
            if (sec > long.MaxValue / 1000.0 - 1 || sec < long.MinValue / 1000.0 + 1) return false;
            ms = (long)sec * 1000 + (long)frac;
            return true;
        }
        // RFC 3339-shaped strings with a year outside 0000-9999 are Go clients' Min/MaxTime.
        int dash = s.IndexOf('-', 1);
        if (dash > 0 && s.Contains('T', StringComparison.Ordinal) &&
            long.TryParse(s.AsSpan(0, dash), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long year) &&
            (year < 0 || year > 9999))
        {
            ms = year < 0 ? MinTime : MaxTime;
            return true;
        }
        if (!s.Contains('T', StringComparison.Ordinal)) return false;
        // .NET parses at most 7 fractional digits; RFC 3339 allows any number (Go sends 9).
        string t = TrimFraction(s);
        if (DateTimeOffset.TryParseExact(t, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var dto))
        {
            ms = dto.ToUnixTimeMilliseconds();
            return true;
        }
        return false;
    }

    private static string TrimFraction(string s)
    {
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return s;
        int end = dot + 1;
        while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
        if (end - dot - 1 <= 7) return s;
        return string.Concat(s.AsSpan(0, dot + 8), s.AsSpan(end));
    }

    /// <summary>A duration as float seconds or Prometheus duration syntax.</summary>
    public static bool TryParseDuration(string s, out TimeSpan d, out string? error)
    {
        error = null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
        {
            double ns = f * 1e9;
            if (double.IsNaN(ns) || ns >= 9.223372036854775807e18 || ns <= -9.223372036854775808e18)
            {
                d = default;
                error = $"cannot parse \"{s}\" to a valid duration. It overflows int64";
                return false;
            }
            d = TimeSpan.FromTicks((long)(ns / 100));
            return true;
        }
        if (PromDuration.TryParse(s, out long ms, out _))
        {
            d = TimeSpan.FromMilliseconds(ms);
            return true;
        }
        d = default;
        error = $"cannot parse \"{s}\" to a valid duration";
        return false;
    }
}
