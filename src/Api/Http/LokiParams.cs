using System.Globalization;

namespace Strata.Api.Http;

/// <summary>
/// Loki's request parameters: timestamps in seconds, nanoseconds or RFC 3339, <c>since</c>,
/// <c>direction</c>, <c>limit</c> and <c>step</c>, with Loki's defaults and error texts. Times are
/// Unix nanoseconds.
/// </summary>
public static class LokiParams
{
    public const long NanosPerMilli = 1_000_000;

    /// <summary>
    /// Loki's timestamp rule: a float with a dot is seconds; an integer of at most 10 digits is
    /// seconds, longer is nanoseconds; otherwise RFC 3339 (with optional fraction).
    /// </summary>
    public static bool TryParseTimestamp(string s, out long ns)
    {
        ns = 0;
        if (s.Length == 0) return false;
        if (s.Contains('.', StringComparison.Ordinal) &&
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double secs) && double.IsFinite(secs))
        {
            // The fraction is kept to the millisecond, as Loki rounds it.
            ns = (long)Math.Round(secs * 1000, MidpointRounding.AwayFromZero) * NanosPerMilli;
            return true;
        }
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            string digits = s.TrimStart('-', '+');
            ns = digits.Length <= 10 ? n * 1_000_000_000 : n;
            return true;
        }
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto)
            && (s.Contains('T', StringComparison.Ordinal) || s.Contains('t', StringComparison.Ordinal)))
        {
            ns = (dto.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Start and end of a query window: <c>end</c> defaults to now, <c>start</c> to
    /// <c>end - since</c> (since defaults to 1 h; with an end in the future, from now).
    /// </summary>
    public static bool TryWindow(ApiParams p, long nowNs, out long startNs, out long endNs, out string? error)
    {
        startNs = endNs = 0;
        error = null;
        endNs = nowNs;
        if (p.Get("end") is { Length: > 0 } e && !TryParseTimestamp(e, out endNs))
        {
            error = $"invalid end parameter: cannot parse \"{e}\" to a valid timestamp";
            return false;
        }
        long since = 3_600_000_000_000;
        if (p.Get("since") is { Length: > 0 } sn)
        {
            if (!ApiTime.TryParseDuration(sn, out var d, out _))
            {
                error = $"invalid since parameter: cannot parse \"{sn}\" to a valid duration";
                return false;
            }
            since = (long)(d.TotalMilliseconds * NanosPerMilli);
        }
        long from = endNs > nowNs ? nowNs : endNs;
        startNs = from - since;
        if (p.Get("start") is { Length: > 0 } st && !TryParseTimestamp(st, out startNs))
        {
            error = $"invalid start parameter: cannot parse \"{st}\" to a valid timestamp";
            return false;
        }
        return true;
    }

    /// <summary><c>direction</c>: forward or backward (default), case-insensitive.</summary>
    public static bool TryDirection(ApiParams p, out bool backward, out string? error)
    {
        error = null;
        backward = true;
        string? d = p.Get("direction");
        if (string.IsNullOrEmpty(d)) return true;
        if (d.Equals("forward", StringComparison.OrdinalIgnoreCase))
        {
            backward = false;
            return true;
        }
        if (d.Equals("backward", StringComparison.OrdinalIgnoreCase)) return true;
        error = $"invalid direction '{d}'";
        return false;
    }

    /// <summary><c>limit</c>: default 100, must be positive, at most <paramref name="max"/>.</summary>
    public static bool TryLimit(ApiParams p, int max, out int limit, out string? error)
    {
        error = null;
        limit = 100;
        if (p.Get("limit") is not { Length: > 0 } l) return true;
        if (!int.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit))
        {
            error = $"invalid limit parameter: strconv.ParseInt: parsing \"{l}\": invalid syntax";
            return false;
        }
        if (limit <= 0)
        {
            error = "limit must be a positive value";
            return false;
        }
        if (limit > max)
        {
            error = $"max entries limit per query exceeded, limit > max_entries_limit ({limit} > {max})";
            return false;
        }
        return true;
    }

    /// <summary>
    /// <c>step</c> (or <c>interval</c>): float seconds or a Prometheus duration. Missing: Loki's
    /// default of (end - start) / 250, at least one second.
    /// </summary>
    public static bool TryStep(string? text, long startNs, long endNs, out long stepNs, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            stepNs = Math.Max((endNs - startNs) / 250 / 1_000_000_000 * 1_000_000_000, 1_000_000_000);
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double secs) && double.IsFinite(secs))
        {
            stepNs = (long)(secs * 1e9);
            return true;
        }
        if (ApiTime.TryParseDuration(text, out var d, out _))
        {
            stepNs = (long)(d.TotalMilliseconds * NanosPerMilli);
            return true;
        }
        stepNs = 0;
        error = $"invalid step parameter: cannot parse \"{text}\" to a valid duration";
        return false;
    }
}
