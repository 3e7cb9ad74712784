using System.Globalization;
using System.Text;
using Strata.Api.Http;
using Strata.Api.Json;
using Strata.Query.Metadata;
using Strata.Query.PromQL;
using Strata.Storage.Index;
using Strata.Storage.Labels;

namespace Strata.Api.Endpoints;

/// <summary><c>/api/v1/series</c>, <c>/api/v1/labels</c> and <c>/api/v1/label/&lt;name&gt;/values</c>.</summary>
public static class MetadataEndpoints
{
    private const string TruncatedWarning = "results truncated due to limit";

    public static void Map(WebApplication app, SeriesMetadata metadata)
    {
        app.MapMethods("/api/v1/series", ["GET", "POST"], (HttpContext ctx) => Series(ctx, metadata));
        app.MapMethods("/api/v1/labels", ["GET", "POST"], (HttpContext ctx) => Labels(ctx, metadata));
        app.MapMethods("/api/v1/label/{name}/values", ["GET", "POST"], (HttpContext ctx, string name) => Values(ctx, metadata, name));
    }

    private static async Task Series(HttpContext ctx, SeriesMetadata metadata)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (p.GetAll("match[]").Count == 0)
        {
            await ApiResponse.BadData(ctx, "no match[] parameter provided");
            return;
        }
        if (!await TryCommon(ctx, p, out var selectors, out long start, out long end, out int limit)) return;
        var series = metadata.Series(selectors!, start, end);
        var warnings = TruncateList(series, limit);
        await ApiResponse.Success(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var s in series) PromJson.WriteLabels(w, s);
            w.WriteEndArray();
        }, warnings);
    }

    private static async Task Labels(HttpContext ctx, SeriesMetadata metadata)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (!await TryCommon(ctx, p, out var selectors, out long start, out long end, out int limit)) return;
        var names = metadata.LabelNames(selectors!, start, end);
        var warnings = TruncateList(names, limit);
        await ApiResponse.Success(ctx, w => WriteStrings(w, names), warnings);
    }

    private static async Task Values(HttpContext ctx, SeriesMetadata metadata, string name)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (name.StartsWith("U__", StringComparison.Ordinal))
        {
            var decoded = UnescapeName(name[3..]);
            if (decoded == null)
            {
                await ApiResponse.BadData(ctx, $"invalid label name: \"{name}\"");
                return;
            }
            name = decoded;
        }
        if (name.Length == 0)
        {
            await ApiResponse.BadData(ctx, $"invalid label name: \"{name}\"");
            return;
        }
        if (!await TryCommon(ctx, p, out var selectors, out long start, out long end, out int limit)) return;
        var values = metadata.LabelValues(name, selectors!, start, end);
        var warnings = TruncateList(values, limit);
        await ApiResponse.Success(ctx, w => WriteStrings(w, values), warnings);
    }

    private static void WriteStrings(System.Text.Json.Utf8JsonWriter w, List<string> values)
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static List<string>? TruncateList<T>(List<T> list, int limit)
    {
        if (limit <= 0 || list.Count <= limit) return null;
        list.RemoveRange(limit, list.Count - limit);
        return [TruncatedWarning];
    }

    /// <summary>Parses match[], start, end and limit; writes the error response and returns false on bad input.</summary>
    private static Task<bool> TryCommon(HttpContext ctx, ApiParams p, out List<IReadOnlyList<LabelMatcher>>? selectors, out long start, out long end, out int limit)
    {
        selectors = null;
        start = ApiTime.MinTime;
        end = ApiTime.MaxTime;
        limit = 0;
        if (p.Get("start") is { } s && !ApiTime.TryParseTime(s, out start))
            return Fail(ctx, $"invalid parameter \"start\": cannot parse \"{s}\" to a valid timestamp");
        if (p.Get("end") is { } e && !ApiTime.TryParseTime(e, out end))
            return Fail(ctx, $"invalid parameter \"end\": cannot parse \"{e}\" to a valid timestamp");
        if (end < start) return Fail(ctx, "invalid parameter \"end\": end timestamp must not be before start time");
        if (!TryParseLimit(p, out limit, out string? name, out string? reason)) return Fail(ctx, $"invalid parameter \"{name}\": {reason}");
        selectors = [];
        foreach (var m in p.GetAll("match[]"))
        {
            VectorSelector vs;
            try
            {
                vs = PromQLParser.ParseSelector(m);
            }
            catch (ParseException ex)
            {
                return Fail(ctx, ex.Message);
            }
            bool nonEmpty = false;
            foreach (var matcher in vs.Matchers)
            {
                if (!matcher.MatchesEmpty) nonEmpty = true;
            }
            if (!nonEmpty) return Fail(ctx, "match[] must contain at least one non-empty matcher");
            selectors.Add(vs.Matchers);
        }
        return Task.FromResult(true);
    }

    private static async Task<bool> Fail(HttpContext ctx, string message)
    {
        await ApiResponse.BadData(ctx, message);
        return false;
    }

    internal static bool TryParseLimit(ApiParams p, out int limit, out string? name, out string? reason)
    {
        limit = 0;
        name = null;
        reason = null;
        if (p.Get("limit") is not { } s || s.Length == 0) return true;
        if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            name = "limit";
            reason = $"cannot parse \"{s}\" to a valid limit";
            return false;
        }
        if (l < 0)
        {
            name = "limit";
            reason = "limit must be non-negative";
            return false;
        }
        limit = (int)Math.Min(l, int.MaxValue);
        return true;
    }

    /// <summary>
    /// Decodes Prometheus's "values" escaping used in label-name path segments after the <c>U__</c>
    /// prefix: letters, digits and ':' are literal, "__" is '_', "_&lt;hex&gt;_" is that code point.
    /// </summary>
    public static string? UnescapeName(string s)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c != '_')
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != ':') return null;
                sb.Append(c);
                continue;
            }
            if (i + 1 < s.Length && s[i + 1] == '_')
            {
                sb.Append('_');
                i++;
                continue;
            }
            int close = s.IndexOf('_', i + 1);
            if (close < 0) return null;
            if (!int.TryParse(s.AsSpan(i + 1, close - i - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int cp) ||
                cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)
                return null;
            sb.Append(char.ConvertFromUtf32(cp));
            i = close;
        }
        return sb.ToString();
    }
}
