using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Strata.LogLoad;

// Log push load and scan measurement against a Loki-compatible endpoint (Strata or Loki):
//   push: a deterministic pod-log corpus (--mb of line text over --streams streams), pre-encoded
//         into snappy protobuf PushRequests of --batch lines before the clock starts, sent with
//         --concurrency parallel senders; prints MB/s of raw line text. --raw FILE also writes the
//         corpus as plain text (one line per entry) for rg / gzip / zstd comparisons.
//   scan: times /loki/api/v1/query_range for a query over the whole pushed window (--start/--end
//         in ns, printed by push) and reports MB/s relative to --bytes of raw text.
var opts = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["target"] = "http://127.0.0.1:9090",
    ["mb"] = "256",
    ["streams"] = "200",
    ["batch"] = "2000",
    ["concurrency"] = "4",
    ["seed"] = "7",
    ["runs"] = "5",
};
string mode = args.Length > 0 ? args[0] : "push";
for (int i = 1; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { Timeout = TimeSpan.FromMinutes(10) };

if (mode == "push") return await Push();
if (mode == "scan") return await Scan();
Console.Error.WriteLine("usage: Strata.LogLoad push|scan [--target URL] [--mb 256] [--streams 200] [--batch 2000] [--concurrency 4] [--raw FILE] | scan --query Q --start NS --end NS --bytes N");
return 2;

async Task<int> Push()
{
    long targetBytes = long.Parse(opts["mb"], CultureInfo.InvariantCulture) * 1024 * 1024;
    int streams = int.Parse(opts["streams"], CultureInfo.InvariantCulture);
    int batch = int.Parse(opts["batch"], CultureInfo.InvariantCulture);
    int concurrency = int.Parse(opts["concurrency"], CultureInfo.InvariantCulture);
    long startNs = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds() * 1_000_000;
    var corpus = new PodLogCorpus(int.Parse(opts["seed"], CultureInfo.InvariantCulture), streams, startNs);
    var labelText = new string[streams];
    for (int i = 0; i < streams; i++)
        labelText[i] = "{" + string.Join(", ", PodLogCorpus.StreamLabels(i).Select(l => $"{l.Name}=\"{l.Value}\"")) + "}";

    using var raw = opts.TryGetValue("raw", out var rawPath) ? new StreamWriter(rawPath, false, new UTF8Encoding(false), 1 << 20) : null;
    var bodies = new List<byte[]>();
    long textBytes = 0, lines = 0, lastNs = startNs;
    var pending = new Dictionary<int, List<(long, string)>>();
    int inBatch = 0;
    void Flush()
    {
        if (inBatch == 0) return;
        bodies.Add(PushEncoder.Encode([.. pending.Select(kv => (labelText[kv.Key], kv.Value))]));
        pending.Clear();
        inBatch = 0;
    }
    while (textBytes < targetBytes)
    {
        var (s, ns, line) = corpus.Next();
        if (!pending.TryGetValue(s, out var list)) pending[s] = list = [];
        list.Add((ns, line));
        raw?.Write(line);
        raw?.Write('\n');
        textBytes += Encoding.UTF8.GetByteCount(line);
        lines++;
        lastNs = ns;
        if (++inBatch == batch) Flush();
    }
    Flush();
    long wire = bodies.Sum(b => (long)b.Length);
    Console.WriteLine($"corpus: {lines} lines, {textBytes / 1048576.0:F1} MiB of line text, {bodies.Count} requests ({wire / 1048576.0:F1} MiB snappy), start={startNs} end={lastNs + 1}");

    int next = -1, failed = 0;
    string? firstError = null;
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (true)
        {
            int i = Interlocked.Increment(ref next);
            if (i >= bodies.Count) return;
            var content = new ByteArrayContent(bodies[i]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var resp = await http.PostAsync(opts["target"].TrimEnd('/') + "/loki/api/v1/push", content);
            if (!resp.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failed);
                firstError ??= $"{(int)resp.StatusCode}: {await resp.Content.ReadAsStringAsync()}";
            }
        }
    }));
    double secs = sw.Elapsed.TotalSeconds;
    Console.WriteLine($"push: {textBytes / 1048576.0 / secs:F1} MiB/s of line text, {lines / secs:F0} lines/s ({secs:F2} s), failed requests: {failed}{(firstError != null ? " first: " + firstError : "")}");
    return failed == 0 ? 0 : 1;
}

async Task<int> Scan()
{
    string query = opts["query"];
    string url = opts["target"].TrimEnd('/') + "/loki/api/v1/query_range?query=" + Uri.EscapeDataString(query)
        + "&start=" + opts["start"] + "&end=" + opts["end"] + "&limit=" + opts.GetValueOrDefault("limit", "100") + "&direction=" + opts.GetValueOrDefault("direction", "backward");
    long bytes = long.Parse(opts["bytes"], CultureInfo.InvariantCulture);
    int runs = int.Parse(opts["runs"], CultureInfo.InvariantCulture);
    var times = new List<double>();
    string body = "";
    for (int r = 0; r <= runs; r++)
    {
        var sw = Stopwatch.StartNew();
        using var resp = await http.GetAsync(url);
        body = await resp.Content.ReadAsStringAsync();
        if (!resp.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"query failed: {(int)resp.StatusCode} {body}");
            return 1;
        }
        if (r > 0) times.Add(sw.Elapsed.TotalSeconds); // the first run warms up
    }
    times.Sort();
    double median = times[times.Count / 2];
    int entries = body.Split("\"values\"").Length - 1;
    Console.WriteLine($"scan: median {median * 1000:F1} ms over {runs} runs, {bytes / 1048576.0 / median:F0} MiB/s of raw text; {body.Length} bytes of answer ({entries} streams)");
    return 0;
}
