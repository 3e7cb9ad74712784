using System.Globalization;
using Strata.Ingest.Loki;
using Strata.Ingest.RemoteWrite;
using Strata.Query.Engine;
using Strata.Query.PromQL;
using Strata.Storage.Head;
using Strata.Storage.Logs;
using Strata.Storage.Tsdb;

namespace Strata.Api.Configuration;

/// <summary>
/// Everything the service is configured with, bound once from flags and environment at start-up.
/// Component options are built here and handed to constructors; nothing reads configuration later.
/// </summary>
public sealed record ServerOptions
{
    public static readonly IReadOnlyList<Flag> Flags =
    [
        new("config.file", FlagKind.String, "", "Prometheus configuration file (reserved for rule files; scraping is not done here)."),
        new("web.listen-address", FlagKind.ListenAddress, "0.0.0.0:9090", "Address to listen on for the Prometheus and Loki APIs."),
        new("web.loki-listen-address", FlagKind.String, "", "Optional second address serving the same APIs for Loki-only clients, e.g. :3100 (empty = off)."),
        new("web.read-timeout", FlagKind.Duration, "5m", "Maximum duration before timing out read of the request."),
        new("web.max-connections", FlagKind.Int, "512", "Maximum number of simultaneous connections."),
        new("web.external-url", FlagKind.String, "", "URL under which the service is externally reachable (informational)."),
        new("web.enable-lifecycle", FlagKind.Bool, "false", "Enable shutdown via HTTP request."),
        new("web.enable-admin-api", FlagKind.Bool, "false", "Enable API endpoints for admin control actions."),
        new("web.enable-remote-write-receiver", FlagKind.Bool, "true", "Accepted for compatibility; the remote-write receiver is always on."),
        new("storage.tsdb.path", FlagKind.String, "data/", "Base path for metrics and logs storage."),
        new("storage.tsdb.retention.time", FlagKind.Duration, "30d", "How long to retain samples in storage."),
        new("storage.tsdb.retention.size", FlagKind.Bytes, "0", "Maximum number of bytes of storage blocks to retain (0 = no limit). Units: B, KB, MB, GB, TB, PB, EB."),
        new("storage.tsdb.out-of-order-time-window", FlagKind.Duration, "0s", "How far back out-of-order samples are accepted (0 = off)."),
        new("storage.tsdb.min-block-duration", FlagKind.Duration, "2h", "Duration of head blocks before they are persisted."),
        new("storage.tsdb.maintenance-interval", FlagKind.Duration, "1m", "How often block cutting, compaction and retention run."),
        new("storage.logs.path", FlagKind.String, "", "Directory of the log store (default: <storage.tsdb.path>/logs)."),
        new("storage.logs.retention.time", FlagKind.Duration, "30d", "How long to retain log entries."),
        new("storage.logs.retention.size", FlagKind.Bytes, "0", "Maximum bytes of stored log blocks to retain (0 = no limit)."),
        new("storage.logs.out-of-order-window", FlagKind.Duration, "1h", "How far behind a stream's newest entry an entry is still accepted."),
        new("logs.max-line-size", FlagKind.Bytes, "256KB", "Largest accepted log line."),
        new("logs.reject-old-samples-max-age", FlagKind.Duration, "7d", "Reject pushed entries older than this."),
        new("logs.discover-log-levels", FlagKind.Bool, "true", "Add a detected_level structured-metadata pair to every pushed entry, as Loki does."),
        new("logs.max-entries-limit-per-query", FlagKind.Int, "5000", "Largest limit a log query may ask for."),
        new("query.lookback-delta", FlagKind.Duration, "5m", "How far back an instant selector looks for a sample."),
        new("query.timeout", FlagKind.Duration, "2m", "Maximum time a query may take before being aborted."),
        new("query.max-concurrency", FlagKind.Int, "20", "Maximum number of queries executed concurrently."),
        new("query.max-samples", FlagKind.Int, "50000000", "Maximum number of samples a single query can load into memory."),
        new("ingest.max-body-size", FlagKind.Bytes, "64MB", "Largest accepted push body as sent (compressed)."),
        new("ingest.max-decoded-size", FlagKind.Bytes, "256MB", "Largest accepted push body after decompression."),
        new("ingest.max-label-names-per-series", FlagKind.Int, "128", "Maximum number of labels per series."),
        new("ingest.max-label-name-length", FlagKind.Int, "1024", "Maximum length of a label name in bytes."),
        new("ingest.max-label-value-length", FlagKind.Int, "65536", "Maximum length of a label value in bytes."),
        new("log.level", FlagKind.Choice, "info", "Only log messages with the given severity or above.", ["debug", "info", "warn", "error"]),
        new("log.format", FlagKind.Choice, "logfmt", "Output format of log messages.", ["logfmt", "json"]),
    ];

    public required IReadOnlyDictionary<string, string> Raw { get; init; }
    public required string ListenHost { get; init; }
    public required int ListenPort { get; init; }
    public required bool EnableLifecycle { get; init; }
    public required bool EnableAdminApi { get; init; }
    public required string LogLevel { get; init; }
    public required EngineOptions Engine { get; init; }
    public required IngestOptions Ingest { get; init; }
    public required TsdbOptions Tsdb { get; init; }
    public required LogStoreOptions Logs { get; init; }
    public required LokiLimits LokiLimits { get; init; }
    public required int MaxLogEntriesPerQuery { get; init; }
    /// <summary>Second listener for Loki-only clients ("" = none), as host:port.</summary>
    public required string LokiListenAddress { get; init; }

