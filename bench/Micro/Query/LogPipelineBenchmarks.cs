using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LineFilterOp = Strata.Query.LogQL.LineFilterOp;
using Strata.Query.LogQL.Pipeline;
using Strata.Storage.Labels;
using MatchType = Strata.Storage.Index.MatchType;

namespace Strata.Bench.Query;

/// <summary>
/// LogQL pipeline stages over 100 000 pod-log lines generated with a fixed seed: a mix of JSON
/// application logs (80 % info, 10 % debug, 7 % warn, 3 % error), logfmt, nginx access logs and
/// plain Go/Java text with the odd panic and stack trace (~21 MB). Each operation processes every line
/// through <see cref="Pipeline.Process(LogLine, LabelSet, long, ReadOnlySpan{byte}, ReadOnlySpan{Label})"/>
/// with one reused <see cref="LogLine"/>; the MB/s column is input bytes over the mean time.
/// <list type="bullet">
/// <item><c>Contains</c>: <c>|= "deadline exceeded"</c> (0.5 % of lines).</item>
/// <item><c>ErrorOrPanicIgnoreCase</c>: <c>|~ "(?i)error|panic"</c>, our users' most common query;
/// <c>ErrorOrPanicDotNetRegex</c> is the baseline it replaces (a non-backtracking .NET regex with
/// IgnoreCase on each transcoded line).</item>
/// <item><c>JsonLevelError</c>: <c>| json | level="error"</c> over the JSON lines only.</item>
/// </list>
/// Run from bench/Micro: <c>dotnet run -c Release -- --filter '*LogPipelineBenchmarks*' --artifacts /tmp/bdn-logql</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class LogPipelineBenchmarks
{
    private const int Seed = 20240501;
    private const int Lines = 100_000;

    private static readonly LabelSet StreamLabels = LabelSet.From(("namespace", "shop"), ("pod", "api-7d9f8c6b5-x2k4q"), ("container", "api"));

    private byte[][] _lines = [];
    private byte[][] _jsonLines = [];
    private readonly LogLine _entry = new();
    private Strata.Query.LogQL.Pipeline.Pipeline _contains = null!;
    private Strata.Query.LogQL.Pipeline.Pipeline _errorOrPanic = null!;
    private Strata.Query.LogQL.Pipeline.Pipeline _jsonLevel = null!;
    private Regex _dotnetRegex = null!;

    internal static long TotalBytes;
    internal static long JsonBytes;

    [GlobalSetup]
    public void Setup()
    {
        (_lines, _jsonLines) = Generate();
        TotalBytes = _lines.Sum(l => (long)l.Length);
        JsonBytes = _jsonLines.Sum(l => (long)l.Length);
        _contains = new([LineFilter.Create(LineFilterOp.Contains, "deadline exceeded")]);
        _errorOrPanic = new([LineFilter.Create(LineFilterOp.Regex, "(?i)error|panic")]);
        _jsonLevel = new([JsonParser.Instance, new StringLabelFilter("level", MatchType.Equal, "error")]);
        _dotnetRegex = new Regex("error|panic", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
    }

    [Benchmark]
    public int Contains() => Run(_contains, _lines);

    [Benchmark(Baseline = true)]
    public int ErrorOrPanicDotNetRegex()
    {
        int kept = 0;
        Span<char> chars = stackalloc char[4096];
        foreach (var line in _lines)
        {
            Utf8.ToUtf16(line, chars, out _, out int written);
            if (_dotnetRegex.IsMatch(chars[..written])) kept++;
        }
        return kept;
    }

    [Benchmark]
    public int ErrorOrPanicIgnoreCase() => Run(_errorOrPanic, _lines);

    [Benchmark]
    public int JsonLevelError() => Run(_jsonLevel, _jsonLines);

    private int Run(Strata.Query.LogQL.Pipeline.Pipeline p, byte[][] lines)
    {
        int kept = 0;
        long ts = 1_714_564_800_000_000_000;
        foreach (var line in lines)
        {
            if (p.Process(_entry, StreamLabels, ts++, line)) kept++;
        }
        return kept;
    }

    internal static (byte[][] All, byte[][] Json) Generate()
    {
        var rng = new Random(Seed);
        var all = new byte[Lines][];
        var json = new List<byte[]>();
        string[] paths = ["/api/v1/users", "/api/v1/orders", "/api/v1/cart", "/healthz", "/metrics", "/api/v1/search"];
        string[] methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
        string[] msgs = ["request completed", "cache miss", "db query", "user authenticated", "order created", "retrying request"];
        var ts = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < Lines; i++)
        {
            ts = ts.AddMilliseconds(rng.Next(1, 20));
            int kind = rng.Next(100);
            int roll = rng.Next(100);
            string level = roll < 80 ? "info" : roll < 90 ? "debug" : roll < 97 ? "warn" : "error";
            string path = paths[rng.Next(paths.Length)] + "/" + rng.Next(100000).ToString(CultureInfo.InvariantCulture);
            string method = methods[rng.Next(methods.Length)];
            int status = level == "error" ? 500 + rng.Next(4) : level == "warn" ? 400 + rng.Next(30) : 200;
            string trace = rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
            bool deadline = rng.Next(200) == 0;
            string msg = deadline ? "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
                : level == "error" ? "failed to process request: connection reset by peer" : msgs[rng.Next(msgs.Length)];
            string line;
            if (kind < 55)
            {
                line = $"{{\"ts\":\"{ts:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"level\":\"{level}\",\"logger\":\"http.server\",\"caller\":\"server/handler.go:{rng.Next(40, 400)}\",\"msg\":\"{msg}\",\"method\":\"{method}\",\"path\":\"{path}\",\"status\":{status},\"duration_ms\":{rng.NextDouble() * 250:F3},\"bytes\":{rng.Next(100, 20000)},\"trace_id\":\"{trace}\",\"user\":{{\"id\":{rng.Next(1, 50000)},\"tier\":\"{(rng.Next(5) == 0 ? "gold" : "free")}\"}}}}";
                all[i] = Encoding.UTF8.GetBytes(line);
                json.Add(all[i]);
                continue;
            }
            if (kind < 75)
            {
                line = $"ts={ts:yyyy-MM-ddTHH:mm:ss.fffZ} level={level} caller=worker.go:{rng.Next(10, 300)} msg=\"{msg}\" queue=orders attempt={rng.Next(1, 4)} duration={rng.Next(1, 900)}ms trace_id={trace}";
            }
            else if (kind < 93)
            {
                line = $"10.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(256)} - - [{ts:dd/MMM/yyyy:HH:mm:ss} +0000] \"{method} {path} HTTP/1.1\" {status} {rng.Next(100, 9000)} \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\" {rng.NextDouble():F3}";
            }
            else if (level == "error" && rng.Next(4) == 0)
            {
                line = rng.Next(2) == 0
                    ? "panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]"
                    : $"\tat com.shop.OrderService.process(OrderService.java:{rng.Next(20, 300)}) ~[app.jar:1.4.2] Exception in thread \"worker-{rng.Next(8)}\"";
            }
            else
            {
                line = $"{ts:yyyy-MM-dd HH:mm:ss.fff} {level.ToUpperInvariant(),-5} [pool-{rng.Next(4)}-thread-{rng.Next(16)}] c.s.o.OrderProcessor - {msg} orderId={rng.Next(1000000)} items={rng.Next(1, 12)}";
            }
            all[i] = Encoding.UTF8.GetBytes(line);
        }
        return (all, [.. json]);
    }

    /// <summary>Adds an MB/s column: bytes each operation reads (all lines, or JSON lines for the json case) over the mean.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    private sealed class ThroughputColumn : IColumn
    {
        public string Id => "MBps";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Input megabytes (10^6 B) processed per second";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics == null) return "-";
            if (TotalBytes == 0)
            {
                var (all, json) = Generate();
                TotalBytes = all.Sum(l => (long)l.Length);
                JsonBytes = json.Sum(l => (long)l.Length);
            }
            long bytes = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(JsonLevelError) ? JsonBytes : TotalBytes;
            double seconds = report.ResultStatistics.Mean / 1e9;
            return (bytes / 1e6 / seconds).ToString("F0", CultureInfo.InvariantCulture);
        }

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
