using System.Buffers;
using System.IO.Pipelines;
using Strata.Api.Http;
using Strata.Ingest.RemoteWrite;

namespace Strata.Api.Endpoints;

/// <summary>
/// <c>POST /api/v1/write</c> (and the Mimir-style alias <c>/api/v1/push</c>): reads the body into a pooled
/// buffer, hands it to the ingester, and maps the outcome to 204/400/413/415 with the v2
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

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(req.ContentLength ?? 64 * 1024, limit) + 1);
        try
        {
            int length = 0;
            var reader = req.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(ctx.RequestAborted);
                foreach (var segment in read.Buffer)
                {
                    if (length + segment.Length > limit)
                    {
                        reader.AdvanceTo(read.Buffer.End);
                        await Respond(ctx, WriteOutcome.Fail(WriteStatus.TooLarge, $"request body exceeds the limit of {limit} bytes"));
                        return;
                    }
                    if (length + segment.Length > buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(buffer.Length * 2, length + segment.Length), limit + 1));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    segment.Span.CopyTo(buffer.AsSpan(length));
                    length += segment.Length;
                }
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) break;
            }
            var outcome = await ingester.IngestAsync(buffer.AsMemory(0, length), version, ctx.RequestAborted);
            await Respond(ctx, outcome);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
