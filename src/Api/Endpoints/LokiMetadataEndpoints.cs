using Strata.Api.Http;
using Strata.Query.LogQL;
using Strata.Storage.Index;
using Strata.Storage.Labels;
using Strata.Storage.Logs;

namespace Strata.Api.Endpoints;

/// <summary>
/// Loki's label browser and index endpoints: <c>labels</c>, <c>label/&lt;name&gt;/values</c>,
/// <c>series</c>, <c>index/stats</c>, plus <c>status/buildinfo</c>. Windows default to the last hour
/// (Loki's <c>since</c>); an optional <c>query</c> selector narrows labels and values. Also <c>/ready</c>.
/// </summary>
public static class LokiMetadataEndpoints
{
    public static void Map(WebApplication app, LogStore store, TimeProvider clock, string version, Func<bool> ready)
    {
        app.MapGet("/ready", (HttpContext ctx) => ready()
            ? LokiResponse.Error(ctx, 200, "ready\n")
            : LokiResponse.Error(ctx, 503, "Ingester not ready: waiting for the store to open\n"));
        app.MapMethods("/loki/api/v1/labels", ["GET", "POST"], (HttpContext ctx) => Labels(ctx, store, clock));
        app.MapMethods("/loki/api/v1/label", ["GET", "POST"], (HttpContext ctx) => Labels(ctx, store, clock));
        app.MapMethods("/loki/api/v1/label/{name}/values", ["GET", "POST"], (HttpContext ctx, string name) => Values(ctx, store, clock, name));
        app.MapMethods("/loki/api/v1/series", ["GET", "POST"], (HttpContext ctx) => Series(ctx, store, clock));
        app.MapMethods("/loki/api/v1/index/stats", ["GET", "POST"], (HttpContext ctx) => IndexStats(ctx, store, clock));
        app.MapGet("/loki/api/v1/status/buildinfo", (HttpContext ctx) => LokiResponse.Raw(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", version);
            w.WriteString("revision", "");
            w.WriteString("branch", "");
            w.WriteString("buildDate", "");
            w.WriteString("buildUser", "");
            w.WriteString("goVersion", "");
            w.WriteEndObject();
        }));
    }

    private readonly record struct Request(long Start, long End, IReadOnlyList<LabelMatcher>? Matchers);

    private static async Task<Request?> Read(HttpContext ctx, TimeProvider clock, ApiParams p, string? selectorParam)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds() * LokiParams.NanosPerMilli;
        if (!LokiParams.TryWindow(p, now, out long start, out long end, out string? error))
        {
            await LokiResponse.BadRequest(ctx, error!);
            return null;
        }
        IReadOnlyList<LabelMatcher>? matchers = null;
        if (selectorParam is { Length: > 0 } q)
        {
            try
            {
                // Label browsing accepts {} (Grafana sometimes sends it), so the non-empty rule is not applied here.
                matchers = LogQLParser.ParseMatchers(q, validate: false);
            }
            catch (LogQLParseException e)
            {
                await LokiResponse.BadRequest(ctx, e.Message);
                return null;
            }
        }
        return new Request(start, end, matchers);
    }

    private static async Task Labels(HttpContext ctx, LogStore store, TimeProvider clock)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (await Read(ctx, clock, p, p.Get("query")) is not { } r) return;
        var names = store.LabelNames(r.Matchers, r.Start, r.End);
        await LokiResponse.Success(ctx, w => WriteStrings(w, names));
    }

    private static async Task Values(HttpContext ctx, LogStore store, TimeProvider clock, string name)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        if (await Read(ctx, clock, p, p.Get("query")) is not { } r) return;
        var values = store.LabelValues(name, r.Matchers, r.Start, r.End);
        await LokiResponse.Success(ctx, w => WriteStrings(w, values));
    }

    private static async Task Series(HttpContext ctx, LogStore store, TimeProvider clock)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        var selectors = p.GetAll("match[]");
        if (selectors.Count == 0) selectors = p.GetAll("match");
        if (selectors.Count == 0)
        {
            await LokiResponse.BadRequest(ctx, "at least one match[] argument required");
            return;
        }
        if (await Read(ctx, clock, p, null) is not { } r) return;
        var seen = new HashSet<LabelSet>();
        var result = new List<LabelSet>();
        foreach (string s in selectors)
        {
            IReadOnlyList<LabelMatcher> matchers;
            try
            {
                matchers = LogQLParser.ParseMatchers(s);
            }
            catch (LogQLParseException e)
            {
                await LokiResponse.BadRequest(ctx, e.Message);
                return;
            }
            foreach (var stream in store.SelectStreams(matchers, r.Start, r.End))
            {
                if (seen.Add(stream.Labels)) result.Add(stream.Labels);
            }
        }
        result.Sort(static (a, b) => a.CompareTo(b));
        await LokiResponse.Success(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var ls in result)
            {
                w.WriteStartObject();
                foreach (var l in ls.AsSpan()) w.WriteString(l.Name, l.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static async Task IndexStats(HttpContext ctx, LogStore store, TimeProvider clock)
    {
        var p = await ApiParams.ReadAsync(ctx.Request);
        string query = p.Get("query") ?? "";
        IReadOnlyList<LabelMatcher> matchers;
        try
        {
            matchers = LogQLParser.ParseMatchers(query);
        }
        catch (LogQLParseException e)
        {
            await LokiResponse.BadRequest(ctx, e.Message);
            return;
        }
        if (await Read(ctx, clock, p, null) is not { } r) return;
        var stats = store.IndexStats(matchers, r.Start, r.End);
        await LokiResponse.Raw(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("streams", stats.Streams);
            w.WriteNumber("chunks", stats.Chunks);
            w.WriteNumber("entries", stats.Entries);
            w.WriteNumber("bytes", stats.Bytes);
            w.WriteEndObject();
        });
    }

    private static void WriteStrings(System.Text.Json.Utf8JsonWriter w, string[] items)
    {
        w.WriteStartArray();
        foreach (string s in items) w.WriteStringValue(s);
        w.WriteEndArray();
    }
}
