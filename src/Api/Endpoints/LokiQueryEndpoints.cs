using System.Text.Json;
using Strata.Api.Http;
using Strata.Api.Json;
using Strata.Query.Engine;
using Strata.Query.LogQL;
using Strata.Query.LogQL.Engine;
using Strata.Storage.Labels;

namespace Strata.Api.Endpoints;

/// <summary>
/// <c>/loki/api/v1/query_range</c> and <c>/loki/api/v1/query</c> for log queries: streams of entries
/// in the requested direction within <c>[start, end)</c>, at most <c>limit</c> in total, in Loki's
/// JSON shape (values as <c>["&lt;ns&gt;", "&lt;line&gt;"]</c>, or with the categorize-labels flag
/// a third element carrying structured metadata and parsed labels), always with <c>stats</c>.
/// </summary>
public static class LokiQueryEndpoints
{
    private const string CategorizeLabels = "categorize-labels";

    public static void Map(WebApplication app, LogQueryEngine engine, LogQueryLimits limits, TimeProvider clock)
    {
        app.MapMethods("/loki/api/v1/query_range", ["GET", "POST"], (HttpContext ctx) => Range(ctx, engine, limits, clock));
        app.MapMethods("/loki/api/v1/query", ["GET", "POST"], (HttpContext ctx) => Instant(ctx, engine, limits, clock));
        app.MapMethods("/loki/api/v1/format_query", ["GET", "POST"], FormatQuery);
    }

    private static async Task Range(HttpContext ctx, LogQueryEngine engine, LogQueryLimits limits, TimeProvider clock)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds() * LokiParams.NanosPerMilli;
        if (!LokiParams.TryWindow(p, now, out long start, out long end, out string? error) ||
            !LokiParams.TryLimit(p, limits.MaxEntries, out int limit, out error) ||
            !LokiParams.TryDirection(p, out bool backward, out error))
        {
            await LokiResponse.BadRequest(ctx, error!);
            return;
        }
        if (end < start)
        {
            await LokiResponse.BadRequest(ctx, "end timestamp must not be before or equal to start time");
            return;
        }
        await Run(ctx, engine, p.Get("query") ?? "", start, end, limit, backward);
    }

    private static async Task Instant(HttpContext ctx, LogQueryEngine engine, LogQueryLimits limits, TimeProvider clock)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (!TryParse(p.Get("query") ?? "", out var expr, out string? error))
        {
            await LokiResponse.BadRequest(ctx, error!);
            return;
        }
        if (expr is LogSelectorExpr)
        {
            await LokiResponse.BadRequest(ctx, "log queries are not supported as an instant query type, please change your query to a range query type");
            return;
        }
        await LokiResponse.BadRequest(ctx, "metric queries are not supported yet");
    }

    private static async Task Run(HttpContext ctx, LogQueryEngine engine, string query, long start, long end, int limit, bool backward)
    {
        if (!TryParse(query, out var expr, out string? error))
        {
            await LokiResponse.BadRequest(ctx, error!);
            return;
        }
        if (expr is not LogSelectorExpr selector)
        {
            await LokiResponse.BadRequest(ctx, "metric queries are not supported yet");
            return;
        }
        LogQueryResult result;
        try
        {
            var pipeline = LogPipelineBuilder.Build(selector);
            // Loki's window is [start, end): the store's upper bound is exclusive too.
            result = engine.Select(selector, pipeline, start, end, limit, backward, ctx.RequestAborted);
        }
        catch (QueryException e)
        {
            await LokiResponse.Error(ctx, e.Type switch { ErrorType.Canceled => 499, ErrorType.Timeout => 504, ErrorType.Internal => 500, _ => 400 }, e.Message);
            return;
        }
        bool categorize = ctx.Request.Headers["X-Loki-Response-Encoding-Flags"].ToString().Contains(CategorizeLabels, StringComparison.Ordinal);
        await LokiResponse.Success(ctx, w => WriteStreams(w, result, categorize));
    }

    private static bool TryParse(string query, out LogQLExpr? expr, out string? error)
    {
        try
        {
            expr = LogQLParser.ParseExpr(query);
            error = null;
            return true;
        }
        catch (LogQLParseException e)
        {
            expr = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Groups entries into result streams: by their full label set, or with categorize-labels by
    /// their stream labels only (metadata and parsed labels then travel with each entry).
    /// </summary>
    private static void WriteStreams(Utf8JsonWriter w, LogQueryResult result, bool categorize)
    {
        var groups = new Dictionary<LabelSet, List<LogResultEntry>>();
        var order = new List<LabelSet>();
        foreach (var e in result.Entries)
        {
            var key = categorize
                ? new LabelSet(e.Labels.Stream)
                : LabelSet.From([.. e.Labels.Stream, .. e.Labels.StructuredMetadata, .. e.Labels.Parsed]);
            if (!groups.TryGetValue(key, out var list))
            {
                groups.Add(key, list = []);
                order.Add(key);
            }
            list.Add(e);
        }
        w.WriteStartObject();
        w.WriteString("resultType", "streams");
        if (categorize)
        {
            w.WritePropertyName("encodingFlags");
            w.WriteStartArray();
            w.WriteStringValue(CategorizeLabels);
            w.WriteEndArray();
        }
        w.WritePropertyName("result");
        w.WriteStartArray();
        Span<byte> ts = stackalloc byte[24];
        foreach (var key in order)
        {
            w.WriteStartObject();
            w.WritePropertyName("stream");
            WriteLabels(w, key.AsSpan());
            w.WritePropertyName("values");
            w.WriteStartArray();
            foreach (var e in groups[key])
            {
                w.WriteStartArray();
                e.TimestampNs.TryFormat(ts, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
                w.WriteStringValue(ts[..n]);
                w.WriteStringValue(e.Line);
                if (categorize)
                {
                    w.WriteStartObject();
                    if (e.Labels.StructuredMetadata.Length > 0)
                    {
                        w.WritePropertyName("structuredMetadata");
                        WriteLabels(w, e.Labels.StructuredMetadata);
                    }
                    if (e.Labels.Parsed.Length > 0)
                    {
                        w.WritePropertyName("parsed");
                        WriteLabels(w, e.Labels.Parsed);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        LokiStats.Write(w, result.Stats, result.Entries.Count);
        w.WriteEndObject();
    }

    private static void WriteLabels(Utf8JsonWriter w, ReadOnlySpan<Label> labels)
    {
        w.WriteStartObject();
        foreach (var l in labels) w.WriteString(l.Name, l.Value);
        w.WriteEndObject();
    }

    private static async Task FormatQuery(HttpContext ctx)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (!TryParse(p.Get("query") ?? "", out var expr, out string? error))
        {
            await LokiResponse.BadRequest(ctx, error!);
            return;
        }
        await LokiResponse.Success(ctx, w => w.WriteStringValue(LogQLPrinter.Prettify(expr!)));
    }
}

/// <summary>Query limits of the Loki API (Loki's <c>limits_config</c> defaults).</summary>
public sealed record LogQueryLimits
{
    /// <summary><c>max_entries_limit_per_query</c>.</summary>
    public int MaxEntries { get; init; } = 5000;
}
