using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Google.Protobuf;
using Strata.Ingest.Loki;
using Strata.TestSupport.Logproto;

namespace Strata.Bench.Ingest;

/// <summary>
/// Loki push decoding + validation (<see cref="LokiPushDecoder.Decode"/>) on Promtail-shaped batches:
/// 1000 lines of ~200 bytes (logfmt, JSON and nginx access lines, fixed seed) over 20 streams with
/// 7 Kubernetes labels, as snappy protobuf (what Promtail/Alloy send) and as JSON (plain and gzip).
/// Operations are lines: the Allocated column is bytes per line, the MB/s column is line text per
/// second. Target: far above the service's 200 MB/s ingest goal, with no allocation per line beyond
/// the entry's slot in its stream list (24 B).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LineThroughputConfig))]
public class LokiPushBenchmarks
{
    private const int Lines = 1000;
    private const int Streams = 20;
    private const long T0 = 1_700_000_000_000_000_000;

    private static long s_lineBytes;

    private LokiPushDecoder _decoder = null!;
    private byte[] _protobuf = [];
    private byte[] _protobufRaw = [];
    private byte[] _json = [];
    private byte[] _jsonGzip = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        var streams = new List<(string Labels, List<(long Ns, string Line)> Entries)>();
        for (int s = 0; s < Streams; s++)
        {
            string app = $"svc-{s % 7}";
            string labels = $"{{app=\"{app}\", container=\"{app}\", job=\"prod/{app}\", namespace=\"prod\", node=\"ip-10-0-{s % 4}-17.eu-west-1.compute.internal\", pod=\"{app}-7d9f8b6c5-{s:x5}\", stream=\"{(s % 5 == 0 ? "stderr" : "stdout")}\"}}";
            streams.Add((labels, []));
        }
        long lineBytes = 0;
        for (int i = 0; i < Lines; i++)
        {
            string line = Line(rng, i);
            lineBytes += Encoding.UTF8.GetByteCount(line);
            streams[rng.Next(Streams)].Entries.Add((T0 + i * 1_000_000L, line));
        }
        s_lineBytes = lineBytes;

        var req = new PushRequest();
        foreach (var (labels, entries) in streams)
        {
            var sa = new StreamAdapter { Labels = labels };
            foreach (var (ns, line) in entries)
                sa.Entries.Add(new EntryAdapter { Timestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = ns / 1_000_000_000, Nanos = (int)(ns % 1_000_000_000) }, Line = line });
            req.Streams.Add(sa);
        }
        _protobufRaw = req.ToByteArray();
        _protobuf = IronSnappy.Snappy.Encode(_protobufRaw);

        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteStartArray("streams");
            foreach (var (labels, entries) in streams)
            {
                w.WriteStartObject();
                w.WriteStartObject("stream");
                foreach (var pair in labels.Trim('{', '}').Split(", "))
                {
                    var kv = pair.Split('=', 2);
                    w.WriteString(kv[0], kv[1].Trim('"'));
                }
                w.WriteEndObject();
                w.WriteStartArray("values");
                foreach (var (ns, line) in entries)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(ns.ToString(CultureInfo.InvariantCulture));
                    w.WriteStringValue(line);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        _json = json.ToArray();
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest)) z.Write(_json);
        _jsonGzip = gz.ToArray();

        _decoder = new LokiPushDecoder(new LokiLimits(), new FixedClock(DateTimeOffset.FromUnixTimeMilliseconds(T0 / 1_000_000)));
        foreach (var (body, type, enc) in new[] { (_protobuf, (string?)null, (string?)null), (_json, "application/json", null), (_jsonGzip, "application/json", "gzip") })
        {
            using var r = _decoder.Decode(body, type, enc);
            if (r.Status != LokiPushStatus.Ok || r.AcceptedEntries != Lines) throw new InvalidOperationException($"setup: {r.Status} {r.Message}");
        }
    }

    // Realistic container output: logfmt app logs, JSON app logs (quotes → escapes in the JSON
    // body) and nginx access lines, about 200 bytes each.
    private static string Line(Random rng, int i)
    {
        string[] levels = ["info", "info", "info", "debug", "warn", "error"];
        string[] paths = ["/api/v1/orders", "/api/v1/cart/items", "/healthz", "/api/v2/payments/authorize", "/static/app.4f9a1c.js"];
        string trace = rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
        string path = paths[rng.Next(paths.Length)];
        return (i % 3) switch
        {
            0 => $"ts=2023-11-14T22:13:{i % 60:00}.{rng.Next(1000):000}Z level={levels[rng.Next(levels.Length)]} caller=handler.go:{rng.Next(40, 400)} msg=\"request completed\" method=GET path={path} status={(rng.Next(10) == 0 ? 500 : 200)} duration={rng.Next(1, 900)}.{rng.Next(100):00}ms trace_id={trace}",
            1 => $"{{\"time\":\"2023-11-14T22:13:{i % 60:00}.{rng.Next(1000):000}Z\",\"level\":\"{levels[rng.Next(levels.Length)]}\",\"logger\":\"orders.service\",\"msg\":\"order {rng.Next(100000)} placed\",\"user_id\":{rng.Next(1000000)},\"trace_id\":\"{trace}\",\"elapsed_ms\":{rng.Next(1, 500)}}}",
            _ => $"10.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(256)} - - [14/Nov/2023:22:13:{i % 60:00} +0000] \"GET {path}?page={rng.Next(50)} HTTP/1.1\" {(rng.Next(20) == 0 ? 404 : 200)} {rng.Next(100, 90000)} \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\"",
        };
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public int Protobuf()
    {
        using var r = _decoder.Decode(_protobuf, "application/x-protobuf", null);
        return r.AcceptedEntries;
    }

    /// <summary>The protobuf walk and validation alone, on the decompressed message (Protobuf minus snappy).</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public int ProtobufWithoutSnappy()
    {
        using var r = _decoder.DecodeProtobufMessage(_protobufRaw);
        return r.AcceptedEntries;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int Json()
    {
        using var r = _decoder.Decode(_json, "application/json", null);
        return r.AcceptedEntries;
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int JsonGzip()
    {
        using var r = _decoder.Decode(_jsonGzip, "application/json", "gzip");
        return r.AcceptedEntries;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class LineThroughputConfig : ManualConfig
    {
        public LineThroughputConfig() => AddColumn(new LineThroughputColumn());
    }

    private sealed class LineThroughputColumn : IColumn
    {
        public string Id => nameof(LineThroughputColumn);
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Log line text (UTF-8, 1e6 bytes) decoded per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        // Mean is per line (OperationsPerInvoke), so bytes per line / ns per line * 1e3 = MB/s.
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (s_lineBytes == 0) new LokiPushBenchmarks().Setup();
            return meanNs is > 0 ? ((double)s_lineBytes / Lines / meanNs.Value * 1e3).ToString("F0", CultureInfo.InvariantCulture) : "-";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
