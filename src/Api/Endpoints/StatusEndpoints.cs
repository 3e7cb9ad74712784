using Strata.Api.Configuration;
using Strata.Api.Http;
using Strata.Api.Observability;

namespace Strata.Api.Endpoints;

/// <summary>Health, readiness, build information, flags and the service's own /metrics.</summary>
public static class StatusEndpoints
{
    /// <summary>
    /// The Prometheus version we report: Grafana compares it (≥ 2.24 enables match[] on label values;
    /// a 3.x version selects its modern Prometheus code paths). Our own version goes into revision/branch.
    /// </summary>
    public const string CompatibleVersion = "3.5.0";
    public const string Version = "0.1.0";

    public static void Map(WebApplication app, ServerOptions options, SelfMetrics metrics, Func<bool> ready)
    {
        app.MapMethods("/-/healthy", ["GET", "HEAD"], (HttpContext ctx) => ApiResponse.PlainText(ctx, 200, "Strata is Healthy.\n"));
        app.MapMethods("/-/ready", ["GET", "HEAD"], (HttpContext ctx) => ready()
            ? ApiResponse.PlainText(ctx, 200, "Strata is Ready.\n")
            : ApiResponse.PlainText(ctx, 503, "Service Unavailable"));
        app.MapMethods("/api/v1/status/buildinfo", ["GET", "POST"], (HttpContext ctx) => ApiResponse.Success(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", CompatibleVersion);
            w.WriteString("revision", "strata-" + Version);
            w.WriteString("branch", "strata");
            w.WriteString("buildUser", "strata");
            w.WriteString("buildDate", "");
            w.WriteString("goVersion", "dotnet" + Environment.Version);
            w.WriteEndObject();
        }));
        app.MapMethods("/api/v1/status/flags", ["GET", "POST"], (HttpContext ctx) => ApiResponse.Success(ctx, w =>
        {
            w.WriteStartObject();
            foreach (var (k, v) in options.Raw.OrderBy(k => k.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        }));
        app.MapGet("/metrics", (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return ctx.Response.WriteAsync(metrics.Render(), ctx.RequestAborted);
        });
    }
}
