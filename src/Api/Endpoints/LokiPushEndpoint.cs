using Strata.Api.Http;
using Strata.Ingest.Loki;
using Strata.Storage.Logs;

namespace Strata.Api.Endpoints;

/// <summary>
/// <c>POST /loki/api/v1/push</c> and the legacy <c>/api/prom/push</c>: decode and validate, store
/// what is valid (durably, before answering), then 204, or 400 with Loki's plain-text message when
/// some entries were rejected, or 413 for oversized bodies. Accepted entries are stored even when
/// others in the same push are rejected, as Loki does.
/// </summary>
public static class LokiPushEndpoint
{
    public static void Map(WebApplication app, LokiPushDecoder decoder, LogStore store, int maxBodyBytes)
    {
        app.MapPost("/loki/api/v1/push", (HttpContext ctx) => Handle(ctx, decoder, store, maxBodyBytes));
        app.MapPost("/api/prom/push", (HttpContext ctx) => Handle(ctx, decoder, store, maxBodyBytes));
    }

    private static async Task Handle(HttpContext ctx, LokiPushDecoder decoder, LogStore store, int maxBodyBytes)
    {
        var req = ctx.Request;
        using var body = await PooledBody.ReadAsync(req, maxBodyBytes, ctx.RequestAborted);
        if (body == null)
        {
            await LokiResponse.Error(ctx, 413, $"request body too large: the limit is {maxBodyBytes} bytes");
            return;
        }
        using var result = decoder.Decode(body.Memory, req.ContentType, req.Headers.ContentEncoding.ToString() is { Length: > 0 } e ? e : null);
        if (result.Status == LokiPushStatus.TooLarge)
        {
            await LokiResponse.Error(ctx, 413, result.Message ?? "request body too large");
            return;
        }
        if (result.Streams.Count > 0)
        {
            var appended = await store.AppendAsync(result.Streams, ctx.RequestAborted);
            if (appended.Rejected > 0 && result.Status == LokiPushStatus.Ok)
            {
                await LokiResponse.BadRequest(ctx, appended.FirstRejection ?? $"{appended.Rejected} entries were rejected");
                return;
            }
        }
        if (result.Status != LokiPushStatus.Ok)
        {
            await LokiResponse.BadRequest(ctx, result.Message ?? "bad request");
            return;
        }
        ctx.Response.StatusCode = 204;
    }
}
