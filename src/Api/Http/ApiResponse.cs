using System.Text.Json;
using Strata.Api.Json;
using Strata.Query.Engine;

namespace Strata.Api.Http;

/// <summary>Writes Prometheus-envelope JSON responses straight into the response pipe.</summary>
public static class ApiResponse
{
    /// <summary>Writes <c>{"status":"success","data":&lt;writeData&gt;,"warnings":[...],"infos":[...]}</c>; empty lists are left out.</summary>
    public static async Task Success(HttpContext ctx, Action<Utf8JsonWriter> writeData, IReadOnlyList<string>? warnings = null, IReadOnlyList<string>? infos = null)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(ctx.Response.BodyWriter, PromJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("status", "success");
            w.WritePropertyName("data");
            writeData(w);
            PromJson.WriteAnnotations(w, "warnings", warnings);
            PromJson.WriteAnnotations(w, "infos", infos);
            w.WriteEndObject();
        }
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    public static Task Error(HttpContext ctx, ErrorType type, string message) =>
        Error(ctx, PromJson.StatusCode(type), PromJson.ErrorTypeName(type), message);

    public static async Task Error(HttpContext ctx, int status, string errorType, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(ctx.Response.BodyWriter, PromJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("status", "error");
            w.WriteString("errorType", errorType);
            w.WriteString("error", message);
            w.WriteEndObject();
        }
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
    }

    public static Task BadData(HttpContext ctx, string message) => Error(ctx, ErrorType.BadData, message);

    public static Task InvalidParam(HttpContext ctx, string name, string reason) =>
        BadData(ctx, $"invalid parameter \"{name}\": {reason}");

    public static async Task PlainText(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}