    /// <summary>Parses the command line and environment; returns an error message or null.</summary>
    public static string? TryCreate(string[] args, IReadOnlyDictionary<string, string> env, out ServerOptions? options, out bool help, out bool version)
    {
        options = null;
        string? error = FlagParser.Parse(Flags, args, env, out var v, out help, out version);
        if (error != null || help || version) return error;

        FlagParser.TryParseListenAddress(v["web.listen-address"], out string host, out int port);
        FlagParser.TryParseBytes(v["storage.tsdb.retention.size"], out long retentionBytes);
        FlagParser.TryParseBytes(v["ingest.max-body-size"], out long maxBody);
        FlagParser.TryParseBytes(v["ingest.max-decoded-size"], out long maxDecoded);
        if (maxBody is <= 0 or > int.MaxValue || maxDecoded is <= 0 or > int.MaxValue)
            return "invalid value for '--ingest.max-body-size' or '--ingest.max-decoded-size': must be between 1B and 2GB";
        var lookback = Duration(v, "query.lookback-delta");
        var timeout = Duration(v, "query.timeout");
        if (lookback <= TimeSpan.Zero) return "invalid value for flag '--query.lookback-delta': must be positive";
        if (timeout <= TimeSpan.Zero) return "invalid value for flag '--query.timeout': must be positive";
        int maxConcurrency = (int)Math.Min(Int(v, "query.max-concurrency"), 10_000);
        if (maxConcurrency <= 0) return "invalid value for flag '--query.max-concurrency': must be positive";
        long maxSamples = Int(v, "query.max-samples");
        if (maxSamples <= 0) return "invalid value for flag '--query.max-samples': must be positive";
        int maxLabels = (int)Math.Min(Int(v, "ingest.max-label-names-per-series"), int.MaxValue);
        int maxName = (int)Math.Min(Int(v, "ingest.max-label-name-length"), int.MaxValue);
        int maxValue = (int)Math.Min(Int(v, "ingest.max-label-value-length"), int.MaxValue);
        if (maxLabels <= 0 || maxName <= 0 || maxValue <= 0) return "ingest label limits must be positive";
        var blockDuration = Duration(v, "storage.tsdb.min-block-duration");
        if (blockDuration <= TimeSpan.Zero) return "invalid value for flag '--storage.tsdb.min-block-duration': must be positive";

        var ooo = Duration(v, "storage.tsdb.out-of-order-time-window");
        var head = new HeadOptions { ChunkRangeMs = (long)blockDuration.TotalMilliseconds, OutOfOrderWindowMs = (long)ooo.TotalMilliseconds };
        var retention = Duration(v, "storage.tsdb.retention.time");
        var maintenance = Duration(v, "storage.tsdb.maintenance-interval");
        if (maintenance <= TimeSpan.Zero) return "invalid value for flag '--storage.tsdb.maintenance-interval': must be positive";
        if (retention <= TimeSpan.Zero) return "invalid value for flag '--storage.tsdb.retention.time': must be positive";
        options = new ServerOptions
        {
            Raw = v,
            ListenHost = host,
            ListenPort = port,
            EnableLifecycle = bool.Parse(v["web.enable-lifecycle"]),
            EnableAdminApi = bool.Parse(v["web.enable-admin-api"]),
            LogLevel = v["log.level"],
            Tsdb = new TsdbOptions
            {
                Path = v["storage.tsdb.path"],
                Head = head,
                Retention = retention,
                RetentionBytes = retentionBytes,
                MaintenanceInterval = maintenance,
            },
            Logs = new LogStoreOptions
            {
                Directory = v["storage.logs.path"] is { Length: > 0 } logsPath ? logsPath : Path.Combine(v["storage.tsdb.path"], "logs"),
                Retention = Duration(v, "storage.logs.retention.time"),
                RetentionBytes = Bytes(v, "storage.logs.retention.size"),
                OutOfOrderWindow = Duration(v, "storage.logs.out-of-order-window"),
                MaxLineBytes = (int)Math.Min(Bytes(v, "logs.max-line-size"), LogStoreOptions.MaxBlockSetting),
            },
            LokiLimits = new LokiLimits
            {
                MaxLineSize = (int)Math.Min(Bytes(v, "logs.max-line-size"), LogStoreOptions.MaxBlockSetting),
                RejectOldSamplesMaxAge = Duration(v, "logs.reject-old-samples-max-age"),
                DiscoverLogLevels = bool.Parse(v["logs.discover-log-levels"]),
            },
            MaxLogEntriesPerQuery = (int)Math.Clamp(Int(v, "logs.max-entries-limit-per-query"), 1, 1_000_000),
            LokiListenAddress = v["web.loki-listen-address"],
            Engine = new EngineOptions
            {
                LookbackDelta = lookback,
                Timeout = timeout,
                MaxConcurrency = maxConcurrency,
                MaxSamples = maxSamples,
            },
            Ingest = new IngestOptions
            {
                MaxBodyBytes = (int)maxBody,
                MaxDecodedBytes = (int)maxDecoded,
                MaxLabelNamesPerSeries = maxLabels,
                MaxLabelNameLength = maxName,
                MaxLabelValueLength = maxValue,
            },
        };
        return null;
    }

    private static TimeSpan Duration(Dictionary<string, string> v, string name)
    {
        PromDuration.TryParse(v[name], out long ms, out _);
        return TimeSpan.FromMilliseconds(ms);
    }

    private static long Bytes(Dictionary<string, string> v, string name) =>
        FlagParser.TryParseBytes(v[name], out long b) ? b : 0;

    private static long Int(Dictionary<string, string> v, string name) =>
        long.Parse(v[name], NumberStyles.Integer, CultureInfo.InvariantCulture);
}
