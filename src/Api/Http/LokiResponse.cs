using System.Text.Json;
using Strata.Api.Json;

namespace Strata.Api.Http;

/// <summary>
/// Loki's answers: the Prometheus-style success envelope, raw JSON objects for the endpoints that
/// have none, and errors as plain text (Loki does not wrap them in JSON).
/// </summary>
public static class LokiResponse
{
    public static async Task Error(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        await ctx.Response.WriteAsync(message, ctx.RequestAborted);
    }

    public static Task BadRequest(HttpContext ctx, string message) => Error(ctx, 400, message);

    /// <summary><c>{"status":"success","data":...}</c>.</summary>
    public static Task Success(HttpContext ctx, Action<Utf8JsonWriter> writeData) => ApiResponse.Success(ctx, writeData);

    /// <summary>A bare JSON object (index/stats, detected_* and buildinfo have no envelope).</summary>
    public static async Task Raw(HttpContext ctx, Action<Utf8JsonWriter> write)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(ctx.Response.BodyWriter, PromJson.WriterOptions))
        {
            write(w);
        }
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }
}
