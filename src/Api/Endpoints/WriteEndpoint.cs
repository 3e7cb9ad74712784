using Strata.Api.Http;
using Strata.Ingest.RemoteWrite;

namespace Strata.Api.Endpoints;

/// <summary>
/// <c>POST /api/v1/write</c> (and the Mimir-style alias <c>/api/v1/push</c>): reads the body into a pooled
/// buffer (<see cref="PooledBody"/>), hands it to the ingester, and maps the outcome to 204/400/413/415 with the v2
/// written-count headers on every answer.
/// </summary>
public static class WriteEndpoint
{
    public static void Map(WebApplication app, RemoteWriteIngester ingester)
    {
        app.MapPost("/api/v1/write", (HttpContext ctx) => Handle(ctx, ingester));
        app.MapPost("/api/v1/push", (HttpContext ctx) => Handle(ctx, ingester));
    }

    private static async Task Handle(HttpContext ctx, RemoteWriteIngester ingester)
    {
        var req = ctx.Request;
        string? negotiation = RemoteWriteProtocol.Negotiate(req.ContentType, req.Headers.ContentEncoding, out var version);
        if (negotiation != null)
        {
            await Respond(ctx, WriteOutcome.Fail(WriteStatus.UnsupportedMediaType, negotiation));
            return;
        }
        int limit = ingester.Options.MaxBodyBytes;
        if (req.ContentLength > limit)
        {
            await Respond(ctx, WriteOutcome.Fail(WriteStatus.TooLarge, $"request body of {req.ContentLength} bytes exceeds the limit of {limit} bytes"));
            return;
        }

        using var body = await PooledBody.ReadAsync(req, limit, ctx.RequestAborted);
        if (body == null)
        {
            await Respond(ctx, WriteOutcome.Fail(WriteStatus.TooLarge, $"request body exceeds the limit of {limit} bytes"));
            return;
        }
        var outcome = await ingester.IngestAsync(body.Memory, version, ctx.RequestAborted);
        await Respond(ctx, outcome);
    }

    private static Task Respond(HttpContext ctx, WriteOutcome outcome)
    {
        var h = ctx.Response.Headers;
        h["X-Prometheus-Remote-Write-Samples-Written"] = outcome.SamplesWritten.ToString(System.Globalization.CultureInfo.InvariantCulture);
        h["X-Prometheus-Remote-Write-Histograms-Written"] = outcome.HistogramsWritten.ToString(System.Globalization.CultureInfo.InvariantCulture);
        h["X-Prometheus-Remote-Write-Exemplars-Written"] = outcome.ExemplarsWritten.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (outcome.Status)
        {
            case WriteStatus.Ok:
                ctx.Response.StatusCode = 204;
                return Task.CompletedTask;
            case WriteStatus.TooLarge:
                return ApiResponse.PlainText(ctx, 413, outcome.Describe() + "\n");
            case WriteStatus.UnsupportedMediaType:
                return ApiResponse.PlainText(ctx, 415, outcome.Describe() + "\n");
            default:
                return ApiResponse.PlainText(ctx, 400, outcome.Describe() + "\n");
        }
    }
}
