using System.Globalization;
using Strata.Api.Http;
using Strata.Api.Json;
using Strata.Query.Engine;
using Strata.Query.PromQL;

namespace Strata.Api.Endpoints;

/// <summary><c>/api/v1/query</c>, <c>/api/v1/query_range</c>, <c>/api/v1/format_query</c> and <c>/api/v1/parse_query</c> over GET and form POST.</summary>
public static class QueryEndpoints
{
    private const string TruncatedWarning = "results truncated due to limit";

    public static void Map(WebApplication app, PromQLEngine engine, TimeProvider clock)
    {
        app.MapMethods("/api/v1/query", ["GET", "POST"], (HttpContext ctx) => Instant(ctx, engine, clock));
        app.MapMethods("/api/v1/query_range", ["GET", "POST"], (HttpContext ctx) => Range(ctx, engine));
        app.MapMethods("/api/v1/format_query", ["GET", "POST"], FormatQuery);
        app.MapMethods("/api/v1/parse_query", ["GET", "POST"], ParseQuery);
    }

    private static async Task Instant(HttpContext ctx, PromQLEngine engine, TimeProvider clock)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        long time = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (p.Get("time") is { } ts && !ApiTime.TryParseTime(ts, out time))
        {
            await ApiResponse.InvalidParam(ctx, "time", $"cannot parse \"{ts}\" to a valid timestamp");
            return;
        }
        if (!TryCommon(p, out var settings, out int limit, out string? name, out string? reason))
        {
            await ApiResponse.InvalidParam(ctx, name!, reason!);
            return;
        }
        if (!TryParse(p.Get("query") ?? "", out var expr, out string? parseError))
        {
            await ApiResponse.InvalidParam(ctx, "query", parseError!);
            return;
        }
        QueryValue result;
        try
        {
            result = engine.Instant(expr!, time, settings, ctx.RequestAborted);
        }
        catch (QueryException e)
        {
            await ApiResponse.Error(ctx, e.Type, e.Message);
            return;
        }
        await Respond(ctx, p, result, limit);
    }

    private static async Task Range(HttpContext ctx, PromQLEngine engine)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        string startText = p.Get("start") ?? "";
        if (!ApiTime.TryParseTime(startText, out long start))
        {
            await ApiResponse.InvalidParam(ctx, "start", $"cannot parse \"{startText}\" to a valid timestamp");
            return;
        }
        string endText = p.Get("end") ?? "";
        if (!ApiTime.TryParseTime(endText, out long end))
        {
            await ApiResponse.InvalidParam(ctx, "end", $"cannot parse \"{endText}\" to a valid timestamp");
            return;
        }
        if (end < start)
        {
            await ApiResponse.InvalidParam(ctx, "end", "end timestamp must not be before start time");
            return;
        }
        string stepText = p.Get("step") ?? "";
        if (!ApiTime.TryParseDuration(stepText, out var stepSpan, out string? stepError))
        {
            await ApiResponse.InvalidParam(ctx, "step", stepError!);
            return;
        }
        long step = (long)stepSpan.TotalMilliseconds;
        if (step <= 0)
        {
            await ApiResponse.InvalidParam(ctx, "step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
            return;
        }
        if ((end - start) / step > engine.Options.MaxPointsPerSeries)
        {
            await ApiResponse.BadData(ctx, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
            return;
        }
        if (!TryCommon(p, out var settings, out int limit, out string? name, out string? reason))
        {
            await ApiResponse.InvalidParam(ctx, name!, reason!);
            return;
        }
        if (!TryParse(p.Get("query") ?? "", out var expr, out string? parseError))
        {
            await ApiResponse.InvalidParam(ctx, "query", parseError!);
            return;
        }
        MatrixResult result;
        try
        {
            result = engine.Range(expr!, start, end, step, settings, ctx.RequestAborted);
        }
        catch (QueryException e)
        {
            await ApiResponse.Error(ctx, e.Type, e.Message);
            return;
        }
        await Respond(ctx, p, result, limit);
    }

    /// <summary>The success envelope: result, optional <c>stats</c>, then annotations split into warnings and infos.</summary>
    private static Task Respond(HttpContext ctx, ApiParams p, QueryValue result, int limit)
    {
        var warnings = new List<string>();
        var infos = new List<string>();
        foreach (var a in result.Annotations)
        {
            (a.Level == AnnotationLevel.Warning ? warnings : infos).Add(a.Message);
        }
        if (Truncate(result, limit)) warnings.Add(TruncatedWarning);
        bool stats = p.Get("stats") is { Length: > 0 } st && st != "false";
        return ApiResponse.Success(ctx, w =>
        {
            w.WriteStartObject();
            PromJson.WriteQueryData(w, result);
            if (stats) PromJson.WriteStats(w, result.Stats);
            w.WriteEndObject();
        }, warnings, infos);
    }

    private static async Task FormatQuery(HttpContext ctx)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (!TryParse(p.Get("query") ?? "", out var expr, out string? error))
        {
            await ApiResponse.InvalidParam(ctx, "query", error!);
            return;
        }
        await ApiResponse.Success(ctx, w => w.WriteStringValue(PromQLPrinter.Prettify(expr!)));
    }

    private static async Task ParseQuery(HttpContext ctx)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (!TryParse(p.Get("query") ?? "", out var expr, out string? error))
        {
            await ApiResponse.InvalidParam(ctx, "query", error!);
            return;
        }
        await ApiResponse.Success(ctx, w => AstJson.Write(w, expr!));
    }

    private static bool TryParse(string query, out Expr? expr, out string? error)
    {
        try
        {
            expr = PromQLParser.ParseExpr(query);
            error = null;
            return true;
        }
        catch (ParseException e)
        {
            expr = null;
            error = e.Message;
            return false;
        }
    }

    private static bool TryCommon(ApiParams p, out QuerySettings settings, out int limit, out string? name, out string? reason)
    {
        settings = default;
        limit = 0;
        name = null;
        reason = null;
        if (p.Get("timeout") is { } t)
        {
            if (!ApiTime.TryParseDuration(t, out var d, out reason))
            {
                name = "timeout";
                return false;
            }
            settings = settings with { Timeout = d > TimeSpan.Zero ? d : null };
        }
        if (p.Get("lookback_delta") is { } lb)
        {
            if (!ApiTime.TryParseDuration(lb, out var d, out reason))
            {
                name = "lookback_delta";
                return false;
            }
            settings = settings with { LookbackDelta = d > TimeSpan.Zero ? d : null };
        }
        return MetadataEndpoints.TryParseLimit(p, out limit, out name, out reason);
    }

    private static bool Truncate(QueryValue value, int limit)
    {
        if (limit <= 0) return false;
        if (value is VectorResult v && v.Samples.Count > limit)
        {
            v.Samples.RemoveRange(limit, v.Samples.Count - limit);
            return true;
        }
        if (value is MatrixResult m && m.Series.Count > limit)
        {
            m.Series.RemoveRange(limit, m.Series.Count - limit);
            return true;
        }
        return false;
    }
}
