using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Strata.Api.Configuration;
using Strata.Api.Endpoints;
using Strata.Api.Http;
using Strata.Api.Observability;
using Strata.Ingest.Loki;
using Strata.Ingest.RemoteWrite;
using Strata.Query.Engine;
using Strata.Query.LogQL.Engine;
using Strata.Query.Metadata;
using Strata.Storage.Head;
using Strata.Storage.Logs;
using Strata.Storage.Metadata;
using Strata.Storage.Tsdb;

namespace Strata.Api;

/// <summary>
/// The composition root: builds storage, ingest and query components from <see cref="ServerOptions"/>
/// and maps the HTTP endpoints on Kestrel. Tests start it on 127.0.0.1:0 exactly as the binary does.
/// </summary>
public sealed class StrataServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _ready;

    private readonly CancellationTokenSource _stopping = new();
    private Task _logMaintenance = Task.CompletedTask;

    private StrataServer(WebApplication app, Tsdb db, LogStore logs)
    {
        _app = app;
        Db = db;
        Logs = logs;
    }

    public Tsdb Db { get; }

    public LogStore Logs { get; }

    public Head Head => Db.Head;

    /// <summary>The first bound address, e.g. http://127.0.0.1:41234 (valid after <see cref="StartAsync"/>).</summary>
    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<StrataServer> CreateAsync(ServerOptions options, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(options.LogLevel switch
        {
            "debug" => LogLevel.Debug,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // enforced per endpoint with a clear message
            k.Limits.MaxConcurrentConnections = long.Parse(options.Raw["web.max-connections"], System.Globalization.CultureInfo.InvariantCulture) is var n && n > 0 ? n : null;
            var address = options.ListenHost is "" or "0.0.0.0" or "*" ? IPAddress.Any
                : options.ListenHost == "localhost" ? IPAddress.Loopback
                : IPAddress.Parse(options.ListenHost);
            k.Listen(address, options.ListenPort);
            if (options.LokiListenAddress is { Length: > 0 } loki)
            {
                int colon = loki.LastIndexOf(':');
                string host = colon > 0 ? loki[..colon] : "";
                int port = int.Parse(loki[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                k.Listen(host is "" or "0.0.0.0" or "*" ? IPAddress.Any : host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host), port);
            }
        });

        // Grafana asks for gzip; large matrices shrink ~10x. Fastest level: CPU matters more here.
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = ["application/json"];
            o.Providers.Add<GzipCompressionProvider>();
        });
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = System.IO.Compression.CompressionLevel.Fastest);

        var app = builder.Build();
        var db = await Tsdb.OpenAsync(options.Tsdb, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Strata.Storage"), clock);
        var logs = await LogStore.OpenAsync(options.Logs, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Strata.Logs"), clock);
        var pushDecoder = new LokiPushDecoder(options.LokiLimits, clock);
        var logQueries = new LogQueryEngine(logs);
        var metadataStore = new MetadataStore();
        var ingester = new RemoteWriteIngester(db, metadataStore, options.Ingest, clock);
        var engine = new PromQLEngine(db, options.Engine);
        var seriesMetadata = new SeriesMetadata(db);
        var metrics = new SelfMetrics(db, ingester, pushDecoder.Totals, logs.Metrics);
        var server = new StrataServer(app, db, logs);

        app.UseResponseCompression();
        app.Use(async (ctx, next) =>
        {
            long startTicks = Stopwatch.GetTimestamp();
            await next(ctx);
            string handler = (ctx.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other";
            metrics.ObserveRequest(handler, ctx.Response.StatusCode, Stopwatch.GetElapsedTime(startTicks));
        });
        // CORS preflight: answer OPTIONS on any path.
        app.Use((ctx, next) =>
        {
            if (HttpMethods.IsOptions(ctx.Request.Method))
            {
                ctx.Response.StatusCode = 204;
                return Task.CompletedTask;
            }
            return next(ctx);
        });

        StatusEndpoints.Map(app, options, metrics, () => server._ready);
        WriteEndpoint.Map(app, ingester);
        QueryEndpoints.Map(app, engine, clock);
        MetadataEndpoints.Map(app, seriesMetadata);
        LokiPushEndpoint.Map(app, pushDecoder, logs, options.Ingest.MaxBodyBytes);
        LokiQueryEndpoints.Map(app, logQueries, new LogQueryLimits { MaxEntries = options.MaxLogEntriesPerQuery }, clock);
        LokiMetadataEndpoints.Map(app, logs, clock, StatusEndpoints.CompatibleVersion, () => server._ready);
        server._logMaintenance = server.RunLogMaintenanceAsync(options.Tsdb.MaintenanceInterval);
        app.MapFallback((HttpContext ctx) => ApiResponse.PlainText(ctx, 404, "404 page not found\n"));
        return server;
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        await _app.StartAsync(ct);
        _ready = true;
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Cuts aged log head chunks and applies log retention on the maintenance interval.</summary>
    private async Task RunLogMaintenanceAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await Logs.RunMaintenanceAsync(_stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _app.Logger.LogError(e, "log store maintenance failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    /// <summary>Stops HTTP first (no new writes), then closes storage cleanly (checkpoint, WAL, blocks; the log store's logs).</summary>
    public async ValueTask DisposeAsync()
    {
        _ready = false;
        await _app.StopAsync();
        await _stopping.CancelAsync();
        await _logMaintenance;
        await _app.DisposeAsync();
        await Logs.DisposeAsync();
        await Db.DisposeAsync();
        _stopping.Dispose();
    }
}
